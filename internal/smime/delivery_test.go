package smime

import (
	"crypto/x509"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/mailseal/mailseal/internal/cms"
	"github.com/mailseal/mailseal/internal/testpki"
	"github.com/stretchr/testify/require"
)

const day = 24 * time.Hour

// issue9Signer is a mailbox-validated certificate valid for the 60 days around Epoch.
func issue9Signer(t *testing.T, cn string) (*testpki.PKI, *testpki.Identity) {
	t.Helper()
	pki := testpki.MustNew(t)
	prof := testpki.MailboxProfile(testpki.Strict, "ana@bank.example")
	prof.Subject.CommonName = cn // a certificate of its own, with a serial of its own
	prof.NotBefore, prof.NotAfter = testpki.Epoch.Add(-30*day), testpki.Epoch.Add(30*day)
	return pki, pki.MustIssue(t, prof)
}

// signedAt is a message signed by id claiming signingTime, with header h.
func signedAt(t *testing.T, id *testpki.Identity, h testpki.Header, signingTime time.Time) []byte {
	t.Helper()
	h.From, h.To = "ana@bank.example", "you@example.com"
	msg, err := testpki.SignedMessage(h, testpki.TextContent("Pay 100 EUR.\n"), []*testpki.Identity{id},
		cms.SignOptions{Detached: true, SigningTime: signingTime})
	require.NoError(t, err)
	return msg
}

func verifyWith(t *testing.T, pki *testpki.PKI, msg []byte, opts Options) *Report {
	t.Helper()
	opts.Roots, opts.NoBundledRoots = []*x509.Certificate{pki.Root}, true
	r, err := Verify(msg, opts)
	require.NoError(t, err)
	return r
}

func joined(r *Report) string {
	return strings.Join(append(append([]string{}, r.Reasons...), r.Notes...), " | ")
}

// TestBackDatedSigningTimeDoesNotRescueAnExpiredCertificate: the signer's own signingTime is
// a claim. A certificate that expired long before delivery stays expired however the
// signature is dated; one that expired while the message was in transit is still good.
func TestBackDatedSigningTimeDoesNotRescueAnExpiredCertificate(t *testing.T) {
	pki, id := issue9Signer(t, "Ana Back-dated")
	expiry := id.Certificate.NotAfter
	cases := []struct {
		name              string
		signed, delivered time.Time
		want              Status
		text              string
	}{
		{"expired a year before delivery, signed inside validity", testpki.Epoch, expiry.Add(365 * day), StatusExpired, "signer's claim"},
		{"expired a day before delivery, signed two days before", expiry.Add(-day), expiry.Add(day), StatusValid, "inside the 3-day transit window"},
		{"expired 4 days before delivery, signed 5 days before", expiry.Add(-day), expiry.Add(4 * day), StatusExpired, "judged at the delivery time"},
	}
	for _, c := range cases {
		msg := signedAt(t, id, testpki.Header{Date: c.signed, Received: c.delivered}, c.signed)
		r := verifyWith(t, pki, msg, Options{Now: c.delivered.Add(time.Hour)})
		if r.Status != c.want || !strings.Contains(joined(r), c.text) {
			t.Errorf("%s: %s, %q; want %s with %q", c.name, r.Status, joined(r), c.want, c.text)
		}
	}
}

// TestNoReceivedField: without a Received field the delivery time is the provider's time
// when given (Graph's receivedDateTime), else the present; an old signingTime is not used.
func TestNoReceivedField(t *testing.T) {
	pki, id := issue9Signer(t, "Ana Sent Items")
	expiry := id.Certificate.NotAfter
	msg := signedAt(t, id, testpki.Header{Date: testpki.Epoch, NoReceived: true}, testpki.Epoch)
	if r := verifyWith(t, pki, msg, Options{Now: expiry.Add(90 * day)}); r.Status != StatusExpired {
		t.Errorf("no Received, read 90 days after expiry: %s %q", r.Status, joined(r))
	}
	r := verifyWith(t, pki, msg, Options{Now: expiry.Add(90 * day), DeliveryTime: testpki.Epoch.Add(time.Minute)})
	if r.Status != StatusValid || !r.DeliveryTime.Equal(testpki.Epoch.Add(time.Minute)) {
		t.Errorf("no Received, the provider's time inside validity: %s %q at %v", r.Status, joined(r), r.DeliveryTime)
	}
	if r := verifyWith(t, pki, msg, Options{Now: expiry.Add(90 * day), DeliveryTime: expiry.Add(10 * day)}); r.Status != StatusExpired {
		t.Errorf("no Received, the provider's time after expiry: %s %q", r.Status, joined(r))
	}
}

// TestProviderTimeOutranksAnEarlierReceived: a message without the provider's own Received
// field shows the sender's on top, which may be back-dated; the provider's later time wins.
func TestProviderTimeOutranksAnEarlierReceived(t *testing.T) {
	pki, id := issue9Signer(t, "Ana Forged Received")
	expiry := id.Certificate.NotAfter
	msg := signedAt(t, id, testpki.Header{Date: testpki.Epoch, Received: testpki.Epoch.Add(time.Minute)}, testpki.Epoch)
	r := verifyWith(t, pki, msg, Options{Now: expiry.Add(90 * day), DeliveryTime: expiry.Add(60 * day)})
	if r.Status != StatusExpired || !strings.Contains(joined(r), "provider's time is used") {
		t.Errorf("%s %q", r.Status, joined(r))
	}
	// A delivery time in the future is not believed.
	r = verifyWith(t, pki, signedAt(t, id, testpki.Header{Date: testpki.Epoch, Received: testpki.Epoch.Add(400 * day)}, testpki.Epoch),
		Options{Now: testpki.Epoch.Add(time.Hour)})
	if !r.DeliveryTime.Equal(testpki.Epoch.Add(time.Hour)) || !strings.Contains(joined(r), "in the future") {
		t.Errorf("future Received: delivery %v, %q", r.DeliveryTime, joined(r))
	}
}

// TestRevokedBeforeDeliveryWhateverTheReason: revoked after signing but before delivery,
// for any reason, is revoked.
func TestRevokedBeforeDeliveryWhateverTheReason(t *testing.T) {
	pki, id := issue9Signer(t, "Ana Revoked")
	signed, delivered := testpki.Epoch, testpki.Epoch.Add(2*day)
	msg := signedAt(t, id, testpki.Header{Date: signed, Received: delivered}, signed)
	for _, reason := range []int{0, 3, 4, 1} {
		crl, err := pki.CRL(&x509.RevocationList{Number: big.NewInt(int64(10 + reason)), ThisUpdate: signed, NextUpdate: signed.Add(30 * day),
			RevokedCertificateEntries: []x509.RevocationListEntry{{SerialNumber: id.Certificate.SerialNumber, RevocationTime: signed.Add(day), ReasonCode: reason}}})
		require.NoError(t, err)
		r := verifyWith(t, pki, msg, Options{Now: delivered.Add(time.Hour), CRLs: [][]byte{crl}})
		if r.Status != StatusRevoked || !strings.Contains(joined(r), "before the message was delivered") {
			t.Errorf("reason %d: %s %q", reason, r.Status, joined(r))
		}
	}
}

// TestAttachedMessageIsJudgedAtTheOuterDelivery: the Received fields of an attached message
// were written by whoever attached it; it is judged when the outer message arrived.
func TestAttachedMessageIsJudgedAtTheOuterDelivery(t *testing.T) {
	pki, id := issue9Signer(t, "Ana Forwarded")
	expiry := id.Certificate.NotAfter
	inner := signedAt(t, id, testpki.Header{Date: testpki.Epoch, Received: testpki.Epoch.Add(time.Minute)}, testpki.Epoch)
	outer := testpki.Message(testpki.Header{From: "mallory@example.net", Date: expiry.Add(90 * day)},
		testpki.Mixed(testpki.TextContent("see attached\n"), testpki.AttachedMessage(inner)))
	r := verifyWith(t, pki, outer, Options{Now: expiry.Add(91 * day)})
	if len(r.Attached) != 1 || r.Attached[0].Report.Status != StatusExpired {
		t.Fatalf("attached: %+v", r.Attached)
	}
	if got := r.Attached[0].Report.DeliveryTime; !got.Equal(*r.DeliveryTime) {
		t.Errorf("attached delivery %v, outer %v", got, r.DeliveryTime)
	}
}
