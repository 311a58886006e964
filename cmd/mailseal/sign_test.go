package main

import (
	"bytes"
	"crypto/x509"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mailseal/mailseal/internal/classify"
	"github.com/mailseal/mailseal/internal/keys/keystest"
	"github.com/mailseal/mailseal/internal/smime"
	"github.com/mailseal/mailseal/internal/testpki"
	"github.com/stretchr/testify/require"
	"software.sslmate.com/src/go-pkcs12"
)

var signAt = testpki.Epoch.Add(48 * time.Hour)

const plainMessage = "From: Alice <alice@example.com>\nTo: bob@example.org\nSubject: hi\nDate: Wed, 03 Jun 2026 00:00:00 +0000\n" +
	"Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\nGrüße, Bob.   \nFrom Alice\n"

// signFixture writes an identity for alice@example.com, its password file and a message.
func signFixture(t *testing.T, enc *pkcs12.Encoder) (dir string, pki *testpki.PKI) {
	t.Helper()
	pki = testpki.MustNew(t)
	id := pki.MustIssue(t, testpki.MailboxProfile(testpki.Strict, "alice@example.com"))
	dir = t.TempDir()
	write := func(name string, data []byte) {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), data, 0o600))
	}
	write("alice.p12", keystest.PKCS12(t, id, "pass word", enc))
	write("password", []byte("pass word\n"))
	write("wrong", []byte("pass\n"))
	write("in.eml", []byte(plainMessage))
	write("other.eml", []byte(strings.Replace(plainMessage, "alice@example.com", "mallory@example.com", 1)))
	return dir, pki
}

func TestSignCommand(t *testing.T) {
	for name, enc := range map[string]*pkcs12.Encoder{"modern": pkcs12.Modern, "legacy": pkcs12.Legacy} {
		t.Run(name, func(t *testing.T) {
			dir, pki := signFixture(t, enc)
			for _, opaque := range []bool{false, true} {
				args := []string{"sign", "--identity", filepath.Join(dir, "alice.p12"), "--password-file", filepath.Join(dir, "password"),
					"--now", signAt.Format(time.RFC3339)}
				if opaque {
					args = append(args, "--opaque")
				}
				var stdout, stderr bytes.Buffer
				if code := run(append(args, "-"), strings.NewReader(plainMessage), &stdout, &stderr); code != exitOK {
					t.Fatalf("exit %d: %s", code, stderr.String())
				}
				r, err := smime.Verify(stdout.Bytes(), smime.Options{Roots: []*x509.Certificate{pki.Root}, NoBundledRoots: true, Now: signAt})
				require.NoError(t, err)
				if r.Status != smime.StatusValid || r.Level != classify.LevelV1 || r.Opaque != opaque {
					t.Fatalf("opaque=%v: %s %s %v", opaque, r.Status, r.Level, r.Reasons)
				}
				if !bytes.Contains(r.SignedEntity, []byte("Gr=C3=BC=C3=9Fe, Bob.  =20\r\n=46rom Alice")) {
					t.Fatalf("signed entity not re-encoded for transport:\n%s", r.SignedEntity)
				}
				if stderr.Len() != 0 {
					t.Fatalf("stderr: %s", stderr.String())
				}
			}
		})
	}
}

func TestSignCommandExitCodes(t *testing.T) {
	dir, _ := signFixture(t, pkcs12.Modern)
	f := func(name string) string { return filepath.Join(dir, name) }
	now := signAt.Format(time.RFC3339)
	for _, c := range []struct {
		name string
		args []string
		want int
		says string
	}{
		{"wrong password", []string{"--identity", f("alice.p12"), "--password-file", f("wrong"), "--now", now, f("in.eml")}, exitVerdict, "password"},
		{"expired", []string{"--identity", f("alice.p12"), "--password-file", f("password"), "--now", "2030-01-01T00:00:00Z", f("in.eml")}, exitVerdict, "expired"},
		{"From of someone else", []string{"--identity", f("alice.p12"), "--password-file", f("password"), "--now", now, f("other.eml")}, exitVerdict, "mallory@example.com"},
		{"no identity", []string{"--password-file", f("password"), f("in.eml")}, exitUsage, "usage"},
		{"missing message", []string{"--identity", f("alice.p12"), "--password-file", f("password"), f("nothing.eml")}, exitUsage, "nothing.eml"},
		{"missing password file", []string{"--identity", f("alice.p12"), "--password-file", f("nothing"), f("in.eml")}, exitUsage, "nothing"},
		{"not a PKCS #12 file", []string{"--identity", f("in.eml"), "--password-file", f("password"), f("in.eml")}, exitUsage, "PKCS #12"},
		{"bad --now", []string{"--identity", f("alice.p12"), "--password-file", f("password"), "--now", "June", f("in.eml")}, exitUsage, "--now"},
	} {
		var stdout, stderr bytes.Buffer
		code := run(append([]string{"sign"}, c.args...), strings.NewReader(""), &stdout, &stderr)
		if code != c.want || !strings.Contains(stderr.String(), c.says) || stdout.Len() != 0 {
			t.Errorf("%s: exit %d, stderr %q, %d bytes out", c.name, code, stderr.String(), stdout.Len())
		}
		if strings.Contains(stderr.String(), "pass word") {
			t.Errorf("%s: the password reached stderr", c.name)
		}
	}
}

func TestReadPassword(t *testing.T) {
	dir := t.TempDir()
	for content, want := range map[string]string{"secret\n": "secret", "secret\r\nsecond line\n": "secret", " spaced \n": " spaced ", "": "", "no newline": "no newline"} {
		name := filepath.Join(dir, "pw")
		os.WriteFile(name, []byte(content), 0o600)
		if got, err := readPassword(name); err != nil || got != want {
			t.Errorf("%q: got %q, %v", content, got, err)
		}
	}
}

// A certificate some clients cannot handle still signs, with a warning on stderr.
func TestSignCommandWarns(t *testing.T) {
	pki := testpki.MustNew(t)
	id := pki.MustIssue(t, testpki.Profile{Email: "alice@example.com", Key: testpki.P256}) // empty subject
	dir := t.TempDir()
	p12, pw := filepath.Join(dir, "a.p12"), filepath.Join(dir, "pw")
	os.WriteFile(p12, keystest.PKCS12(t, id, "x", pkcs12.Modern), 0o600)
	os.WriteFile(pw, []byte("x\n"), 0o600)
	var stdout, stderr bytes.Buffer
	code := run([]string{"sign", "--identity", p12, "--password-file", pw, "--now", signAt.Format(time.RFC3339), "-"},
		strings.NewReader(plainMessage), &stdout, &stderr)
	if code != exitOK || !strings.Contains(stderr.String(), "warning: This certificate has an empty subject") || stdout.Len() == 0 {
		t.Fatalf("exit %d, stderr %q", code, stderr.String())
	}
}
