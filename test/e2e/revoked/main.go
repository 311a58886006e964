// Command revoked writes the revocation case of the end-to-end tests: two messages signed now
// by mailbox-validated certificates of the fixture CA (internal/testpki) whose
// cRLDistributionPoints name -url, and the intermediate's CRL, which lists the first signer
// (keyCompromise, an hour ago) and not the second.
//
//	go run ./test/e2e/revoked -url http://127.0.0.1:PORT/demo/crl/ca.crl -out DIR
//
// It writes DIR/revoked.eml, DIR/good.eml and DIR/ca.crl.
package main

import (
	"crypto/x509"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/mailseal/mailseal/internal/cms"
	"github.com/mailseal/mailseal/internal/testpki"
)

func main() {
	url := flag.String("url", "", "where the intermediate's CRL will be served")
	out := flag.String("out", ".", "directory for revoked.eml, good.eml and ca.crl")
	flag.Parse()
	if err := write(*url, *out); err != nil {
		fmt.Fprintln(os.Stderr, "revoked:", err)
		os.Exit(1)
	}
}

func write(url, dir string) error {
	if url == "" {
		return fmt.Errorf("-url is required")
	}
	pki, err := testpki.New()
	if err != nil {
		return err
	}
	now := time.Now().UTC().Truncate(time.Second)
	var revoked *x509.Certificate
	for _, c := range []struct{ name, email string }{{"revoked", "mallory@bank.example"}, {"good", "alice@bank.example"}} {
		prof := testpki.MailboxProfile(testpki.Strict, c.email)
		prof.NotBefore, prof.NotAfter = now.Add(-24*time.Hour), now.Add(365*24*time.Hour)
		prof.CRLDistributionPoints = []string{url}
		id, err := pki.Issue(prof)
		if err != nil {
			return err
		}
		if c.name == "revoked" {
			revoked = id.Certificate
		}
		msg, err := testpki.SignedMessage(
			testpki.Header{From: c.email, To: "demo@mailseal.test", Subject: "Your account (" + c.name + ")", Date: now.Add(-2 * time.Minute), Received: now.Add(-time.Minute)},
			testpki.TextContent("Please confirm your account details.\r\n"),
			[]*testpki.Identity{id}, cms.SignOptions{Detached: true, SigningTime: now.Add(-2 * time.Minute)})
		if err != nil {
			return err
		}
		// The demo inbox reads the expectation from NAME.expect beside the message.
		expect := "expect: valid\nlevel: V1\n"
		if c.name == "revoked" {
			expect = "expect: revoked\n"
		}
		expect += fmt.Sprintf("description: signed by a certificate whose CRL is at %s\n", url)
		if err := os.WriteFile(filepath.Join(dir, c.name+".eml"), msg, 0o644); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, c.name+".expect"), []byte(expect), 0o644); err != nil {
			return err
		}
	}
	crl, err := pki.Revocations(now.Add(-time.Hour), 1, revoked)
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "ca.crl"), crl, 0o644)
}
