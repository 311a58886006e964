package main

import (
	"bytes"
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mailseal/mailseal/internal/keys/keystest"
	"github.com/mailseal/mailseal/internal/testpki"
	"software.sslmate.com/src/go-pkcs12"
)

// cryptFixture writes alice (the sender), bob (a recipient, with an older identity renewed
// since), a signing-only certificate for bob, the root and the message, and returns their paths.
func cryptFixture(t *testing.T) map[string]string {
	t.Helper()
	pki := testpki.MustNew(t)
	dir := t.TempDir()
	files := map[string]string{}
	write := func(name string, data []byte) {
		files[name] = filepath.Join(dir, name)
		if err := os.WriteFile(files[name], data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	certPEM := func(c *x509.Certificate) []byte {
		return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})
	}
	issue := func(email string, k testpki.KeyType, ku x509.KeyUsage, notAfter time.Time) *testpki.Identity {
		p := testpki.MailboxProfile(testpki.Strict, email)
		p.Key, p.KeyUsage, p.NotAfter = k, ku, notAfter
		return pki.MustIssue(t, p)
	}
	enc := x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment | x509.KeyUsageKeyAgreement
	alice := issue("alice@example.com", testpki.RSA2048, enc, time.Time{})
	bob := issue("bob@example.org", testpki.P256, enc, time.Time{})
	bobOld := issue("bob@example.org", testpki.RSA2048B, x509.KeyUsageKeyEncipherment, signAt.Add(-time.Hour))
	write("alice.p12", keystest.PKCS12(t, alice, "pass word", pkcs12.Modern))
	write("bob.p12", keystest.PKCS12(t, bob, "pass word", pkcs12.Modern))
	write("bob-old.p12", keystest.PKCS12(t, bobOld, "pass word", pkcs12.Modern))
	write("bob.pem", append(certPEM(bob.Certificate), certPEM(pki.Intermediate)...))
	write("bob-old.pem", append(certPEM(bobOld.Certificate), certPEM(pki.Intermediate)...))
	write("bob-sign-only.pem", append(certPEM(issue("bob@example.org", testpki.RSA3072, x509.KeyUsageDigitalSignature, time.Time{}).Certificate), certPEM(pki.Intermediate)...))
	write("root.pem", certPEM(pki.Root))
	write("password", []byte("pass word\n"))
	write("in.eml", []byte(plainMessage))
	return files
}

func TestEncryptDecryptCommands(t *testing.T) {
	f := cryptFixture(t)
	at := signAt.Format(time.RFC3339)
	encryptAt := func(recipient, at string) (int, []byte, string) {
		var stdout, stderr bytes.Buffer
		code := run([]string{"encrypt", "--identity", f["alice.p12"], "--password-file", f["password"], "--recipient", recipient,
			"--roots", f["root.pem"], "--no-bundled-roots", "--now", at, f["in.eml"]}, nil, &stdout, &stderr)
		return code, stdout.Bytes(), stderr.String()
	}
	encrypt := func(recipient string) (int, []byte, string) { return encryptAt(recipient, at) }
	decrypt := func(msg []byte, identities ...string) (int, []byte, string) {
		args := []string{"decrypt", "--password-file", f["password"], "--roots", f["root.pem"], "--no-bundled-roots", "--now", at}
		for _, id := range identities {
			args = append(args, "--identity", id)
		}
		var stdout, stderr bytes.Buffer
		code := run(append(args, "-"), bytes.NewReader(msg), &stdout, &stderr)
		return code, stdout.Bytes(), stderr.String()
	}

	code, msg, errOut := encrypt(f["bob.pem"])
	if code != exitOK {
		t.Fatalf("encrypt: exit %d: %s", code, errOut)
	}
	if bytes.Contains(msg, []byte("Grüße")) || !bytes.Contains(msg, []byte("smime-type=enveloped-data")) {
		t.Fatalf("not an encrypted message:\n%.400s", msg)
	}
	// Bob holds his old identity and the current one; the current one decrypts.
	code, content, errOut := decrypt(msg, f["bob-old.p12"], f["bob.p12"])
	if code != exitOK || !bytes.Contains(content, []byte("Gr=C3=BC=C3=9Fe, Bob.")) {
		t.Fatalf("decrypt: exit %d: %s\n%s", code, errOut, content)
	}
	if !strings.Contains(strings.SplitN(errOut, "\n", 2)[0], "Encrypted and signed") || !strings.Contains(errOut, "decrypted with the key of bob@example.org") {
		t.Errorf("report:\n%s", errOut)
	}
	// The sender can read the sent copy.
	if code, _, errOut := decrypt(msg, f["alice.p12"]); code != exitOK {
		t.Errorf("the sender's copy: exit %d: %s", code, errOut)
	}
	// Nobody encrypts to an expired certificate; mail encrypted to it before still opens.
	if code, _, errOut := encrypt(f["bob-old.pem"]); code != exitVerdict || !strings.Contains(errOut, "expired") {
		t.Fatalf("encrypting to an expired certificate: exit %d: %s", code, errOut)
	}
	code, old, errOut := encryptAt(f["bob-old.pem"], signAt.Add(-2*time.Hour).Format(time.RFC3339))
	if code != exitOK {
		t.Fatalf("encrypting before it expired: exit %d: %s", code, errOut)
	}
	if code, content, errOut := decrypt(old, f["bob.p12"], f["bob-old.p12"]); code != exitOK || !bytes.Contains(content, []byte("Bob.")) {
		t.Fatalf("decrypting with the old identity: exit %d: %s", code, errOut)
	}

	for _, c := range []struct {
		name string
		code int
		out  string
		run  func() (int, []byte, string)
	}{
		{"a recipient certificate that may not encrypt", exitVerdict, "lacks keyEncipherment", func() (int, []byte, string) { return encrypt(f["bob-sign-only.pem"]) }},
		{"a recipient certificate for someone else", exitVerdict, "names none of the addresses", func() (int, []byte, string) { return encrypt(f["root.pem"]) }},
		{"decrypting with someone else's identity", exitVerdict, "not encrypted to any of your certificates", func() (int, []byte, string) { return decrypt(msg, f["bob-old.p12"]) }},
		{"decrypting a message that is not encrypted", exitVerdict, "the message is not encrypted", func() (int, []byte, string) { return decrypt([]byte(plainMessage), f["bob.p12"]) }},
		{"decrypting without an identity", exitUsage, "--identity is required", func() (int, []byte, string) { return decrypt(msg) }},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, out, errOut := c.run()
			if code != c.code || !strings.Contains(errOut, c.out) {
				t.Fatalf("exit %d (want %d): %s", code, c.code, errOut)
			}
			if c.code != exitOK && len(out) != 0 {
				t.Errorf("printed %d bytes on stdout", len(out))
			}
		})
	}
}
