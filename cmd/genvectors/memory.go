package main

import (
	"github.com/mailseal/mailseal/internal/testpki"
)

// The sender memory's sequence (internal/memory): opened in order, memory-01 to memory-07 teach
// the memory that example-bank.example signs at V3 from two mailboxes; each later message then
// shows one warning. Alone, each is an ordinary message with the verdict its .expect says.
func init() {
	for i := range vectors {
		if vectors[i].name == "untrusted-missing-intermediate" {
			vectors[i].remembered = "valid"
		}
	}
	vectors = append(vectors, memoryVectors...)
}

const bankID = "NTRGB-87654321"

func bank(mailbox string) testpki.Profile {
	return testpki.OrganizationProfile(testpki.Strict, mailbox+"@example-bank.example", "Example Bank Ltd", bankID, "GB")
}

func bankBanner(mailbox string) string {
	return "V3 · " + mailbox + "@example-bank.example · Example Bank Ltd (GB), Identity Validated and Trusted"
}

func bankMail(mailbox, subject string) func(*testpki.Header) {
	return func(h *testpki.Header) {
		h.From = "Example Bank <" + mailbox + "@example-bank.example>"
		h.Subject = subject
	}
}

func unsignedMail(from, subject string) func(*fixtures) ([]byte, error) {
	return func(*fixtures) ([]byte, error) {
		h := aliceHeader()
		h.From, h.Subject = from, subject
		return testpki.Message(h, testpki.TextContent("Please confirm your account details today at the link below.\n")), nil
	}
}

var memoryVectors = []vector{
	{name: "memory-01-bank-statement", expect: "valid", level: "V3", banner: bankBanner("alerts"),
		description: "sender memory 1/7: the bank signs at V3 (alerts@)",
		build:       spec{profile: bank("alerts"), header: bankMail("alerts", "Your May statement")}.fn()},
	{name: "memory-02-bank-card", expect: "valid", level: "V3", banner: bankBanner("alerts"),
		description: "sender memory 2/7: the bank signs at V3 (alerts@)",
		build:       spec{profile: bank("alerts"), header: bankMail("alerts", "Your new card is on its way")}.fn()},
	{name: "memory-03-bank-sign-in", expect: "valid", level: "V3", banner: bankBanner("alerts"),
		description: "sender memory 3/7: the bank signs at V3 (alerts@); it now usually signs",
		build:       spec{profile: bank("alerts"), header: bankMail("alerts", "A new sign-in to your account")}.fn()},
	{name: "memory-04-statements-may", expect: "valid", level: "V3", banner: bankBanner("statements"),
		description: "sender memory 4/7: a second mailbox of the bank signs at V3 (statements@)",
		build:       spec{profile: bank("statements"), header: bankMail("statements", "Statement ready: May")}.fn()},
	{name: "memory-05-statements-june", expect: "valid", level: "V3", banner: bankBanner("statements"),
		description: "sender memory 5/7: statements@ at V3",
		build:       spec{profile: bank("statements"), header: bankMail("statements", "Statement ready: June")}.fn()},
	{name: "memory-06-statements-july", expect: "valid", level: "V3", banner: bankBanner("statements"),
		description: "sender memory 6/7: statements@ at V3; two of the bank's mailboxes now usually sign",
		build:       spec{profile: bank("statements"), header: bankMail("statements", "Statement ready: July")}.fn()},
	{name: "memory-07-leaf-only", expect: "untrusted", remembered: "valid",
		description: "sender memory 7/7: the bank's certificate alone, without its intermediate: untrusted on its own, valid once the intermediate is remembered from earlier mail",
		build: spec{profile: bank("alerts"), header: bankMail("alerts", "Your August statement (list copy)"),
			chain: func(id *testpki.Identity) { id.Chain = nil }}.fn()},
	{name: "memory-08-unsigned-from-bank", expect: "unsigned",
		description: "after the sequence: unsigned from alerts@, which usually signs at V3 (danger)",
		build:       unsignedMail("Example Bank <alerts@example-bank.example>", "Urgent: confirm your details")},
	{name: "memory-09-unsigned-other-mailbox", expect: "unsigned",
		description: "after the sequence: unsigned from another mailbox of a domain that usually signs at V3 (caution)",
		build:       unsignedMail("Example Bank Offers <offers@example-bank.example>", "A loan offer for you")},
	{name: "memory-10-lower-level", expect: "valid", level: "V1", banner: v1Banner("alerts@example-bank.example"),
		description: "after the sequence: alerts@ signed at V1 only (danger)",
		build: spec{profile: testpki.MailboxProfile(testpki.Strict, "alerts@example-bank.example"),
			header: from("alerts@example-bank.example")}.fn()},
	{name: "memory-11-lookalike", expect: "valid", level: "V1", banner: v1Banner("alerts@examp1e-bank.example"),
		description: "after the sequence: a V1 certificate for examp1e-bank.example, a look-alike of example-bank.example (danger)",
		build: spec{profile: testpki.MailboxProfile(testpki.Strict, "alerts@examp1e-bank.example"),
			header: from("alerts@examp1e-bank.example")}.fn()},
	{name: "memory-12-claims-organization", expect: "unsigned",
		description: "after the sequence: unsigned, the display name names Example Bank Ltd from another domain (danger)",
		build:       unsignedMail("Example Bank Ltd <security@bank-alerts.example>", "Security notice")},
}
