//go:build js && wasm

package main

import (
	"bytes"
	"crypto/x509"
	"encoding/pem"
	"os"
	"strings"
	"syscall/js"
	"testing"
	"time"

	"github.com/mailseal/mailseal/internal/keys"
	"github.com/mailseal/mailseal/internal/keys/keystest"
	"github.com/mailseal/mailseal/internal/smime"
	"github.com/mailseal/mailseal/internal/testpki"
	"github.com/mailseal/mailseal/wasm/internal/errcode"
	"github.com/stretchr/testify/require"
	"software.sslmate.com/src/go-pkcs12"
)

const (
	p12Password = "file password"
	passphrase  = "tin roof rusted, twice"
	alice       = "alice@example.com"
)

// signingIdentity is an organization-validated fixture identity as a PKCS #12 file.
func signingIdentity(t *testing.T) (*testpki.PKI, *testpki.Identity, []byte) {
	t.Helper()
	pki := testpki.MustNew(t)
	prof := testpki.OrganizationProfile(testpki.Strict, alice, "Example Ltd", "NTRGB-12345678", "GB")
	prof.NotBefore, prof.NotAfter = time.Now().Add(-24*time.Hour), time.Now().Add(365*24*time.Hour)
	id := pki.MustIssue(t, prof)
	return pki, id, keystest.PKCS12(t, id, p12Password, pkcs12.Modern)
}

func pemOf(c *x509.Certificate) string {
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw}))
}

func jsBytes(b []byte) js.Value { return bytesToJS(b) }

func goBytes(v js.Value) []byte {
	b := make([]byte, v.Length())
	js.CopyBytesToGo(b, v)
	return b
}

func TestImportIdentity(t *testing.T) {
	pki, _, p12 := signingIdentity(t)
	opts := map[string]any{"roots": pemOf(pki.Root)}
	v, err := callAPI(t, "importIdentity", jsBytes(p12), p12Password, js.ValueOf(opts))
	require.NoError(t, err)
	if got := v.Get("addresses").Index(0).String(); got != alice {
		t.Errorf("address %q, want %q", got, alice)
	}
	if got := v.Get("level").String(); got != "V3" {
		t.Errorf("level %q, want V3", got)
	}
	if !v.Get("trusted").Bool() {
		t.Errorf("not trusted under the fixture root: %s", v.Get("trustReason").String())
	}
	if got := callAPIError(t, "importIdentity", jsBytes(p12), "wrong"); got.code != "ERR_BAD_PASSWORD" {
		t.Errorf("wrong password: %+v", got)
	}
	if got := callAPIError(t, "importIdentity", jsBytes(p12[:len(p12)/2]), p12Password); got.code != "ERR_NOT_PKCS12" {
		t.Errorf("truncated file: %+v", got)
	}
}

func TestImportRefusesServerCertificate(t *testing.T) {
	pki := testpki.MustNew(t)
	prof := testpki.Profile{Email: alice, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	p12 := keystest.PKCS12(t, pki.MustIssue(t, prof), p12Password, pkcs12.Modern)
	got := callAPIError(t, "importIdentity", jsBytes(p12), p12Password)
	if got.code != "ERR_REFUSED" {
		t.Fatalf("got %+v, want ERR_REFUSED", got)
	}
	// The message is the sentence the extension shows, without a package prefix.
	if strings.HasPrefix(got.message, "keys:") || !strings.Contains(got.message, "email protection") {
		t.Errorf("reason %q", got.message)
	}
}

// sealAndUnlock returns a sealed identity and a session unlocked for an hour.
func sealAndUnlock(t *testing.T, p12 []byte) (sealed []byte, session js.Value) {
	t.Helper()
	v, err := callAPI(t, "sealIdentity", jsBytes(p12), p12Password, passphrase)
	require.NoError(t, err)
	sealed = goBytes(v.Get("sealed"))
	lockAt := time.Now().Add(time.Hour).Format(time.RFC3339)
	session, err = callAPI(t, "unlockIdentity", jsBytes(sealed), passphrase, js.ValueOf(map[string]any{"lockAt": lockAt}))
	require.NoError(t, err)
	return sealed, session
}

func TestSealUnlockSignVerify(t *testing.T) {
	pki, id, p12 := signingIdentity(t)
	sealed, session := sealAndUnlock(t, p12)

	// Neither the sealed identity nor the session holds the private key in clear.
	pkcs8, err := x509.MarshalPKCS8PrivateKey(keystest.BareKey(id.Key))
	require.NoError(t, err)
	for name, b := range map[string][]byte{"sealed": sealed, "session": goBytes(session.Get("session"))} {
		if bytes.Contains(b, pkcs8[len(pkcs8)-64:]) {
			t.Errorf("%s identity contains the private key", name)
		}
	}
	if got := callAPIError(t, "unlockIdentity", jsBytes(sealed), "wrong", js.ValueOf(map[string]any{"lockAt": time.Now().Add(time.Hour).Format(time.RFC3339)})); got.code != "ERR_BAD_PASSPHRASE" {
		t.Errorf("wrong passphrase: %+v", got)
	}

	message := map[string]any{
		"from": "Alice <" + alice + ">", "to": "Bob <bob@example.net>", "subject": "Grüße",
		"text":        "Hello Bob,\n\nsee the attachment.\n",
		"attachments": []any{map[string]any{"name": "notes.txt", "type": "text/plain", "data": jsBytes([]byte("a note\n"))}},
	}
	ident := js.ValueOf(map[string]any{"session": session.Get("session"), "sessionKey": session.Get("sessionKey")})
	v, err := callAPI(t, "sign", ident, js.ValueOf(message))
	require.NoError(t, err)
	raw := goBytes(v.Get("raw"))
	report, err := smime.Verify(raw, smime.Options{Roots: []*x509.Certificate{pki.Root}})
	require.NoError(t, err)
	if report.Status != smime.StatusValid {
		t.Fatalf("signed message is %s: %v", report.Status, report.Reasons)
	}
	if got := v.Get("summary").Get("size").Int(); got != len(raw) {
		t.Errorf("summary size %d, message %d", got, len(raw))
	}

	// The sealed identity with its passphrase signs as well.
	byPassphrase := js.ValueOf(map[string]any{"sealed": jsBytes(sealed), "passphrase": passphrase})
	if _, err := callAPI(t, "sign", byPassphrase, js.ValueOf(message)); err != nil {
		t.Errorf("sign with the passphrase: %v", err)
	}
}

func TestSessionRefusals(t *testing.T) {
	_, _, p12 := signingIdentity(t)
	_, session := sealAndUnlock(t, p12)
	message := js.ValueOf(map[string]any{"from": alice, "to": "bob@example.net", "text": "hi"})
	good, key := goBytes(session.Get("session")), goBytes(session.Get("sessionKey"))
	sign := func(s, k []byte, opts map[string]any) rejection {
		return callAPIError(t, "sign", js.ValueOf(map[string]any{"session": jsBytes(s), "sessionKey": jsBytes(k)}), message, js.ValueOf(opts))
	}
	if got := sign(good, key, nil); got.code != "(resolved)" {
		t.Fatalf("good session: %+v", got)
	}
	flipped := bytes.Clone(good)
	flipped[len(flipped)-5] ^= 1
	otherKey := bytes.Clone(key)
	otherKey[0] ^= 1
	// Every way a session fails is tested in internal/keys; here, that each reaches JavaScript as ERR_LOCKED.
	for name, got := range map[string]rejection{
		"flipped ciphertext": sign(flipped, key, nil),
		"other key":          sign(good, otherKey, nil),
		"after the lock":     sign(good, key, map[string]any{"now": time.Now().Add(2 * time.Hour).Format(time.RFC3339)}),
	} {
		if got.code != errcode.Locked {
			t.Errorf("%s: %+v, want %s", name, got, errcode.Locked)
		}
	}
	if got := sign(good, key[:16], nil); got.code != errcode.BadArgument {
		t.Errorf("a 16-byte session key: %+v, want %s", got, errcode.BadArgument)
	}
}

func TestSignRefusals(t *testing.T) {
	_, _, p12 := signingIdentity(t)
	_, session := sealAndUnlock(t, p12)
	ident := js.ValueOf(map[string]any{"session": session.Get("session"), "sessionKey": session.Get("sessionKey")})
	for name, tc := range map[string]struct {
		message map[string]any
		code    errcode.Code
	}{
		"someone else's From": {map[string]any{"from": "mallory@example.com", "to": "bob@example.net", "text": "hi"}, errcode.FromMismatch},
		"misspelt field":      {map[string]any{"from": alice, "to": "bob@example.net", "atachments": []any{}}, errcode.BadArgument},
		"no recipient":        {map[string]any{"from": alice, "text": "hi"}, errcode.BadArgument},
		"bad attachment":      {map[string]any{"from": alice, "to": "b@example.net", "attachments": []any{map[string]any{"name": "x", "data": "text"}}}, errcode.BadArgument},
	} {
		if got := callAPIError(t, "sign", ident, js.ValueOf(tc.message)); got.code != tc.code {
			t.Errorf("%s: %+v, want %s", name, got, tc.code)
		}
	}
}

func TestExportIdentity(t *testing.T) {
	_, id, p12 := signingIdentity(t)
	sealed, _ := sealAndUnlock(t, p12)
	v, err := callAPI(t, "exportIdentity", jsBytes(sealed), passphrase, "export password")
	require.NoError(t, err)
	back, err := keys.Import(goBytes(v), "export password")
	require.NoError(t, err)
	if !back.Certificate.Equal(id.Certificate) {
		t.Error("exported file holds another certificate")
	}
	if got := callAPIError(t, "exportIdentity", jsBytes(sealed), "wrong", "export password"); got.code != "ERR_BAD_PASSPHRASE" {
		t.Errorf("wrong passphrase: %+v", got)
	}
}

func TestDescribeLockedIdentity(t *testing.T) {
	_, _, p12 := signingIdentity(t)
	sealed, _ := sealAndUnlock(t, p12)
	v, err := callAPI(t, "describeIdentity", jsBytes(sealed))
	require.NoError(t, err)
	if got := v.Get("subject").String(); !strings.Contains(got, "Example Ltd") {
		t.Errorf("subject %q", got)
	}
}

// An identity sealed at the old scrypt cost unlocks and comes back resealed at today's,
// which unlocks without being resealed again; Seal refuses a weak passphrase with a hint.
func TestUnlockReseals(t *testing.T) {
	old, err := os.ReadFile("../internal/keys/testdata/sealed-n15.bin")
	require.NoError(t, err)
	lockAt := js.ValueOf(map[string]any{"lockAt": time.Now().Add(time.Hour).Format(time.RFC3339)})
	start := time.Now()
	const oldPassphrase = "correct horse battery staple" // sealed before the passphrase rules
	session, err := callAPI(t, "unlockIdentity", jsBytes(old), oldPassphrase, lockAt)
	require.NoError(t, err)
	t.Logf("unlock at N = 2^15 and reseal at 2^17: %v", time.Since(start))
	resealed := session.Get("resealed")
	if resealed.IsUndefined() || goBytes(resealed)[10] < 17 {
		t.Fatalf("no resealed identity at today's cost")
	}
	start = time.Now()
	again, err := callAPI(t, "unlockIdentity", resealed, oldPassphrase, lockAt)
	require.NoError(t, err)
	t.Logf("unlock at N = 2^17: %v", time.Since(start))
	if !again.Get("resealed").IsUndefined() {
		t.Error("an identity at today's cost was resealed")
	}
	_, _, p12 := signingIdentity(t)
	if got := callAPIError(t, "sealIdentity", jsBytes(p12), p12Password, "letmein12"); got.code != "ERR_WEAK_PASSPHRASE" || !strings.Contains(got.message, "characters") {
		t.Errorf("weak passphrase: %+v", got)
	}
}

func TestImportForDecryptionOnly(t *testing.T) {
	pki := testpki.MustNew(t)
	prof := testpki.MailboxProfile(testpki.Strict, alice)
	prof.KeyUsage = x509.KeyUsageKeyEncipherment // an encryption-only certificate
	p12 := keystest.PKCS12(t, pki.MustIssue(t, prof), p12Password, pkcs12.Modern)
	// For signing it is refused; kept to decrypt, it is sealed and says what it can do.
	if got := callAPIError(t, "sealIdentity", jsBytes(p12), p12Password, passphrase); got.code != "ERR_REFUSED" {
		t.Fatalf("sealed for signing: %+v", got)
	}
	v, err := callAPI(t, "sealIdentity", jsBytes(p12), p12Password, passphrase, js.ValueOf(map[string]any{"purpose": "decrypt"}))
	require.NoError(t, err)
	s := v.Get("summary")
	if s.Get("canSign").Bool() || !s.Get("canDecrypt").Bool() || !strings.Contains(s.Get("signReason").String(), "may not be used for signatures") {
		t.Errorf("summary %v", js.Global().Get("JSON").Call("stringify", s))
	}
	if goBytes(v.Get("sealed")) == nil {
		t.Error("nothing sealed")
	}
	if got := callAPIError(t, "importIdentity", jsBytes(p12), p12Password, js.ValueOf(map[string]any{"purpose": "everything"})); got.code != "ERR_BAD_ARGUMENT" {
		t.Errorf("an unknown purpose: %+v", got)
	}
}
