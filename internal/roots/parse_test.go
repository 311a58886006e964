package roots

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func selfSigned(t testing.TB, cn string) (*x509.Certificate, []byte) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: cn},
		NotBefore:             time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC),
		NotAfter:              time.Date(2045, 1, 1, 0, 0, 0, 0, time.UTC),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	c, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	return c, der
}

func pemBlock(typ string, b []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: b})
}

func TestParsePEMOrDER(t *testing.T) {
	a, derA := selfSigned(t, "root A")
	b, derB := selfSigned(t, "root B")

	var twoPEM bytes.Buffer
	twoPEM.WriteString("# roots exported by hand\n")
	twoPEM.Write(pemBlock("CERTIFICATE", derA))
	twoPEM.Write(pemBlock("PRIVATE KEY", []byte("not a certificate")))
	twoPEM.WriteString("Subject: root B\n")
	twoPEM.Write(pemBlock("CERTIFICATE", derB))

	for _, tc := range []struct {
		name string
		in   []byte
		want []*x509.Certificate
	}{
		{"PEM, two certs and a key", twoPEM.Bytes(), []*x509.Certificate{a, b}},
		{"PEM with CRLF", bytes.ReplaceAll(pemBlock("CERTIFICATE", derA), []byte("\n"), []byte("\r\n")), []*x509.Certificate{a}},
		{"DER", derA, []*x509.Certificate{a}},
		{"DER, two back to back", append(append([]byte(nil), derA...), derB...), []*x509.Certificate{a, b}},
	} {
		got, err := ParsePEMOrDER(tc.in)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if len(got) != len(tc.want) {
			t.Errorf("%s: %d certificates, want %d", tc.name, len(got), len(tc.want))
			continue
		}
		for i := range got {
			if !got[i].Equal(tc.want[i]) {
				t.Errorf("%s: certificate %d is %s, want %s", tc.name, i, got[i].Subject, tc.want[i].Subject)
			}
		}
	}
}

func TestParsePEMOrDERRejects(t *testing.T) {
	_, derA := selfSigned(t, "root A")
	good := pemBlock("CERTIFICATE", derA)

	flipped := append([]byte(nil), derA...)
	flipped[4] ^= 0xff // inside the TBSCertificate header: no longer valid DER
	damaged := bytes.Replace(good, []byte("\n"), []byte("\n!!!!"), 2)

	for _, tc := range []struct {
		name    string
		in      []byte
		noCerts bool   // want ErrNoCertificates
		mention string // text the error must contain
	}{
		{"empty", nil, true, ""},
		{"blank", []byte(" \r\n\t"), true, ""},
		{"garbage", []byte("hello, this is not a certificate"), false, "neither PEM nor"},
		{"truncated DER", derA[:len(derA)-10], false, "neither PEM nor"},
		{"DER with a byte changed", flipped, false, "neither PEM nor"},
		{"only a key", pemBlock("PRIVATE KEY", []byte{1, 2, 3}), true, "PRIVATE KEY"},
		{"OpenSSL trusted certificate", pemBlock("TRUSTED CERTIFICATE", derA), true, "TRUSTED CERTIFICATE"},
		{"text with no PEM block", []byte("-----BEGIN nothing"), false, "block 1 is damaged"},
		{"CERTIFICATE block holding junk", pemBlock("CERTIFICATE", []byte("junk")), false, "block 1"},
		{"bad base64 before a good block", append(damaged, good...), false, "block 1 is damaged"},
		{"no END line", append(append([]byte(nil), good...), []byte("-----BEGIN CERTIFICATE-----\nMIIB\n")...), false, "block 2 is damaged"},
	} {
		certs, err := ParsePEMOrDER(tc.in)
		if err == nil {
			t.Errorf("%s: no error, got %d certificates", tc.name, len(certs))
			continue
		}
		if errors.Is(err, ErrNoCertificates) != tc.noCerts {
			t.Errorf("%s: error %q, ErrNoCertificates = %v", tc.name, err, !tc.noCerts)
		}
		if !strings.HasPrefix(err.Error(), "roots: ") || !strings.Contains(err.Error(), tc.mention) {
			t.Errorf("%s: error %q, want it to mention %q", tc.name, err, tc.mention)
		}
	}
}

// FuzzParsePEMOrDER: whatever a user hands over, the answer is certificates or an error, never
// a panic, and never both nothing and no error.
func FuzzParsePEMOrDER(f *testing.F) {
	_, der := selfSigned(f, "seed")
	f.Add(der)
	f.Add(pemBlock("CERTIFICATE", der))
	f.Add(append(pemBlock("PRIVATE KEY", []byte{1}), pemBlock("CERTIFICATE", der)...))
	f.Add([]byte("-----BEGIN CERTIFICATE-----\n-----BEGIN CERTIFICATE-----\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		certs, err := ParsePEMOrDER(data)
		if (err == nil) == (len(certs) == 0) {
			t.Fatalf("%d certificates and error %v", len(certs), err)
		}
	})
}
