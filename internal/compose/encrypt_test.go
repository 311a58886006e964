package compose_test

import (
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mailseal/mailseal/internal/cms"
	"github.com/mailseal/mailseal/internal/compose"
	"github.com/mailseal/mailseal/internal/keys/keystest"
	"github.com/mailseal/mailseal/internal/smime"
	"github.com/mailseal/mailseal/internal/testpki"
)

// encryptFixture is zoe (the sender, RSA) writing to bob (RSA) and carol (P-256).
func encryptFixture(t *testing.T) (*testpki.PKI, map[string]*testpki.Identity) {
	pki := testpki.MustNew(t)
	ids := map[string]*testpki.Identity{}
	for email, kt := range map[string]testpki.KeyType{"zoe@example.com": testpki.RSA2048, "bob@example.org": testpki.RSA2048B, "carol@example.net": testpki.P256} {
		prof := testpki.MailboxProfile(testpki.Strict, email)
		prof.Key = kt
		prof.KeyUsage = x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment | x509.KeyUsageKeyAgreement
		ids[email] = pki.MustIssue(t, prof)
	}
	return pki, ids
}

func TestSignAndEncrypt(t *testing.T) {
	pki, ids := encryptFixture(t)
	d := draft()
	d.Cc, d.Bcc = "", ""
	m, err := compose.Build(d)
	if err != nil {
		t.Fatal(err)
	}
	sender := keystest.Identity(t, ids["zoe@example.com"])
	gcm := []asn1.ObjectIdentifier{cms.OIDAES256GCM, cms.OIDAES256CBC}
	for _, c := range []struct {
		name      string
		bobCaps   []asn1.ObjectIdentifier
		carolCaps []asn1.ObjectIdentifier
		wantGCM   bool
	}{
		{"every recipient announced GCM", gcm, gcm, true},
		{"one did not", gcm, nil, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			msg, err := compose.SignAndEncrypt(m, sender, []compose.Recipient{
				{Certificate: ids["bob@example.org"].Certificate, Capabilities: c.bobCaps},
				{Certificate: ids["carol@example.net"].Certificate, Capabilities: c.carolCaps},
			}, at)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(string(msg), "Köln") || strings.Contains(string(msg), "Lorem") {
				t.Fatal("the body is readable in the encrypted message")
			}
			if got := strings.Contains(string(msg), "smime-type=authEnveloped-data"); got != c.wantGCM {
				t.Errorf("authEnveloped-data: %v", got)
			}
			opts := smime.Options{Roots: []*x509.Certificate{pki.Root}, NoBundledRoots: true, Now: at.Add(time.Hour)}
			// Each recipient, and the sender for the sent copy, can read it.
			for _, who := range []string{"bob@example.org", "carol@example.net", "zoe@example.com"} {
				id := ids[who]
				o, err := smime.Open(msg, []cms.Key{{Certificate: id.Certificate, Private: keystest.BareKey(id.Key)}}, opts)
				if err != nil {
					t.Fatal(err)
				}
				r := o.Report
				if r.Status != smime.StatusValid || r.Encryption == nil || r.Encryption.Signature != "inside" || r.Encryption.TamperEvident != c.wantGCM {
					t.Fatalf("%s: %s %+v %v", who, r.Status, r.Encryption, r.Reasons)
				}
				if r.Encryption.Recipients != 3 || r.Signer.Email != "zoe@example.com" {
					t.Errorf("%s: %d recipients, signer %s", who, r.Encryption.Recipients, r.Signer.Email)
				}
				if !strings.Contains(string(o.Content), "Content-Type: multipart/") {
					t.Errorf("%s: content %.80q", who, o.Content)
				}
			}
		})
	}
}

func TestSignAndEncryptNamesAddresseesWithoutCertificate(t *testing.T) {
	_, ids := encryptFixture(t)
	m, err := compose.Build(draft()) // To bob and carol, Cc dan, Bcc eve
	if err != nil {
		t.Fatal(err)
	}
	_, err = compose.SignAndEncrypt(m, keystest.Identity(t, ids["zoe@example.com"]), []compose.Recipient{
		{Certificate: ids["bob@example.org"].Certificate},
		{Certificate: ids["carol@example.net"].Certificate},
	}, at)
	var missing *compose.MissingCertificateError
	if !errors.As(err, &missing) || !slices.Equal(missing.Addresses, []string{"dan@example.org", "eve@example.net"}) {
		t.Fatalf("got %v", err)
	}
}

func TestSignAndEncryptRefusesASenderWhoCannotDecrypt(t *testing.T) {
	pki, ids := encryptFixture(t)
	signOnly := pki.MustIssue(t, testpki.MailboxProfile(testpki.Strict, "zoe@example.com")) // digitalSignature, nonRepudiation
	d := draft()
	d.To, d.Cc, d.Bcc = "bob@example.org", "", ""
	m, err := compose.Build(d)
	if err != nil {
		t.Fatal(err)
	}
	_, err = compose.SignAndEncrypt(m, keystest.Identity(t, signOnly), []compose.Recipient{{Certificate: ids["bob@example.org"].Certificate}}, at)
	if !errors.Is(err, compose.ErrSenderCannotDecrypt) || !strings.Contains(err.Error(), "sender's certificate may not be used for encryption") {
		t.Fatalf("got %v", err)
	}
}
