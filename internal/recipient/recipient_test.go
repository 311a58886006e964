package recipient

import (
	"crypto/x509"
	"encoding/pem"
	"testing"
	"time"

	"github.com/mailseal/mailseal/internal/classify"
	"github.com/mailseal/mailseal/internal/cms"
	"github.com/mailseal/mailseal/internal/memory"
	"github.com/mailseal/mailseal/internal/smime"
	"github.com/mailseal/mailseal/internal/testpki"
	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

const encrypting = x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment

func issue(t *testing.T, pki *testpki.PKI, p testpki.Profile, ku x509.KeyUsage) *testpki.Identity {
	t.Helper()
	p.KeyUsage = ku
	return pki.MustIssue(t, p)
}

func remember(t *testing.T, m *memory.Memory, id *testpki.Identity, level classify.Level, ident memory.Identity, at time.Time) {
	t.Helper()
	msg := memory.Message{From: id.Certificate.EmailAddresses[0], Status: smime.StatusValid, Level: level, Identity: ident,
		Certificate: id.Certificate.Raw, Issuer: "CN=Test", GCM: level == classify.LevelV3}
	for _, c := range id.Chain {
		msg.CAs = append(msg.CAs, c.Raw)
	}
	if !m.Observe(msg, true, at) {
		t.Fatal("the memory did not learn the sender")
	}
}

func TestFind(t *testing.T) {
	pki := testpki.MustNew(t)
	now := testpki.Epoch.Add(time.Hour)
	opts := smime.Options{Roots: []*x509.Certificate{pki.Root}, NoBundledRoots: true, Now: now}

	bank := issue(t, pki, testpki.OrganizationProfile(testpki.Strict, "alerts@bank.example", "Example Bank Ltd", "LEIXG-123", "GB"), encrypting)
	signOnly := issue(t, pki, testpki.MailboxProfile(testpki.Strict, "sign@example.org"), x509.KeyUsageDigitalSignature)
	expiredProf := testpki.MailboxProfile(testpki.Strict, "old@example.org")
	expiredProf.NotAfter = now.Add(-time.Hour)
	expired := issue(t, pki, expiredProf, encrypting)
	untrustedProf := testpki.MailboxProfile(testpki.Strict, "stranger@example.org")
	untrustedProf.Issuer = testpki.ByOtherRoot
	untrusted := issue(t, pki, untrustedProf, encrypting)

	m := memory.New()
	remember(t, m, bank, classify.LevelV3, memory.Identity{Organization: "Example Bank Ltd", Country: "GB"}, now)
	remember(t, m, signOnly, classify.LevelV1, memory.Identity{}, now)
	remember(t, m, expired, classify.LevelV1, memory.Identity{}, now.Add(-48*time.Hour))

	got := Find([]string{"Alerts@Bank.example", "sign@example.org", "old@example.org", "nobody@example.org"}, m, nil, opts)
	if c := got[0]; !c.Usable || c.Source != FromMemory || c.Level != classify.LevelV3 || c.Shown != "Example Bank Ltd (GB)" || !c.Certificate.Equal(bank.Certificate) {
		t.Errorf("bank: %+v", c)
	}
	if c := got[0]; len(c.Chain) != len(bank.Chain) || !c.Chain[0].Equal(bank.Chain[0]) {
		t.Errorf("bank's chain: %d certificates, want its %d intermediates", len(c.Chain), len(bank.Chain))
	}

	// What the bank's mail announced (AES-256-GCM) is kept with its certificate, in the file too.
	file, err := m.Marshal(now)
	if err != nil {
		t.Fatal(err)
	}
	again, err := memory.Load(file, now)
	if err != nil {
		t.Fatal(err)
	}
	if c := Find([]string{"alerts@bank.example", "sign@example.org"}, again, nil, opts); !c[0].GCM || c[1].GCM {
		t.Errorf("GCM after a round trip: bank %v, sign %v", c[0].GCM, c[1].GCM)
	}
	for i, code := range []string{"usage_recipient_key_usage", "expired", "recipient_not_seen"} {
		c := got[i+1]
		if c.Usable || c.Certificate != nil || c.Why.Code != code {
			t.Errorf("%s: usable %v, why %v; want %s", c.Address, c.Usable, c.Why, code)
		}
	}

	// A file the user picked is judged like the memory's: an untrusted one is refused.
	f, err := ReadFile(untrusted.Certificate.Raw)
	if err != nil {
		t.Fatal(err)
	}
	if c := Find([]string{"stranger@example.org"}, m, []File{f}, opts)[0]; c.Usable || c.Source != FromFile || c.Why.Code == "" {
		t.Errorf("untrusted file: %+v", c)
	}

	// A usable file comes before the memory; an unusable one does not hide a usable memory.
	renewed := issue(t, pki, testpki.OrganizationProfile(testpki.Strict, "alerts@bank.example", "Example Bank Ltd", "LEIXG-123", "GB"), encrypting)
	f, _ = ReadFile(renewed.Certificate.Raw)
	if c := Find([]string{"alerts@bank.example"}, m, []File{f}, opts)[0]; !c.Usable || c.Source != FromFile || !c.Certificate.Equal(renewed.Certificate) || c.Level != classify.LevelV3 || c.GCM {
		t.Errorf("renewed file: %+v", c)
	}
	bankSignOnly := issue(t, pki, testpki.MailboxProfile(testpki.Strict, "alerts@bank.example"), x509.KeyUsageDigitalSignature)
	f, _ = ReadFile(bankSignOnly.Certificate.Raw)
	if c := Find([]string{"alerts@bank.example"}, m, []File{f}, opts)[0]; !c.Usable || c.Source != FromMemory {
		t.Errorf("unusable file before a usable memory: %+v", c)
	}

	// Only through a root the user added: at most V1, as a banner would say.
	userOpts := smime.Options{UserRoots: []*x509.Certificate{pki.Root}, NoBundledRoots: true, Now: now}
	f, _ = ReadFile(renewed.Certificate.Raw)
	if c := Find([]string{"alerts@bank.example"}, nil, []File{{Certificates: f.Certificates, CAs: renewed.Chain}}, userOpts)[0]; !c.Usable || c.Level != classify.LevelV1 || c.Shown != "alerts@bank.example" {
		t.Errorf("user root: %+v", c)
	}
}

func TestReadFile(t *testing.T) {
	pki := testpki.MustNew(t)
	id := issue(t, pki, testpki.MailboxProfile(testpki.Strict, "bob@example.org"), encrypting)
	p7c := certsOnly(append([]*x509.Certificate{id.Certificate}, id.Chain...))
	pemOf := func(typ string, der []byte) []byte { return pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}) }
	chainPEM := pemOf("CERTIFICATE", id.Certificate.Raw)
	for _, c := range id.Chain {
		chainPEM = append(chainPEM, pemOf("CERTIFICATE", c.Raw)...)
	}
	for name, data := range map[string][]byte{
		"DER": id.Certificate.Raw, "PEM chain": chainPEM,
		"PEM after bag attributes": append([]byte("Bag Attributes\n    localKeyID: 01\nsubject=CN = bob\n"), chainPEM...), "p7c": p7c, "p7c in PEM": pemOf("PKCS7", p7c),
	} {
		f, err := ReadFile(data)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(f.Certificates) != 1 || !f.Certificates[0].Equal(id.Certificate) || f.Addresses()[0] != "bob@example.org" {
			t.Errorf("%s: %d certificates, addresses %v", name, len(f.Certificates), f.Addresses())
		}
		if name != "DER" && len(f.CAs) != len(id.Chain) {
			t.Errorf("%s: %d CAs, want %d", name, len(f.CAs), len(id.Chain))
		}
	}
	for name, data := range map[string][]byte{
		"empty": nil, "text": []byte("hello"), "a key": pemOf("PRIVATE KEY", []byte{1, 2, 3}),
		"cut DER": id.Certificate.Raw[:100], "no blocks": []byte("-----BEGIN nothing"),
	} {
		if _, err := ReadFile(data); err == nil {
			t.Errorf("%s: read", name)
		} else if fe := (*FileError)(nil); !asFileError(err, &fe) || fe.Why.Code != "recipient_file_unreadable" {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// certsOnly is a .p7c: a SignedData with no content and no signers, only certificates
// (RFC 8551 §3.8).
func certsOnly(certs []*x509.Certificate) []byte {
	b := cryptobyte.NewBuilder(nil)
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1ObjectIdentifier(cms.OIDSignedData)
		b.AddASN1(cbasn1.Tag(0).Constructed().ContextSpecific(), func(b *cryptobyte.Builder) {
			b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
				b.AddASN1Int64(1)
				b.AddASN1(cbasn1.SET, func(*cryptobyte.Builder) {})
				b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { b.AddASN1ObjectIdentifier(cms.OIDData) })
				b.AddASN1(cbasn1.Tag(0).Constructed().ContextSpecific(), func(b *cryptobyte.Builder) {
					for _, c := range certs {
						b.AddBytes(c.Raw)
					}
				})
				b.AddASN1(cbasn1.SET, func(*cryptobyte.Builder) {})
			})
		})
	})
	return b.BytesOrPanic()
}

func asFileError(err error, target **FileError) bool {
	fe, ok := err.(*FileError)
	*target = fe
	return ok
}

// FuzzReadFile: whatever a user picks, ReadFile returns certificates or a FileError, never a
// panic, and never more than MaxFileCertificates.
func FuzzReadFile(f *testing.F) {
	pki := testpki.MustNew(f)
	id := pki.MustIssue(f, testpki.MailboxProfile(testpki.Strict, "bob@example.org"))
	p7c := certsOnly(append([]*x509.Certificate{id.Certificate}, id.Chain...))
	f.Add(id.Certificate.Raw)
	f.Add(p7c)
	f.Add(pem.EncodeToMemory(&pem.Block{Type: "PKCS7", Bytes: p7c}))
	f.Add(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: id.Certificate.Raw}))
	f.Add([]byte("-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := ReadFile(data)
		if err != nil {
			if fe := (*FileError)(nil); !asFileError(err, &fe) || fe.Why.Code != "recipient_file_unreadable" {
				t.Fatalf("error %v is not a FileError", err)
			}
			return
		}
		if n := len(got.Certificates) + len(got.CAs); n == 0 || n > MaxFileCertificates {
			t.Fatalf("%d certificates", n)
		}
	})
}
