package testpki

import (
	"bytes"
	"crypto"
	"encoding/pem"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mailseal/mailseal/internal/cms"
	"github.com/stretchr/testify/require"
)

func TestHeader(t *testing.T) {
	h := Header{From: "Alice <alice@example.com>", Sender: "s@example.com", Extra: []string{"From: m@example.net"}}.Bytes()
	for _, want := range []string{
		"Received: from mx.sender.example", "; Mon, 01 Jun 2026 00:02:00 +0000\r\n",
		"From: Alice <alice@example.com>\r\n", "Sender: s@example.com\r\n", "Date: Mon, 01 Jun 2026 00:00:00 +0000\r\n",
		"Message-ID: <", "MIME-Version: 1.0\r\n", "From: m@example.net\r\n",
	} {
		if !bytes.Contains(h, []byte(want)) {
			t.Errorf("header lacks %q:\n%s", want, h)
		}
	}
	if !bytes.HasPrefix(h, []byte("Received:")) {
		t.Error("Received is not the topmost field")
	}
	if bytes.Contains(bytes.ReplaceAll(h, []byte("\r\n"), nil), []byte("\n")) {
		t.Error("a bare LF in the header")
	}
}

func TestReplace(t *testing.T) {
	if _, err := Replace([]byte("a a"), "a", "b"); err == nil {
		t.Error("two occurrences replaced without error")
	}
	if _, err := Replace([]byte("a"), "c", "b"); err == nil {
		t.Error("no occurrence replaced without error")
	}
	if got, _ := Replace([]byte("xay"), "a", "b"); string(got) != "xby" {
		t.Errorf("got %q", got)
	}
}

func TestMicalg(t *testing.T) {
	pki := MustNew(t)
	ed := MailboxProfile(Strict, "a@example.com")
	ed.Key = Ed25519
	if m := Micalg(crypto.SHA256, []*Identity{pki.MustIssue(t, ed)}); m != "sha-512" {
		t.Errorf("Ed25519 micalg %s", m)
	}
	if m := Micalg(crypto.SHA384, nil); m != "sha-384" {
		t.Errorf("SHA-384 micalg %s", m)
	}
}

// TestSignedMessageOpenSSL hands complete messages to `openssl cms -verify` with the
// fixture root as the only anchor: the chain, the MIME framing and the signature are
// all checked by an independent implementation, and a changed byte must fail.
func TestSignedMessageOpenSSL(t *testing.T) {
	openssl, err := exec.LookPath("openssl")
	if err != nil {
		t.Fatal("openssl is missing: run scripts/setup.sh test, or apt-get install openssl")
	}
	pki := MustNew(t)
	dir := t.TempDir()
	root := filepath.Join(dir, "root.pem")
	os.WriteFile(root, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: pki.Root.Raw}), 0o600)
	verify := func(msg []byte) ([]byte, error) {
		in := filepath.Join(dir, "msg.eml")
		require.NoError(t, os.WriteFile(in, msg, 0o600))
		return exec.Command(openssl, "cms", "-verify", "-CAfile", root, "-attime", "1780272000", // Epoch
			"-in", in, "-out", filepath.Join(dir, "out")).CombinedOutput()
	}
	content := TextContent("Pay 100 EUR to Bob.\n")
	for _, c := range []struct {
		name string
		key  KeyType
		opts cms.SignOptions
	}{
		{"rsa-detached", RSA2048, cms.SignOptions{Detached: true, Capabilities: true, SigningTime: Epoch}},
		{"rsa-opaque", RSA2048, cms.SignOptions{Capabilities: true}},
		{"p384-detached", P384, cms.SignOptions{Detached: true, Hash: crypto.SHA384}},
		{"pss-opaque", RSA3072, cms.SignOptions{PSS: true}},
	} {
		t.Run(c.name, func(t *testing.T) {
			prof := SponsorProfile(Strict, "alice@acme.example", "Alice", "Liddell", "Acme Ltd", "NTRGB-1", "GB", "Buyer")
			prof.Key = c.key
			id := pki.MustIssue(t, prof)
			msg, err := SignedMessage(Header{From: "Alice <alice@acme.example>"}, content, []*Identity{id}, c.opts)
			require.NoError(t, err)
			if out, err := verify(msg); err != nil {
				t.Fatalf("openssl rejects the message: %v\n%s", err, out)
			}
			if !c.opts.Detached {
				return // the content is inside the base64 CMS; cms's own tests flip bytes there
			}
			tampered, err := Replace(msg, "100 EUR", "900 EUR")
			require.NoError(t, err)
			if out, err := verify(tampered); err == nil || !strings.Contains(string(out), "fail") {
				t.Fatalf("openssl accepts the tampered message: %s", out)
			}
			id.Chain = nil
			msg, _ = SignedMessage(Header{From: "Alice <alice@acme.example>"}, content, []*Identity{id}, c.opts)
			if _, err := verify(msg); err == nil {
				t.Fatal("openssl builds the chain without the intermediate")
			}
		})
	}
}
