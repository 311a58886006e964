package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mailseal/mailseal/internal/roots"
	"github.com/mailseal/mailseal/internal/smime"
	"github.com/mailseal/mailseal/internal/testpki"
	"github.com/stretchr/testify/require"
)

func vectorDir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "testdata", "vectors")
}

// TestVectorsUpToDate regenerates every vector and compares it with the committed file:
// a change to the fixture CA, cms.Sign or the table must come with `make testdata`.
func TestVectorsUpToDate(t *testing.T) {
	files, err := generate()
	require.NoError(t, err)
	for name, want := range files {
		got, err := os.ReadFile(filepath.Join(vectorDir(), filepath.FromSlash(name)))
		if err != nil {
			t.Errorf("%s: %v (run make testdata)", name, err)
			continue
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from what the generator writes (run make testdata)", name)
		}
	}
}

type vectorFile struct {
	path    string
	headers map[string]string
	message []byte
}

func readVectors(t *testing.T) []vectorFile {
	top, _ := filepath.Glob(filepath.Join(vectorDir(), "*.eml"))
	nested, _ := filepath.Glob(filepath.Join(vectorDir(), "*", "*.eml"))
	var out []vectorFile
	for _, path := range append(top, nested...) {
		msg, err := os.ReadFile(path)
		require.NoError(t, err)
		head, err := os.ReadFile(strings.TrimSuffix(path, ".eml") + ".expect")
		if err != nil {
			t.Fatalf("%s: no expectation beside it: %v", path, err)
		}
		v := vectorFile{path: path, headers: map[string]string{}, message: msg}
		for _, line := range strings.Split(strings.TrimSuffix(string(head), "\n"), "\n") {
			k, val, ok := strings.Cut(line, ": ")
			if !ok {
				t.Fatalf("%s: bad header line %q", path, line)
			}
			v.headers[k] = val
		}
		out = append(out, v)
	}
	if len(out) == 0 {
		t.Fatal("no vectors: run make testdata")
	}
	return out
}

// options turns the header into Options: roots and crl name files beside the vector.
func (v vectorFile) options(t *testing.T) smime.Options {
	opts := smime.Options{NoBundledRoots: true}
	for _, name := range strings.Fields(v.headers["roots"]) {
		data, err := os.ReadFile(filepath.Join(filepath.Dir(v.path), name))
		require.NoError(t, err)
		anchors, err := roots.ParsePEMOrDER(data)
		require.NoError(t, err)
		opts.Roots = append(opts.Roots, anchors...)
	}
	if name := v.headers["crl"]; name != "" {
		der, err := os.ReadFile(filepath.Join(filepath.Dir(v.path), name))
		require.NoError(t, err)
		opts.CRLs = [][]byte{der}
	}
	var err error
	if opts.Now, err = time.Parse(time.RFC3339, v.headers["now"]); err != nil {
		t.Fatalf("now: %v", err)
	}
	return opts
}

// TestVectorsVerify runs every vector, including those in subdirectories, through
// smime.Verify with all the header asks for (roots, crl, now).
func TestVectorsVerify(t *testing.T) {
	seen := map[string]bool{}
	for _, v := range readVectors(t) {
		rel, _ := filepath.Rel(vectorDir(), v.path)
		t.Run(rel, func(t *testing.T) {
			want := v.headers["expect"]
			seen[want] = true
			if v.headers["description"] == "" || v.headers["roots"] == "" {
				t.Error("description and roots headers are required")
			}
			if (v.headers["level"] != "") != (want == "valid") {
				t.Errorf("level %q with expect %q: a level belongs to valid vectors only", v.headers["level"], want)
			}
			r, err := smime.Verify(v.message, v.options(t))
			require.NoError(t, err)
			if string(r.Status) != want {
				t.Errorf("status %s, want %s (%s)\nreasons: %v", r.Status, want, v.headers["description"], r.Reasons)
			}
			if string(r.Level) != v.headers["level"] {
				t.Errorf("level %q, want %q: %s", r.Level, v.headers["level"], r.LevelReason)
			}
			if b := v.headers["banner"]; b != "" && r.Banner != b {
				t.Errorf("banner %q\nwant   %q", r.Banner, b)
			}
			if n := v.headers["note"]; n != "" && !strings.Contains(strings.Join(r.Notes, "\n"), n) {
				t.Errorf("no note mentions %q: %q", n, r.Notes)
			}
		})
	}
	for _, s := range []string{"valid", "malformed", "invalid", "unsupported", "weak", "untrusted", "revoked",
		"expired", "mismatch", "partial", "encrypted", "unsigned"} {
		if !seen[s] {
			t.Errorf("no vector expects %s", s)
		}
	}
}

// TestVectorsTamper changes "100 EUR" to "900 EUR" in every valid vector whose body
// shows it in the clear: each must then stop being valid. A verifier that skipped the
// message-digest comparison would pass TestVectorsVerify and fail here.
func TestVectorsTamper(t *testing.T) {
	tested := 0
	for _, v := range readVectors(t) {
		if v.headers["expect"] != "valid" || bytes.Count(v.message, []byte("(100 EUR)")) != 1 {
			continue
		}
		tested++
		msg := bytes.Replace(v.message, []byte("(100 EUR)"), []byte("(900 EUR)"), 1)
		r, err := smime.Verify(msg, v.options(t))
		require.NoError(t, err)
		if r.Status != smime.StatusInvalid {
			t.Errorf("%s: tampered copy is %s, want invalid", filepath.Base(v.path), r.Status)
		}
	}
	if tested < 20 {
		t.Errorf("only %d valid vectors could be tampered with", tested)
	}
}

// opensslDisagrees lists vectors whose verdict rests on checks above CMS that
// `openssl cms -verify` does not make; OpenSSL accepts their signatures.
var opensslDisagrees = map[string]string{
	"invalid-content-type-mismatch.eml":       "OpenSSL does not compare the content-type attribute with eContentType",
	"invalid-econtent-confusion.eml":          "OpenSSL verifies the embedded eContent and ignores the first MIME part (Johnny C1)",
	"invalid-signing-time-after-delivery.eml": "delivery time is a message-level check",
	"unsupported-sha224.eml":                  "OpenSSL implements SHA-224",
	"malformed-opaque-digested-data.eml":      "OpenSSL verifies any eContentType; S/MIME (RFC 8551) signs id-data only",
}

// TestVectorsOpenSSL cross-checks the CMS-level verdicts with an independent peer:
// every valid (and weak) vector verifies with `openssl cms -verify` against root.pem at
// Epoch, and every invalid, malformed, untrusted and expired one fails, except the
// documented cases where mailseal checks more than CMS does.
func TestVectorsOpenSSL(t *testing.T) {
	openssl, err := exec.LookPath("openssl")
	if err != nil {
		t.Fatal("openssl is missing: run scripts/setup.sh test, or apt-get install openssl")
	}
	version, _ := exec.Command(openssl, "version").Output()
	ed25519CMS := !strings.HasPrefix(string(version), "OpenSSL 3.0") && !strings.HasPrefix(string(version), "OpenSSL 3.1")
	dir := t.TempDir()
	for _, v := range readVectors(t) {
		name := filepath.Base(v.path)
		expect := v.headers["expect"]
		var wantOK bool
		switch expect {
		case "valid", "weak", "mismatch":
			wantOK = true
		case "invalid", "malformed", "untrusted", "expired":
		default:
			continue // no CMS verdict to compare (revoked needs CRL checks, the rest have no root signature)
		}
		if _, ok := opensslDisagrees[name]; ok {
			wantOK = !wantOK
		}
		if strings.Contains(name, "ed25519") && !ed25519CMS {
			continue // OpenSSL before 3.2 has no Ed25519 in CMS
		}
		in := filepath.Join(dir, "msg.eml")
		os.WriteFile(in, v.message, 0o600)
		out, err := exec.Command(openssl, "cms", "-verify", "-CAfile", filepath.Join(vectorDir(), "root.pem"),
			"-attime", strconv.FormatInt(testpki.Epoch.Unix(), 10), "-in", in, "-out", filepath.Join(dir, "out")).CombinedOutput()
		if (err == nil) != wantOK {
			t.Errorf("%s (expect %s): openssl verifies = %v, want %v\n%s", name, expect, err == nil, wantOK, out)
		}
	}
}
