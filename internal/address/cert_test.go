package address

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// sanName is one GeneralName for a test SAN: an rfc822Name, or an otherName
// whose value is written as given (so tests can break it).
type sanName struct {
	email   string
	otherID asn1.ObjectIdentifier
	value   func(*cryptobyte.Builder) // the content of the [0] EXPLICIT value
	dns     string
}

func utf8Value(s string) func(*cryptobyte.Builder) {
	return func(b *cryptobyte.Builder) {
		b.AddASN1(cbasn1.UTF8String, func(b *cryptobyte.Builder) { b.AddBytes([]byte(s)) })
	}
}

func sanExtension(t *testing.T, names ...sanName) pkix.Extension {
	t.Helper()
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		for _, n := range names {
			switch {
			case n.email != "":
				b.AddASN1(cbasn1.Tag(1).ContextSpecific(), func(b *cryptobyte.Builder) { b.AddBytes([]byte(n.email)) })
			case n.dns != "":
				b.AddASN1(cbasn1.Tag(2).ContextSpecific(), func(b *cryptobyte.Builder) { b.AddBytes([]byte(n.dns)) })
			default:
				b.AddASN1(cbasn1.Tag(0).ContextSpecific().Constructed(), func(b *cryptobyte.Builder) {
					b.AddASN1ObjectIdentifier(n.otherID)
					b.AddASN1(cbasn1.Tag(0).ContextSpecific().Constructed(), n.value)
				})
			}
		}
	})
	der, err := b.Bytes()
	require.NoError(t, err)
	return pkix.Extension{Id: oidSubjectAltName, Value: der}
}

func mintCert(t *testing.T, subjectEmails []string, san *pkix.Extension) *x509.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "Test"},
		NotBefore:    time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC),
		NotAfter:     time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC),
	}
	for _, e := range subjectEmails {
		tmpl.Subject.ExtraNames = append(tmpl.Subject.ExtraNames, pkix.AttributeTypeAndValue{Type: oidEmailAddress, Value: e})
	}
	if san != nil {
		tmpl.ExtraExtensions = []pkix.Extension{*san}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	cert, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	return cert
}

func TestCertificateAddresses(t *testing.T) {
	smtp := func(s string) sanName { return sanName{otherID: oidSmtpUTF8Mailbox, value: utf8Value(s)} }
	for _, tc := range []struct {
		name    string
		subject []string
		san     []sanName // nil: no SAN extension
		want    []string
	}{
		{"rfc822Name", nil, []sanName{{email: "alice@example.com"}}, []string{"alice@example.com"}},
		{"SmtpUTF8Mailbox", nil, []sanName{smtp("山田花子@example.com")}, []string{"山田花子@example.com"}},
		{"both kinds, in order, each once", nil,
			[]sanName{{email: "a@example.com"}, smtp("山田@example.com"), {email: "a@example.com"}, {email: "b@example.com"}},
			[]string{"a@example.com", "b@example.com", "山田@example.com"}},
		{"subject only when there is no SAN", []string{"Alice@example.com", "alice2@example.com"}, nil, []string{"Alice@example.com", "alice2@example.com"}},
		{"subject unused beside an rfc822Name", []string{"boss@bank.example"}, []sanName{{email: "eve@evil.example"}}, []string{"eve@evil.example"}},
		{"subject unused beside a SmtpUTF8Mailbox", []string{"boss@bank.example"}, []sanName{smtp("山田@example.com")}, []string{"山田@example.com"}},
		{"subject used beside a dNSName-only SAN", []string{"alice@example.com"}, []sanName{{dns: "example.com"}}, []string{"alice@example.com"}},
		{"other otherName types are not mailboxes", nil,
			[]sanName{{otherID: asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 311, 20, 2, 3}, value: utf8Value("boss@bank.example")}}, nil},
		{"SmtpUTF8Mailbox that is not a UTF8String is skipped", nil,
			[]sanName{{otherID: oidSmtpUTF8Mailbox, value: func(b *cryptobyte.Builder) {
				b.AddASN1(cbasn1.IA5String, func(b *cryptobyte.Builder) { b.AddBytes([]byte("boss@bank.example")) })
			}}, {email: "eve@evil.example"}}, []string{"eve@evil.example"}},
		{"SmtpUTF8Mailbox with invalid UTF-8 is skipped", nil,
			[]sanName{smtp("boss\xff@bank.example"), {email: "eve@evil.example"}}, []string{"eve@evil.example"}},
		{"SmtpUTF8Mailbox with garbage after the type-id is skipped", nil,
			[]sanName{{otherID: oidSmtpUTF8Mailbox, value: func(b *cryptobyte.Builder) { b.AddBytes([]byte{0xff}) }}, {email: "eve@evil.example"}},
			[]string{"eve@evil.example"}},
		{"nothing", nil, nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var san *pkix.Extension
			if tc.san != nil {
				e := sanExtension(t, tc.san...)
				san = &e
			}
			got := CertificateAddresses(mintCert(t, tc.subject, san))
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("CertificateAddresses = %q, want %q", got, tc.want)
			}
		})
	}
	if got := CertificateAddresses(nil); got != nil {
		t.Errorf("CertificateAddresses(nil) = %q", got)
	}
}

func TestMatch(t *testing.T) {
	san := sanExtension(t, sanName{email: "Alice@Example.com"}, sanName{otherID: oidSmtpUTF8Mailbox, value: utf8Value("山田花子@例え.jp")})
	cert := mintCert(t, []string{"boss@bank.example"}, &san)
	for _, tc := range []struct {
		addr, want string
		ok         bool
	}{
		{"alice@example.com", "Alice@Example.com", true},
		{"山田花子@xn--r8jz45g.jp", "山田花子@例え.jp", true},
		{"boss@bank.example", "", false},
		{"alice+x@example.com", "", false},
		{"alice@\u0435xample.com", "", false},
	} {
		got, ok := Match(cert, tc.addr)
		if got != tc.want || ok != tc.ok {
			t.Errorf("Match(%q) = %q, %v; want %q, %v", tc.addr, got, ok, tc.want, tc.ok)
		}
	}
}

// corpusCert reads a certificate of the shared corpora next to the
// repository, skipping the test when they are absent.
func corpusCert(t *testing.T, rel string) *x509.Certificate {
	t.Helper()
	path := filepath.Join("..", "..", "..", "shared", "corpora", filepath.FromSlash(rel))
	data, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		t.Skipf("shared corpora absent: %s not found", rel)
	}
	require.NoError(t, err)
	block, _ := pem.Decode(data)
	if block == nil {
		t.Fatalf("%s: no PEM block", rel)
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		t.Fatalf("%s: %v", rel, err)
	}
	return cert
}

func TestThunderbirdAlice(t *testing.T) {
	cert := corpusCert(t, "thunderbird/certs/Alice.ee.pem")
	if got := CertificateAddresses(cert); !reflect.DeepEqual(got, []string{"Alice@example.com"}) {
		t.Errorf("CertificateAddresses = %q", got)
	}
	if got, ok := Match(cert, "alice@example.com"); !ok || got != "Alice@example.com" {
		t.Errorf("Match = %q, %v", got, ok)
	}
}

func TestThunderbirdEve(t *testing.T) {
	cert := corpusCert(t, "thunderbird/certs/Eve.ee.pem")
	want := []string{"eve@example.net", "eve@example.org", "beve@example.com"}
	if got := CertificateAddresses(cert); !reflect.DeepEqual(got, want) {
		t.Errorf("CertificateAddresses = %q, want %q", got, want)
	}
	if got, ok := Match(cert, "Eve@example.com"); ok {
		t.Errorf("subject address Eve@example.com matched %q though the certificate has SAN mailboxes", got)
	}
	if got, ok := Match(cert, "EVE@example.org"); !ok || got != "eve@example.org" {
		t.Errorf("Match = %q, %v", got, ok)
	}
}

func TestPkilintSmtpUTF8MailboxOnly(t *testing.T) {
	cert := corpusCert(t, "pkilint/smime_br/mailbox/multipurpose/smtputf8mailbox_only.pem")
	if got := CertificateAddresses(cert); !reflect.DeepEqual(got, []string{"山田花子@example.com"}) {
		t.Errorf("CertificateAddresses = %q", got)
	}
	if got, ok := Match(cert, "山田花子@EXAMPLE.com"); !ok || got != "山田花子@example.com" {
		t.Errorf("Match = %q, %v", got, ok)
	}
	if _, ok := Match(cert, "山田花子@example.net"); ok {
		t.Error("matched another domain")
	}
}
