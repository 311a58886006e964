package roots

import (
	"bytes"
	"crypto/sha256"
	"crypto/x509"
	"errors"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestBundleMatchesHeader(t *testing.T) {
	certs := Bundled()
	want, err := strconv.Atoi(headerField(bundlePEM, "Count"))
	require.NoError(t, err, "header Count")
	if len(certs) != want {
		t.Errorf("bundle has %d certificates, header says %d", len(certs), want)
	}
	if len(certs) <= 50 {
		t.Errorf("bundle has only %d certificates; Mozilla trusts far more for S/MIME", len(certs))
	}
	if !regexp.MustCompile(`^3\.\d+(\.\d+)*$`).MatchString(NSSVersion) {
		t.Errorf("NSSVersion = %q, want an NSS 3.x release", NSSVersion)
	}
}

func TestBundleHoldsDistinctCAs(t *testing.T) {
	seen := map[[sha256.Size]byte]bool{}
	for _, c := range Bundled() {
		// A v1 certificate has no basic constraints; NSS trusts a few such old roots.
		if !(c.BasicConstraintsValid && c.IsCA) && c.Version != 1 {
			t.Errorf("%s: not a CA certificate", c.Subject)
		}
		// Roots are self-issued and self-signed; anything else means the export grabbed the
		// wrong certificate. Go will not check SHA-1 signatures, which a dozen old roots carry.
		var insecure x509.InsecureAlgorithmError
		if !bytes.Equal(c.RawSubject, c.RawIssuer) {
			t.Errorf("%s: issued by %s, not by itself", c.Subject, c.Issuer)
		} else if err := c.CheckSignatureFrom(c); err != nil && !errors.As(err, &insecure) {
			t.Errorf("%s: not self-signed: %v", c.Subject, err)
		}
		h := sha256.Sum256(c.Raw)
		if seen[h] {
			t.Errorf("%s: listed twice", c.Subject)
		}
		seen[h] = true
	}
}

func TestBundledReturnsFreshSlice(t *testing.T) {
	a := Bundled()
	a[0] = nil
	if Bundled()[0] == nil {
		t.Fatal("changing the returned slice changed the bundle")
	}
}

func TestPoolAndIsBundled(t *testing.T) {
	root := Bundled()[0]
	at := root.NotBefore.Add(time.Hour)
	opts := x509.VerifyOptions{Roots: Pool(), CurrentTime: at, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}}
	if _, err := root.Verify(opts); err != nil {
		t.Errorf("bundled root does not verify against Pool: %v", err)
	}
	if !IsBundled(root) {
		t.Error("IsBundled(bundled root) = false")
	}

	own, _ := selfSigned(t, "not bundled")
	if IsBundled(own) || IsBundled(nil) {
		t.Error("IsBundled is true for a certificate outside the bundle")
	}
	changed := append([]byte(nil), root.Raw...)
	changed[len(changed)-1] ^= 1
	if IsBundled(&x509.Certificate{Raw: changed}) {
		t.Error("IsBundled is true for a bundled root with one byte changed")
	}

	// Adding to one pool must not leak into the next.
	Pool().AddCert(own)
	opts = x509.VerifyOptions{Roots: Pool(), CurrentTime: own.NotBefore.Add(time.Hour)}
	if _, err := own.Verify(opts); err == nil {
		t.Error("a certificate added to one Pool() shows up in the next")
	}
}

func TestHeaderField(t *testing.T) {
	file := []byte("# NSS version: 3.99\r\n# Count: 2\n\n# Generated: 2030-01-01\n-----BEGIN CERTIFICATE-----\n")
	if got := headerField(file, "NSS version"); got != "3.99" {
		t.Errorf("NSS version = %q", got)
	}
	if got := headerField(file, "Count"); got != "2" {
		t.Errorf("Count = %q", got)
	}
	if got := headerField(file, "Generated"); got != "" {
		t.Errorf("field after the header = %q, want none", got)
	}
}

func TestBundledDERMatchesBundled(t *testing.T) {
	der, certs := BundledDER(), Bundled()
	if len(der) != len(certs) {
		t.Fatalf("%d DER roots, %d parsed", len(der), len(certs))
	}
	for i := range der {
		if !bytes.Equal(der[i], certs[i].Raw) {
			t.Errorf("root %d differs between BundledDER and Bundled", i)
		}
	}
}
