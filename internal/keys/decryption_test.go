package keys_test

import (
	"crypto/x509"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/mailseal/mailseal/internal/keys"
	"github.com/mailseal/mailseal/internal/keys/keystest"
	"github.com/mailseal/mailseal/internal/testpki"
	"software.sslmate.com/src/go-pkcs12"
)

func TestImportForDecryption(t *testing.T) {
	pki := testpki.MustNew(t)
	issue := func(ku x509.KeyUsage, notAfter time.Time) []byte {
		prof := testpki.MailboxProfile(testpki.Strict, "bob@example.org")
		prof.KeyUsage, prof.NotAfter = ku, notAfter
		return keystest.PKCS12(t, pki.MustIssue(t, prof), "pw", pkcs12.Modern)
	}
	encryptionOnly := issue(x509.KeyUsageKeyEncipherment, time.Time{})
	if _, err := keys.ImportAt(encryptionOnly, "pw", testpki.Epoch); !errors.Is(err, keys.ErrRefused) {
		t.Fatalf("signing import of an encryption-only certificate: %v", err)
	}
	id, err := keys.ImportForDecryption(encryptionOnly, "pw")
	if err != nil {
		t.Fatalf("an encryption-only certificate: %v", err)
	}
	if k := id.DecryptionKey(); k.Certificate != id.Certificate || k.Private == nil {
		t.Fatal("DecryptionKey does not carry the identity")
	}
	// Expired long ago: old mail encrypted to it must still open.
	if _, err := keys.ImportForDecryption(issue(x509.KeyUsageDigitalSignature|x509.KeyUsageKeyEncipherment, testpki.Epoch.Add(-24*time.Hour)), "pw"); err != nil {
		t.Fatalf("an expired certificate: %v", err)
	}
	_, err = keys.ImportForDecryption(issue(x509.KeyUsageDigitalSignature, time.Time{}), "pw")
	var r *keys.Refusal
	if !errors.As(err, &r) || r.Problem != keys.ProblemKeyUsage || !strings.Contains(r.Reason, "may not be used for encryption") {
		t.Fatalf("a signing-only certificate: %v", err)
	}
	if _, err := keys.ImportForDecryption(encryptionOnly, "wrong"); !errors.Is(err, keys.ErrBadPassword) {
		t.Fatalf("a wrong password: %v", err)
	}
}

func TestDescribeSaysWhatTheIdentityCanDo(t *testing.T) {
	pki := testpki.MustNew(t)
	for _, c := range []struct {
		name                string
		ku                  x509.KeyUsage
		notAfter            time.Time
		canSign, canDecrypt bool
		why                 string
	}{
		{"signs and decrypts", x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment, time.Time{}, true, true, ""},
		{"signs only", x509.KeyUsageDigitalSignature, time.Time{}, true, false, ""},
		{"encryption only", x509.KeyUsageKeyEncipherment, time.Time{}, false, true, "may not be used for signatures: its key usage allows only key encipherment"},
		{"expired", x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment, testpki.Epoch.Add(-time.Hour), false, true, "expired"},
	} {
		prof := testpki.MailboxProfile(testpki.Strict, "bob@example.org")
		prof.KeyUsage, prof.NotAfter = c.ku, c.notAfter
		id := pki.MustIssue(t, prof)
		// A locked identity is described from its certificates alone.
		s := keys.Describe(&keys.Identity{Certificate: id.Certificate}, testpki.Epoch, nil)
		if s.CanSign != c.canSign || s.CanDecrypt != c.canDecrypt || !strings.Contains(s.SignReason, c.why) || (c.why == "") != (s.SignReason == "") {
			t.Errorf("%s: canSign %v canDecrypt %v %q", c.name, s.CanSign, s.CanDecrypt, s.SignReason)
		}
	}
}
