// Package interop checks that what mailseal signs verifies in the S/MIME
// implementations recipients use: OpenSSL (`openssl cms -verify`), GnuPG
// (`gpgsm --verify`) and NSS, the engine of Thunderbird (`cmsutil -D`), and in
// mailseal's own verifier. A peer whose binary is missing is skipped, and
// TestMain says so on stderr.
package interop

import (
	"bytes"
	"crypto/x509"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/mailseal/mailseal/internal/classify"
	"github.com/mailseal/mailseal/internal/compose"
	"github.com/mailseal/mailseal/internal/keys/keystest"
	"github.com/mailseal/mailseal/internal/mime"
	"github.com/mailseal/mailseal/internal/smime"
	"github.com/mailseal/mailseal/internal/testpki"
	"github.com/stretchr/testify/require"
)

func TestInterop(t *testing.T) {
	pki := testpki.MustNew(t)
	dir := t.TempDir()
	rootPEM := filepath.Join(dir, "root.pem")
	writePEM(t, rootPEM, pki.Root.Raw)

	for _, c := range []struct {
		name  string
		prof  testpki.Profile
		level classify.Level
		// gpgsmRejects marks a known gpgsm limitation: the test then asserts it still fails.
		gpgsmRejects bool
	}{
		{"rsa", withKey(testpki.IndividualProfile(testpki.Strict, "zoe@example.com", "Zoë", "Ågren"), testpki.RSA2048), classify.LevelV2, false},
		{"ecdsa", withKey(testpki.MailboxProfile(testpki.Strict, "zoe@example.com"), testpki.P256), classify.LevelV1, false},
		// An empty subject (S/MIME BR §7.1.4.2.5 allows it for mailbox-validated
		// certificates): libksba, under gpgsm, rejects the whole SignedData.
		{"rsa-empty-subject", testpki.Profile{Email: "zoe@example.com", Key: testpki.RSA3072}, classify.LevelV1, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			id := newIdentity(t, dir, c.prof)
			for _, msg := range messages(t, id) {
				t.Run(msg.name, func(t *testing.T) {
					work := t.TempDir()
					if d := os.Getenv("INTEROP_KEEP"); d != "" {
						work = filepath.Join(d, c.name, msg.name)
						os.MkdirAll(work, 0o700)
					}
					ok := func(err error) {
						require.NoError(t, err)
					}
					t.Run("mailseal", func(t *testing.T) { ok(verifyMailseal(t, pki, msg, c.level)) })
					t.Run("openssl", func(t *testing.T) { ok(verifyOpenSSL(t, work, rootPEM, msg)) })
					t.Run("gpgsm", func(t *testing.T) {
						if c.gpgsmRejects {
							expectGpgsmRejects(t, work, pki, msg)
							return
						}
						ok(verifyGpgsm(t, work, pki, msg))
					})
					t.Run("nss", func(t *testing.T) { ok(verifyNSS(t, work, pki, msg)) })
				})
			}
		})
	}
}

func withKey(p testpki.Profile, k testpki.KeyType) testpki.Profile {
	p.Key = k
	return p
}

// TestPeersRejectTampering shows that every peer check above can fail: one
// changed octet of the signed text, detached and opaque, and each peer says no.
func TestPeersRejectTampering(t *testing.T) {
	pki := testpki.MustNew(t)
	dir := t.TempDir()
	rootPEM := filepath.Join(dir, "root.pem")
	writePEM(t, rootPEM, pki.Root.Raw)
	id := newIdentity(t, dir, withKey(testpki.MailboxProfile(testpki.Strict, "zoe@example.com"), testpki.P256))
	for _, msg := range messages(t, id) {
		// Detached: a letter of the quoted-printable text. Opaque: one character of
		// the base64 SignedData (content or certificates, both are covered).
		i := bytes.Index(msg.raw, []byte("Gr=C3=BC=C3=9Fe aus"))
		if msg.opaque {
			i = bytes.Index(msg.raw, []byte("\r\n\r\n")) + 2000
		}
		bad := bytes.Clone(msg.raw)
		bad[i] ^= 0x02
		msg := signed{msg.name + "-tampered", bad, msg.opaque}
		work := t.TempDir()
		fails := func(err error) {
			if err == nil {
				t.Fatalf("%s verified", msg.name)
			}
		}
		t.Run(msg.name+"/mailseal", func(t *testing.T) { fails(verifyMailseal(t, pki, msg, classify.LevelV1)) })
		t.Run(msg.name+"/openssl", func(t *testing.T) { fails(verifyOpenSSL(t, work, rootPEM, msg)) })
		t.Run(msg.name+"/gpgsm", func(t *testing.T) { fails(verifyGpgsm(t, work, pki, msg)) })
		t.Run(msg.name+"/nss", func(t *testing.T) { fails(verifyNSS(t, work, pki, msg)) })
	}
}

// messages signs the fixture draft through the Go API and an 8-bit message
// through the CLI, each detached and opaque.
func messages(t *testing.T, id *identity) []signed {
	t.Helper()
	ki := keystest.Identity(t, id.fixture)
	m, err := compose.Build(draft("zoe@example.com"))
	require.NoError(t, err)
	var out []signed
	for _, opaque := range []bool{false, true} {
		sign, name := compose.SignDetached, "api-detached"
		if opaque {
			sign, name = compose.SignOpaque, "api-opaque"
		}
		raw, err := sign(m, ki, signAt)
		require.NoError(t, err)
		out = append(out, signed{name, raw, opaque})

		in := filepath.Join(t.TempDir(), "in.eml")
		os.WriteFile(in, eightBit("zoe@example.com"), 0o600)
		args := []string{"sign", "--identity", id.p12, "--password-file", id.pwFile, "--now", signAt.Format("2006-01-02T15:04:05Z")}
		name = "cli-detached"
		if opaque {
			args, name = append(args, "--opaque"), "cli-opaque"
		}
		cmd := exec.Command(cli, append(args, in)...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		raw, err = cmd.Output()
		if err != nil {
			t.Fatalf("mailseal sign: %v\n%s", err, stderr.String())
		}
		out = append(out, signed{name, raw, opaque})
	}
	return out
}

func verifyMailseal(t *testing.T, pki *testpki.PKI, msg signed, level classify.Level) error {
	r, err := smime.Verify(msg.raw, smime.Options{Roots: []*x509.Certificate{pki.Root}, NoBundledRoots: true, Now: signAt})
	require.NoError(t, err)
	if r.Status != smime.StatusValid || r.Level != level || r.Opaque != msg.opaque {
		return fmt.Errorf("%s %s opaque=%v: %v", r.Status, r.Level, r.Opaque, r.Reasons)
	}
	return nil
}

// parts returns what a detached signature covers and the DER signature, or for
// an opaque message the DER SignedData alone.
func parts(t *testing.T, msg signed) (content, sig []byte) {
	t.Helper()
	e, err := mime.Parse(msg.raw, mime.DefaultLimits)
	require.NoError(t, err)
	if msg.opaque {
		der, err := e.Decoded()
		require.NoError(t, err)
		return nil, der
	}
	if e.MediaType != "multipart/signed" || len(e.Children) != 2 {
		t.Fatalf("not multipart/signed with two parts: %s", e.MediaType)
	}
	der, err := e.Children[1].Decoded()
	require.NoError(t, err)
	return e.Children[0].Raw, der
}

func need(t *testing.T, bin string) string {
	t.Helper()
	path, err := exec.LookPath(bin)
	if err != nil {
		t.Fatalf("%s is missing: run scripts/setup.sh test (it installs openssl, gpgsm, gpg-agent and libnss3-tools as root)", bin)
	}
	return path
}
