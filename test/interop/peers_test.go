package interop

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mailseal/mailseal/internal/testpki"
	"github.com/stretchr/testify/require"
)

// verifyOpenSSL runs `openssl cms -verify` on the message as it would arrive,
// with the fixture root as the only anchor, at the signing time.
func verifyOpenSSL(t *testing.T, work, rootPEM string, msg signed) error {
	openssl := need(t, "openssl")
	in := filepath.Join(work, msg.name+".eml")
	os.WriteFile(in, msg.raw, 0o600)
	out := filepath.Join(work, msg.name+".openssl.out")
	cmd := exec.Command(openssl, "cms", "-verify", "-in", in, "-CAfile", rootPEM,
		"-attime", fmt.Sprint(signAt.Unix()), "-out", out)
	res, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(res), "Verification successful") {
		return fmt.Errorf("openssl cms -verify: %v\n%s", err, res)
	}
	return nil
}

// verifyGpgsm runs `gpgsm --verify` in a fresh GNUPGHOME that trusts the fixture root.
func verifyGpgsm(t *testing.T, work string, pki *testpki.PKI, msg signed) error {
	status, stderr, err := runGpgsm(t, work, pki, msg)
	if err != nil || !strings.Contains(status, "[GNUPG:] GOODSIG") || !strings.Contains(status, "[GNUPG:] TRUST_FULLY") {
		return fmt.Errorf("gpgsm --verify: %v\nstatus:\n%s\nstderr:\n%s", err, status, stderr)
	}
	return nil
}

// expectGpgsmRejects asserts a known gpgsm limitation still holds, so that the
// day it is lifted the test says so.
func expectGpgsmRejects(t *testing.T, work string, pki *testpki.PKI, msg signed) {
	status, stderr, err := runGpgsm(t, work, pki, msg)
	if err == nil || !strings.Contains(stderr, "ksba_cms_parse failed") {
		t.Fatalf("gpgsm was expected to reject a signer with an empty subject: %v\n%s\n%s", err, status, stderr)
	}
}

// gnupgHome is a fresh GnuPG home whose trustlist holds the fixture root, removed (and its
// agent stopped) when the test ends.
func gnupgHome(t *testing.T, pki *testpki.PKI) string {
	home, err := os.MkdirTemp("", "gpgsm-") // short: gpg-agent's socket path is limited
	require.NoError(t, err)
	t.Cleanup(func() {
		exec.Command("gpgconf", "--homedir", home, "--kill", "gpg-agent").Run()
		os.RemoveAll(home)
	})
	os.Chmod(home, 0o700)
	os.WriteFile(filepath.Join(home, "trustlist.txt"), []byte(sha1Colons(pki.Root.Raw)+" S\n"), 0o600)
	os.WriteFile(filepath.Join(home, "gpgsm.conf"), []byte("disable-crl-checks\ndisable-policy-checks\n"), 0o600)
	return home
}

func runGpgsm(t *testing.T, work string, pki *testpki.PKI, msg signed) (status, stderr string, err error) {
	gpgsm := need(t, "gpgsm")
	need(t, "gpg-agent") // gpgsm asks the agent whether the root is in trustlist.txt
	home := gnupgHome(t, pki)
	rootFile := filepath.Join(work, "root.der")
	os.WriteFile(rootFile, pki.Root.Raw, 0o600)
	base := []string{"--homedir", home, "--batch", "--no-tty", "--faked-system-time", fmt.Sprint(signAt.Unix()) + "!"}
	if out, err := exec.Command(gpgsm, append(base, "--import", rootFile)...).CombinedOutput(); err != nil {
		t.Fatalf("gpgsm --import: %v\n%s", err, out)
	}
	content, sig := parts(t, msg)
	sigFile := filepath.Join(work, msg.name+".p7s")
	os.WriteFile(sigFile, sig, 0o600)
	args := append(base, "--status-fd", "1", "--verify", sigFile)
	if !msg.opaque {
		contentFile := filepath.Join(work, msg.name+".content")
		os.WriteFile(contentFile, content, 0o600)
		args = append(args, contentFile)
	} else {
		args = append(base, "--status-fd", "1", "--output", filepath.Join(work, msg.name+".gpgsm.out"), "--verify", sigFile)
	}
	var stdout, errOut bytes.Buffer
	cmd := exec.Command(gpgsm, args...)
	cmd.Stdout, cmd.Stderr = &stdout, &errOut
	err = cmd.Run()
	return stdout.String(), errOut.String(), err
}

// verifyNSS runs NSS's `cmsutil -D` against a fresh database trusting the
// fixture root for email (certutil -t ",C,").
func verifyNSS(t *testing.T, work string, pki *testpki.PKI, msg signed) error {
	cmsutil, certutil := need(t, "cmsutil"), need(t, "certutil")
	db := filepath.Join(work, "nssdb")
	if _, err := os.Stat(db); err != nil {
		os.Mkdir(db, 0o700)
		if out, err := exec.Command(certutil, "-N", "-d", "sql:"+db, "--empty-password").CombinedOutput(); err != nil {
			t.Fatalf("certutil -N: %v\n%s", err, out)
		}
		rootFile := filepath.Join(work, "root.der")
		os.WriteFile(rootFile, pki.Root.Raw, 0o600)
		if out, err := exec.Command(certutil, "-A", "-d", "sql:"+db, "-n", "mailseal-test-root", "-t", ",C,", "-i", rootFile).CombinedOutput(); err != nil {
			t.Fatalf("certutil -A: %v\n%s", err, out)
		}
	}
	content, sig := parts(t, msg)
	sigFile := filepath.Join(work, msg.name+".cms")
	os.WriteFile(sigFile, sig, 0o600)
	// -h 1 prints the decoded structure, signer statuses included, as header lines.
	args := []string{"-D", "-d", "sql:" + db, "-i", sigFile, "-h", "1", "-n"}
	if !msg.opaque {
		contentFile := filepath.Join(work, msg.name+".content")
		os.WriteFile(contentFile, content, 0o600)
		args = append(args, "-c", contentFile)
	}
	out, err := exec.Command(cmsutil, args...).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "signer0.status=GoodSignature") {
		return fmt.Errorf("cmsutil -D: %v\n%s", err, out)
	}
	return nil
}
