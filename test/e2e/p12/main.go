// Command p12 writes the signing identity of the end-to-end tests: a sponsor-validated (V4)
// certificate for the demo account from the fixture CA (internal/testpki, whose root the demo
// trusts), for signing and encryption, valid from yesterday for a year, as a modern PKCS #12 file, and beside it the
// private key's PKCS #8 DER, which the tests search extension storage and pages for.
//
//	go run ./test/e2e/p12 -email demo@mailseal.test -password PW -out DIR
package main

import (
	"crypto/x509"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/mailseal/mailseal/internal/keys/keystest"
	"github.com/mailseal/mailseal/internal/testpki"
	"software.sslmate.com/src/go-pkcs12"
)

func main() {
	email := flag.String("email", "demo@mailseal.test", "the address the certificate names")
	password := flag.String("password", "", "the PKCS #12 password")
	out := flag.String("out", ".", "directory for identity.p12 and key.der")
	days := flag.Int("days", 365, "how many days from now the certificate is valid (another number gives another certificate for the same address, as a renewal does)")
	flag.Parse()
	if err := write(*email, *password, *out, *days); err != nil {
		fmt.Fprintln(os.Stderr, "p12:", err)
		os.Exit(1)
	}
}

func write(email, password, dir string, days int) error {
	pki, err := testpki.New()
	if err != nil {
		return err
	}
	prof := testpki.SponsorProfile(testpki.Strict, email, "Demo", "User", "Mailseal Demo Ltd", "NTRGB-12345678", "GB", "Tester")
	prof.NotBefore, prof.NotAfter = time.Now().Add(-24*time.Hour), time.Now().Add(time.Duration(days)*24*time.Hour)
	// It signs and decrypts, as most personal S/MIME certificates do: the demo's encrypted
	// messages (cmd/genvectors, encrypted-demo-*) are encrypted to its key, and a message sent
	// encrypted is encrypted to it too.
	prof.KeyUsage = x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment | x509.KeyUsageKeyEncipherment
	id, err := pki.Issue(prof)
	if err != nil {
		return err
	}
	key := keystest.BareKey(id.Key)
	p12, err := pkcs12.Modern.Encode(key, id.Certificate, id.Chain, password)
	if err != nil {
		return err
	}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "identity.p12"), p12, 0o600); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "key.der"), der, 0o600)
}
