package testpki

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"testing"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"

	"github.com/mailseal/mailseal/internal/cms"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestKeys(t *testing.T) {
	for k, check := range map[KeyType]func(any) bool{
		RSA2048:  func(p any) bool { r, ok := p.(*rsa.PublicKey); return ok && r.N.BitLen() == 2048 },
		RSA2048B: func(p any) bool { r, ok := p.(*rsa.PublicKey); return ok && r.N.BitLen() == 2048 },
		RSA3072:  func(p any) bool { r, ok := p.(*rsa.PublicKey); return ok && r.N.BitLen() == 3072 },
		RSA1024:  func(p any) bool { r, ok := p.(*rsa.PublicKey); return ok && r.N.BitLen() == 1024 },
		P256:     func(p any) bool { e, ok := p.(*ecdsa.PublicKey); return ok && e.Curve.Params().BitSize == 256 },
		P384:     func(p any) bool { e, ok := p.(*ecdsa.PublicKey); return ok && e.Curve.Params().BitSize == 384 },
		P521:     func(p any) bool { e, ok := p.(*ecdsa.PublicKey); return ok && e.Curve.Params().BitSize == 521 },
		Ed25519:  func(p any) bool { _, ok := p.(ed25519.PublicKey); return ok },
	} {
		key, err := Key(k)
		require.NoError(t, err)
		if !check(key.Public()) {
			t.Errorf("%s: wrong key %T", k, key.Public())
		}
	}
	if _, err := Key("rsa-512"); err == nil {
		t.Error("an unknown key type gives no error")
	}
}

// TestDeterministic: the same inputs give the same bytes, so vectors do not churn.
func TestDeterministic(t *testing.T) {
	a, err := build()
	require.NoError(t, err)
	b, _ := build()
	if !bytes.Equal(a.Root.Raw, b.Root.Raw) || !bytes.Equal(a.Intermediate.Raw, b.Intermediate.Raw) {
		t.Error("the CA certificates differ between two builds")
	}
	pki := MustNew(t)
	prof := MailboxProfile(Strict, "alice@example.com")
	prof.Key, prof.Issuer = P256, SelfSigned // an ECDSA signature: RFC 6979 or nothing
	one, two := pki.MustIssue(t, prof), pki.MustIssue(t, prof)
	if !bytes.Equal(one.Certificate.Raw, two.Certificate.Raw) {
		t.Error("a self-signed ECDSA certificate differs between two issues")
	}
	sign := func() []byte {
		der, err := cms.Sign([]byte("x"), []cms.Signer{one.Signer()}, cms.SignOptions{})
		require.NoError(t, err)
		return der
	}
	if !bytes.Equal(sign(), sign()) {
		t.Error("ECDSA CMS signatures differ between two runs")
	}
	other := MailboxProfile(Strict, "bob@example.com")
	if pki.MustIssue(t, other).Certificate.SerialNumber.Cmp(pki.MustIssue(t, MailboxProfile(Strict, "alice@example.com")).Certificate.SerialNumber) == 0 {
		t.Error("two profiles share a serial number")
	}
}

func TestIssuers(t *testing.T) {
	pki := MustNew(t)
	roots := x509.NewCertPool()
	roots.AddCert(pki.Root)
	verify := func(id *Identity) error {
		inter := x509.NewCertPool()
		for _, c := range id.Chain {
			inter.AddCert(c)
		}
		_, err := id.Certificate.Verify(x509.VerifyOptions{Roots: roots, Intermediates: inter, CurrentTime: Epoch,
			KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageEmailProtection}})
		return err
	}
	prof := MailboxProfile(Strict, "alice@example.com")
	if err := verify(pki.MustIssue(t, prof)); err != nil {
		t.Errorf("ordinary chain: %v", err)
	}
	for kind, name := range map[IssuerKind]string{ByOtherRoot: "other root", SelfSigned: "self-signed"} {
		p := prof
		p.Issuer = kind
		var unknown x509.UnknownAuthorityError
		if err := verify(pki.MustIssue(t, p)); !errors.As(err, &unknown) {
			t.Errorf("%s: %v, want an unknown authority", name, err)
		}
	}
	p := prof
	p.Issuer = BySHA1Intermediate
	id := pki.MustIssue(t, p)
	if id.Chain[0].SignatureAlgorithm != x509.SHA1WithRSA {
		t.Errorf("SHA-1 intermediate signed with %v", id.Chain[0].SignatureAlgorithm)
	}
	if err := verify(id); err == nil {
		t.Error("crypto/x509 accepts the SHA-1 signed intermediate")
	}
	p = prof
	p.NotBefore, p.NotAfter = Epoch.Add(-100*day), Epoch.Add(-day)
	var invalid x509.CertificateInvalidError
	if err := verify(pki.MustIssue(t, p)); !errors.As(err, &invalid) || invalid.Reason != x509.Expired {
		t.Errorf("expired profile: %v", err)
	}
}

func TestProfiles(t *testing.T) {
	pki := MustNew(t)
	sponsor := pki.MustIssue(t, SponsorProfile(Strict, "alice@acme.example", "Alice", "Liddell", "Acme Ltd", "NTRGB-1", "GB", "Buyer"))
	if len(sponsor.Certificate.Policies) != 1 || sponsor.Certificate.Policies[0].String() != "2.23.140.1.5.3.3" {
		t.Errorf("sponsor policies %v", sponsor.Certificate.Policies)
	}
	want := map[string]string{"2.5.4.42": "Alice", "2.5.4.4": "Liddell", "2.5.4.10": "Acme Ltd",
		"2.5.4.97": "NTRGB-1", "2.5.4.6": "GB", "2.5.4.12": "Buyer", "2.5.4.3": "Alice Liddell"}
	for _, n := range sponsor.Certificate.Subject.Names {
		if v, ok := want[n.Type.String()]; ok && v == n.Value {
			delete(want, n.Type.String())
		}
	}
	if len(want) != 0 {
		t.Errorf("subject lacks %v", want)
	}
	if len(sponsor.Certificate.EmailAddresses) != 1 || sponsor.Certificate.EmailAddresses[0] != "alice@acme.example" {
		t.Errorf("rfc822Name %v", sponsor.Certificate.EmailAddresses)
	}

	hostile := "<img src=x onerror=alert(1)>\u202e\u200b\x07" + string(bytes.Repeat([]byte("O"), 5000))
	org := pki.MustIssue(t, OrganizationProfile(Legacy, "o@acme.example", hostile, "", "GB"))
	if got := org.Certificate.Subject.Organization; len(got) != 1 || got[0] != hostile {
		t.Error("the hostile organization name did not survive byte for byte")
	}

	several := MailboxProfile(Strict, "a@example.com")
	several.Policies = append(several.Policies, Policy(Organization, Strict), Policy(Individual, Legacy))
	if n := len(pki.MustIssue(t, several).Certificate.Policies); n != 3 {
		t.Errorf("%d policies, want 3", n)
	}

	noSAN := MailboxProfile(Strict, "alice@example.com")
	noSAN.NoSAN, noSAN.NoEKU = true, true
	c := pki.MustIssue(t, noSAN).Certificate
	if len(c.EmailAddresses) != 0 || len(c.ExtKeyUsage) != 0 {
		t.Errorf("NoSAN/NoEKU certificate has SAN %v, EKU %v", c.EmailAddresses, c.ExtKeyUsage)
	}
	var email string
	for _, n := range c.Subject.Names {
		if n.Type.Equal(oidEmailAddress) {
			email, _ = n.Value.(string)
		}
	}
	if email != "alice@example.com" || !bytes.Contains(c.RawSubject, append([]byte{0x16, 17}, "alice@example.com"...)) {
		t.Errorf("subject emailAddress %q, want it as IA5String", email)
	}
}

// TestSmtpUTF8Mailbox reads the otherName back with cryptobyte, as a verifier must
// (crypto/x509 does not expose otherName).
func TestSmtpUTF8Mailbox(t *testing.T) {
	const mailbox = "山田花子@例え.jp"
	c := MustNew(t).MustIssue(t, Profile{UTF8Mailbox: mailbox}).Certificate
	var found string
	for _, e := range c.Extensions {
		if !e.Id.Equal(oidSubjectAltName) {
			continue
		}
		s := cryptobyte.String(e.Value)
		var names, other, explicit cryptobyte.String
		var oid asn1.ObjectIdentifier
		var value []byte
		if s.ReadASN1(&names, cbasn1.SEQUENCE) &&
			names.ReadASN1(&other, cbasn1.Tag(0).Constructed().ContextSpecific()) &&
			other.ReadASN1ObjectIdentifier(&oid) && oid.Equal(OIDSmtpUTF8Mailbox) &&
			other.ReadASN1(&explicit, cbasn1.Tag(0).Constructed().ContextSpecific()) &&
			explicit.ReadASN1Bytes(&value, cbasn1.UTF8String) {
			found = string(value)
		}
	}
	assert.Equal(t, mailbox, found, "SmtpUTF8Mailbox")
}

func TestRevocations(t *testing.T) {
	pki := MustNew(t)
	id := pki.MustIssue(t, MailboxProfile(Strict, "alice@example.com"))
	der, err := pki.Revocations(Epoch, 1, id.Certificate)
	require.NoError(t, err)
	crl, err := x509.ParseRevocationList(der)
	require.NoError(t, err)
	if err := crl.CheckSignatureFrom(pki.Intermediate); err != nil {
		t.Errorf("CRL not signed by the intermediate: %v", err)
	}
	if len(crl.RevokedCertificateEntries) != 1 || crl.RevokedCertificateEntries[0].SerialNumber.Cmp(id.Certificate.SerialNumber) != 0 ||
		crl.RevokedCertificateEntries[0].ReasonCode != 1 {
		t.Errorf("CRL entries %+v", crl.RevokedCertificateEntries)
	}
}
