package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runCLI(t *testing.T, stdin []byte, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(args, bytes.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

func thunderbird(t *testing.T) string {
	dir := filepath.Join("..", "..", "..", "shared", "corpora", "thunderbird")
	if _, err := os.Stat(dir); err != nil {
		t.Skip("shared corpora absent: ../shared/corpora not found")
	}
	return dir
}

func TestVerifyCommand(t *testing.T) {
	dir := thunderbird(t)
	root := filepath.Join(dir, "certs", "TestCA-RSA.pem")
	now := "--now=2026-06-01T00:00:00Z"
	good := filepath.Join(dir, "smime", "alice.dsig.SHA256.multipart.eml")
	bad := filepath.Join(dir, "smime", "alice.dsig.SHA256.multipart.bad.eml")

	code, out, _ := runCLI(t, nil, "verify", "--json", now, "--roots", root, "--no-bundled-roots", good)
	if code != exitOK {
		t.Fatalf("valid message: exit %d\n%s", code, out)
	}
	var report struct {
		Status, Level, Banner string
		Reasons               []string
		Signer                struct{ Email string }
	}
	if err := json.Unmarshal([]byte(out), &report); err != nil {
		t.Fatal(err)
	}
	if report.Status != "valid" || report.Level != "V1" || report.Signer.Email != "Alice@example.com" || !strings.HasPrefix(report.Banner, "V1 · Alice@example.com") {
		t.Errorf("unexpected report: %+v", report)
	}

	code, out, _ = runCLI(t, nil, "verify", now, "--roots", root, bad)
	if code != exitVerdict || !strings.Contains(out, "status: invalid") {
		t.Errorf("tampered message: exit %d\n%s", code, out)
	}

	raw, _ := os.ReadFile(good)
	code, out, _ = runCLI(t, raw, "verify", now, "-")
	if code != exitVerdict || !strings.Contains(out, "status: untrusted") {
		t.Errorf("from stdin without the test root: exit %d\n%s", code, out)
	}
}

func TestVerifyUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"verify"},
		{"verify", "--now", "yesterday", "x.eml"},
		{"verify", "does-not-exist.eml"},
		{"verify", "--roots", "does-not-exist.pem", "x.eml"},
		{"frobnicate"},
	} {
		if code, _, _ := runCLI(t, nil, args...); code != exitUsage {
			t.Errorf("%v: exit %d, want %d", args, code, exitUsage)
		}
	}
}

// TestRequireRevocationRefusesAStaleList: --require-revocation passes with the issuer's
// current CRL and fails, exit 1, once that same list is past its nextUpdate (a replay).
func TestRequireRevocationRefusesAStaleList(t *testing.T) {
	vectors := filepath.Join("..", "..", "testdata", "vectors")
	data, err := os.ReadFile(filepath.Join(vectors, "level-v1-mailbox-strict.eml"))
	if err != nil {
		t.Fatal(err)
	}
	msg := filepath.Join(t.TempDir(), "msg.eml")
	os.WriteFile(msg, data[bytes.Index(data, []byte("\n\n"))+2:], 0o600)
	// revoked.crl is the intermediate's list of 2026-05-22, next update 2026-06-21.
	args := []string{"verify", "--roots", filepath.Join(vectors, "root.pem"), "--no-bundled-roots",
		"--crl", filepath.Join(vectors, "revocation", "revoked.crl"), "--require-revocation"}
	if code, out, _ := runCLI(t, nil, append(args, "--now=2026-06-02T00:00:00Z", msg)...); code != exitOK {
		t.Errorf("current list: exit %d\n%s", code, out)
	}
	code, out, _ := runCLI(t, nil, append(args, "--now=2026-06-25T00:00:00Z", msg)...)
	if code != exitVerdict || !strings.Contains(out, "status: untrusted") || !strings.Contains(out, "out of date") {
		t.Errorf("stale list: exit %d\n%s", code, out)
	}
}

// --text adds the readable text, its charset decoded with every label a browser knows.
func TestVerifyText(t *testing.T) {
	raw := append([]byte("From: a@example.com\r\nContent-Type: text/plain; charset=gb18030\r\n\r\n"), 0xc4, 0xe3, 0xba, 0xc3)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"verify", "--json", "--text", "-"}, `"text":{"type":"text/plain","text":"你好","source":"message"}`},
		{[]string{"verify", "--json", "-"}, ""},
	} {
		_, out, _ := runCLI(t, raw, tc.args...)
		var compact bytes.Buffer
		if err := json.Compact(&compact, []byte(out)); err != nil {
			t.Fatalf("%v: %v\n%s", tc.args, err, out)
		}
		if got := compact.String(); (tc.want == "") == strings.Contains(got, `"text":`) || !strings.Contains(got, tc.want) {
			t.Errorf("%v: %s", tc.args, got)
		}
	}
}
