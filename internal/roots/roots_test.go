package roots

import (
	"bytes"
	"crypto/sha256"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"os"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestBundleMatchesHeader(t *testing.T) {
	certs := Bundled()
	want, err := strconv.Atoi(headerOf(t, "Count"))
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

// TestGeneratedMatchesPEM: what the package embeds is what the reviewed PEM holds; after
// `make roots`, `go generate ./internal/roots` makes it so.
func TestGeneratedMatchesPEM(t *testing.T) {
	data, err := os.ReadFile("mozilla_smime.pem")
	require.NoError(t, err)
	var der []byte
	for rest := data; ; {
		var block *pem.Block
		if block, rest = pem.Decode(rest); block == nil {
			break
		}
		der = append(der, block.Bytes...)
	}
	if !bytes.Equal(der, bundleDER) {
		t.Error("mozilla_smime.der is not the certificates of mozilla_smime.pem: run go generate ./internal/roots")
	}
	if v := headerOf(t, "NSS version"); v != NSSVersion {
		t.Errorf("nss_version.go says %q, mozilla_smime.pem %q: run go generate ./internal/roots", NSSVersion, v)
	}
}

// headerOf is the value of a "# name: value" line in mozilla_smime.pem's header.
func headerOf(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile("mozilla_smime.pem")
	require.NoError(t, err)
	m := regexp.MustCompile(`(?m)^# ` + regexp.QuoteMeta(name) + `: (.+)$`).FindSubmatch(data)
	if m == nil {
		t.Fatalf("mozilla_smime.pem has no %q line", name)
	}
	return string(m[1])
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
