package memory

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/mailseal/mailseal/internal/classify"
	"github.com/mailseal/mailseal/internal/smime"
)

var now = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

const day = 24 * time.Hour

// cert stands for a signer's certificate: the memory keeps it, and only checks its shape.
func cert(n int) []byte { return []byte{0x30, 0x03, 0x02, 0x01, byte(n)} }

var (
	bankOrg = Identity{Organization: "Example Bank Ltd", Country: "GB"}
	issuerA = "CN=Test S/MIME CA A"
	issuerB = "CN=Test S/MIME CA B"
)

func signed(from string, level classify.Level, id Identity) Message {
	return Message{From: from, Status: smime.StatusValid, Level: level, Identity: id, Certificate: cert(1), Issuer: issuerA}
}

func unsigned(from string) Message { return Message{From: from, Status: smime.StatusUnsigned} }

func named(m Message, name string) Message { m.DisplayName = name; return m }

func withCert(m Message, n int, issuer string) Message {
	m.Certificate, m.Issuer = cert(n), issuer
	return m
}

// seen is n opened messages, one a day, the last a day before now.
type seen struct {
	msg Message
	n   int
	ago time.Duration // of the last; one day when zero
}

func build(t *testing.T, history []seen) *Memory {
	t.Helper()
	m := New()
	for _, h := range history {
		last := h.ago
		if last == 0 {
			last = day
		}
		for i := h.n - 1; i >= 0; i-- {
			if !m.Observe(h.msg, true, now.Add(-last-time.Duration(i)*day)) {
				t.Fatalf("history: %s was not learnt", h.msg.From)
			}
		}
	}
	return m
}

func TestCheck(t *testing.T) {
	bank := signed("alerts@example-bank.example", classify.LevelV3, bankOrg)
	bank20 := []seen{{msg: bank, n: 20}}
	alice := signed("alice@gmail.com", classify.LevelV2, Identity{Name: "Alice Liddell"})
	tests := []struct {
		name    string
		history []seen
		expect  []Expectation
		msg     Message
		want    []Code
		args    []string // of the first warning, when given
		detail  string   // of the first warning, when given
	}{
		// Quiet.
		{name: "a sender's first signed message", msg: bank},
		{name: "a sender's first unsigned message", msg: unsigned("alerts@example-bank.example")},
		{name: "the same sender signing as before", history: bank20, msg: bank},
		{name: "a renewal: same identity and CA, new certificate", history: bank20, msg: withCert(bank, 9, issuerA)},
		{name: "a higher level", history: []seen{{msg: signed("alerts@example-bank.example", classify.LevelV1, Identity{}), n: 5}}, msg: bank},
		{name: "a new title at V4", history: []seen{{msg: signed("ceo@example-bank.example", classify.LevelV4, Identity{Name: "Ana Banker", Organization: "Example Bank Ltd", Country: "GB", Title: "CFO"}), n: 5}},
			msg: signed("ceo@example-bank.example", classify.LevelV4, Identity{Name: "Ana Banker", Organization: "Example Bank Ltd", Country: "GB", Title: "CEO"})},
		{name: "unsigned after only 2 signed", history: []seen{{msg: bank, n: 2}}, msg: unsigned("alerts@example-bank.example")},
		{name: "unsigned after a sender stopped signing 200 days ago", history: []seen{{msg: bank, n: 20, ago: 200 * day}}, msg: unsigned("alerts@example-bank.example")},
		{name: "a newsletter that never signed", history: bank20, msg: unsigned("news@shop.example")},
		{name: "different people at a free-mail domain, unsigned", history: []seen{{msg: alice, n: 10}, {msg: signed("bob@gmail.com", classify.LevelV3, bankOrg), n: 5}, {msg: signed("carol@gmail.com", classify.LevelV3, bankOrg), n: 5}},
			msg: unsigned("mallory@gmail.com")},
		{name: "different people at a free-mail domain, signed at V1", history: []seen{{msg: alice, n: 10}}, msg: signed("bob@gmail.com", classify.LevelV1, Identity{})},
		{name: "a mailing list that rewrote From", history: append([]seen{{msg: alice, n: 10}}, bank20...),
			msg: named(unsigned("announce@lists.example"), "Alice Liddell via Announce")},
		{name: "a domain where only one mailbox usually signs", history: bank20, msg: unsigned("news@example-bank.example")},
		{name: "a look-alike of a domain known only at V1", history: []seen{{msg: signed("a@example-bank.example", classify.LevelV1, Identity{}), n: 5}},
			msg: unsigned("a@examp1e-bank.example")},
		{name: "the organization's name from its own domain", history: bank20, msg: named(unsigned("news@example-bank.example"), "Example Bank News")},
		{name: "the organization's name signed by it at V3 from another domain", history: bank20,
			msg: named(signed("x@examplebank-group.example", classify.LevelV3, bankOrg), "Example Bank")},
		{name: "an internationalized domain written as it is registered", history: []seen{{msg: signed("a@bücher.example", classify.LevelV3, bankOrg), n: 5}},
			msg: signed("a@bücher.example", classify.LevelV3, bankOrg)},
		{name: "an unknown domain in fullwidth letters", history: bank20, msg: unsigned("a@ｓｈｏｐ.example")},
		{name: "a display name that only shares a word", history: bank20, msg: named(unsigned("news@shop.example"), "Example Shop")},
		{name: "a display name with accents", history: []seen{{msg: signed("a@cafe.example", classify.LevelV3, Identity{Organization: "Café Zürich AG", Country: "CH"}), n: 5}},
			msg: named(signed("a@cafe.example", classify.LevelV3, Identity{Organization: "Café Zürich AG", Country: "CH"}), "Café Zürich")},
		{name: "the expected level met", expect: []Expectation{{"example-bank.example", classify.LevelV3}}, msg: bank},
		{name: "another organization's domain with a known name and an ordinary word", history: []seen{{msg: signed("alice@example.com", classify.LevelV2, Identity{Name: "Alice Liddell"}), n: 3}},
			msg: bank},

		// Warnings.
		{name: "usually signs, then unsigned", history: bank20, msg: unsigned("Alerts@Example-Bank.example"), want: []Code{UsuallySigns},
			args: []string{"Example Bank Ltd (GB)", "20", "V3"}, detail: "Example Bank Ltd (GB) signed its previous 20 messages at V3; this one is not signed"},
		{name: "usually signs, then signed lower", history: bank20, msg: signed("alerts@example-bank.example", classify.LevelV1, Identity{}), want: []Code{LowerLevel},
			args: []string{"Example Bank Ltd (GB)", "20", "V3", "V1"}},
		{name: "another organization", history: bank20, msg: signed("alerts@example-bank.example", classify.LevelV3, Identity{Organization: "Evil Ltd", Country: "GB"}), want: []Code{OtherIdentity},
			args: []string{"alerts@example-bank.example", "Example Bank Ltd (GB)", "Evil Ltd (GB)"}},
		{name: "the same organization name in another country", history: bank20, msg: signed("alerts@example-bank.example", classify.LevelV3, Identity{Organization: "Example Bank Ltd", Country: "BZ"}), want: []Code{OtherIdentity}},
		{name: "another person's name at V2", history: []seen{{msg: alice, n: 3}}, msg: signed("alice@gmail.com", classify.LevelV2, Identity{Name: "Alice Cooper"}), want: []Code{OtherIdentity}},
		{name: "another CA, same identity", history: bank20, msg: withCert(bank, 7, issuerB), want: []Code{OtherCA},
			args: []string{"alerts@example-bank.example", issuerA, issuerB}},
		{name: "a domain whose mailboxes usually sign at V3", history: []seen{{msg: bank, n: 3}, {msg: signed("statements@example-bank.example", classify.LevelV3, bankOrg), n: 3}},
			msg: unsigned("offers@example-bank.example"), want: []Code{DomainUsuallySigns}, args: []string{"example-bank.example", "2", "V3"}},
		{name: "an administrator's expectation, unsigned", expect: []Expectation{{"example-bank.example", classify.LevelV3}}, msg: unsigned("x@mail.example-bank.example"), want: []Code{ExpectedSigned}},
		{name: "an administrator's expectation, signed lower", expect: []Expectation{{"example-bank.example", classify.LevelV3}}, msg: signed("x@example-bank.example", classify.LevelV1, Identity{}), want: []Code{ExpectedLevel},
			args: []string{"example-bank.example", "V3", "V1"}},
		{name: "a look-alike of an expected domain", expect: []Expectation{{"example-bank.example", classify.LevelV3}}, msg: unsigned("x@examp1e-bank.example"), want: []Code{LookalikeConfusable}},
		{name: "a confusable domain", history: bank20, msg: signed("alerts@examp1e-bank.example", classify.LevelV1, Identity{}), want: []Code{LookalikeConfusable},
			args: []string{"examp1e-bank.example", "example-bank.example"}},
		{name: "letters of another script", history: bank20, msg: unsigned("alerts@еxample-bank.example"), want: []Code{LookalikeScript},
			args: []string{"xn--xample-bank-nkj.example", "example-bank.example"}},
		{name: "another ending", history: bank20, msg: unsigned("alerts@example-bank.net"), want: []Code{LookalikeSuffix}},
		{name: "an added word", history: bank20, msg: unsigned("alerts@example-bank-secure.example"), want: []Code{LookalikeWord}},
		{name: "the name in front of another domain", history: bank20, msg: unsigned("alerts@example-bank.example.evil.example"), want: []Code{LookalikeSubdomain}},
		{name: "one letter away", history: bank20, msg: unsigned("alerts@exampel-bank.example"), want: []Code{LookalikeEdit}},
		{name: "a remembered organization's name \"via\" something is no mailing-list pass", history: bank20,
			msg: named(unsigned("support@evil.example"), "Example Bank via Secure Notifications"), want: []Code{ClaimsOrganization}},
		{name: "a display name claiming a remembered organization", history: bank20, msg: named(unsigned("support@evil.example"), "Example Bank Security Team"), want: []Code{ClaimsOrganization},
			args: []string{"Example Bank Security Team", "example-bank.example", "support@evil.example"}},
		// A domain written with characters that lookup folds or drops, or invisible ones, reads as
		// the known domain but is another address: no history of it applies.
		{name: "fullwidth letters", history: bank20, msg: unsigned("alerts@ｅｘａｍｐｌｅ-bank.example"), want: []Code{LookalikeConfusable},
			args: []string{"[U+FF45][U+FF58][U+FF41][U+FF4D][U+FF50][U+FF4C][U+FF45]-bank.example", "example-bank.example"}},
		{name: "an ideographic full stop", history: bank20, msg: unsigned("alerts@example-bank。example"), want: []Code{LookalikeConfusable}},
		{name: "a soft hyphen", history: bank20, msg: unsigned("alerts@example-\u00adbank.example"), want: []Code{LookalikeConfusable},
			args: []string{"example-[U+00AD]bank.example", "example-bank.example"}},
		{name: "a zero-width joiner", history: bank20, msg: signed("alerts@exam\u200dple-bank.example", classify.LevelV1, Identity{}), want: []Code{LookalikeConfusable}},
		{name: "a zero-width space, expected domain", expect: []Expectation{{"example-bank.example", classify.LevelV3}}, msg: unsigned("x@example-bank\u200b.example"), want: []Code{LookalikeConfusable}},
		// The organization's name, written to read as it reads but not match it letter for letter.
		{name: "a display name with a zero-width joiner in a word", history: bank20, msg: named(unsigned("support@evil.example"), "Exa\u200dmple Bank"), want: []Code{ClaimsOrganization}},
		{name: "a display name with a Cyrillic letter", history: bank20, msg: named(unsigned("support@evil.example"), "Ехample Bank"), want: []Code{ClaimsOrganization}},
		{name: "a display name with a capital I for an l", history: bank20, msg: named(unsigned("support@evil.example"), "ExampIe Bank"), want: []Code{ClaimsOrganization}},
		{name: "a display name run together", history: bank20, msg: named(unsigned("support@evil.example"), "ExampleBank Alerts"), want: []Code{ClaimsOrganization}},
		{name: "usually signs and expected: both", history: bank20, expect: []Expectation{{"example-bank.example", classify.LevelV3}}, msg: unsigned("alerts@example-bank.example"), want: []Code{UsuallySigns, ExpectedSigned}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := build(t, tt.history)
			if err := m.SetExpectations(tt.expect); err != nil {
				t.Fatal(err)
			}
			ws := m.Check(tt.msg, now)
			var got []Code
			for _, w := range ws {
				got = append(got, w.Code)
				if w.Severity != words[w.Code].severity || w.Detail == "" || len(w.Args) != w.Code.Args() {
					t.Errorf("%s: severity %s, %d args for %d placeholders, detail %q", w.Code, w.Severity, len(w.Args), w.Code.Args(), w.Detail)
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Fatalf("warnings %v (%v), want %v", got, ws, tt.want)
			}
			if tt.args != nil && !slices.Equal(ws[0].Args, tt.args) {
				t.Errorf("args %q, want %q", ws[0].Args, tt.args)
			}
			if tt.detail != "" && ws[0].Detail != tt.detail {
				t.Errorf("detail %q, want %q", ws[0].Detail, tt.detail)
			}
		})
	}
}

func TestObserveLearnsOnlyFromOpenedValidMail(t *testing.T) {
	bank := signed("alerts@example-bank.example", classify.LevelV3, bankOrg)
	tests := []struct {
		name   string
		msg    Message
		opened bool
		learnt bool
	}{
		{"opened and valid", bank, true, true},
		{"not opened (listed or prefetched)", bank, false, false},
		{"unsigned", unsigned("alerts@example-bank.example"), true, false},
		{"signed but not valid", Message{From: bank.From, Status: smime.StatusUntrusted, Level: classify.LevelV3, Certificate: cert(1)}, true, false},
		{"valid without a certificate", Message{From: bank.From, Status: smime.StatusValid, Level: classify.LevelV3}, true, false},
		{"valid without a level", Message{From: bank.From, Status: smime.StatusValid, Certificate: cert(1)}, true, false},
		{"a domain with no registrable part", signed("a@localhost", classify.LevelV1, Identity{}), true, false},
	}
	for _, tt := range tests {
		m := New()
		if got := m.Observe(tt.msg, tt.opened, now); got != tt.learnt || (m.Len() == 1) != tt.learnt {
			t.Errorf("%s: Observe = %v, %d remembered; want %v", tt.name, got, m.Len(), tt.learnt)
		}
	}
}

func TestObserveIgnoresDangerousMail(t *testing.T) {
	bank := signed("alerts@example-bank.example", classify.LevelV3, bankOrg)
	m := build(t, []seen{{msg: bank, n: 5}})
	for _, msg := range []Message{
		signed("alerts@example-bank.example", classify.LevelV1, Identity{}),                         // lower
		signed("alerts@example-bank.example", classify.LevelV3, Identity{Organization: "Evil Ltd"}), // another identity
		signed("alerts@examp1e-bank.example", classify.LevelV3, Identity{Organization: "Evil Ltd"}), // look-alike, signed high
	} {
		if m.Observe(msg, true, now) {
			t.Errorf("learnt from %s %s", msg.From, msg.Level)
		}
	}
	mb := m.mailboxes["alerts@example-bank.example"]
	if mb.Level != classify.LevelV3 || mb.Count != 5 || mb.Identity != bankOrg {
		t.Errorf("remembered %s %d %+v, want V3 5 %+v", mb.Level, mb.Count, mb.Identity, bankOrg)
	}
	if m.Len() != 1 {
		t.Errorf("%d remembered, want 1", m.Len())
	}
	// The look-alike stays a look-alike: had it been learnt at V3, it would be "known".
	if ws := m.Check(unsigned("x@examp1e-bank.example"), now); len(ws) != 1 || ws[0].Code != LookalikeConfusable {
		t.Errorf("after opening the fake: %v", ws)
	}
}

func TestObserveCountsAMessageOnce(t *testing.T) {
	m := New()
	bank := signed("alerts@example-bank.example", classify.LevelV3, bankOrg)
	for _, id := range []string{"m1", "m2", "m1", "m3", "m2"} {
		bank.ID = id
		m.Observe(bank, true, now)
	}
	_, m = reload(t, m)
	bank.ID = "m3"
	m.Observe(bank, true, now) // opened again after a restart
	if got := m.mailboxes[bank.From].Count; got != 3 {
		t.Errorf("count %d after 3 messages opened 6 times, want 3", got)
	}
}

func TestObserveCountsAndDomains(t *testing.T) {
	m := New()
	v1 := signed("a@example-bank.example", classify.LevelV1, Identity{})
	for i := range 3 {
		m.Observe(v1, true, now.Add(time.Duration(i)*time.Hour))
	}
	m.Observe(signed("a@example-bank.example", classify.LevelV3, bankOrg), true, now.Add(5*time.Hour))
	m.Observe(signed("b@mail.example-bank.example", classify.LevelV2, Identity{Name: "B"}), true, now.Add(6*time.Hour))
	a := m.mailboxes["a@example-bank.example"]
	if a.Level != classify.LevelV3 || a.Count != 1 || !a.FirstSeen.Equal(now) || !a.LastSeen.Equal(now.Add(5*time.Hour)) {
		t.Errorf("after an upgrade: %+v", a)
	}
	d := m.domains["example-bank.example"]
	if d == nil || d.BestLevel != classify.LevelV3 || d.Mailboxes != 2 {
		t.Errorf("domain: %+v, want V3 with 2 mailboxes", d)
	}
}

func ExampleMemory_Check() {
	m := New()
	bank := Message{From: "alerts@example-bank.example", Status: smime.StatusValid, Level: classify.LevelV3,
		Identity: Identity{Organization: "Example Bank Ltd", Country: "GB"}, Certificate: cert(1), Issuer: issuerA}
	for i := range 20 {
		m.Observe(bank, true, now.Add(time.Duration(i-20)*day))
	}
	for _, w := range m.Check(Message{From: "alerts@example-bank.example", Status: smime.StatusUnsigned}, now) {
		fmt.Println(w.Severity, w.Detail)
	}
	// Output: danger Example Bank Ltd (GB) signed its previous 20 messages at V3; this one is not signed
}
