package smime

import (
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/mailseal/mailseal/internal/roots"
	"github.com/mailseal/mailseal/internal/sentence"
	"github.com/stretchr/testify/require"
)

// Vector files (testdata/vectors/*.eml) start with "key: value" lines, then a blank
// line, then the raw message: the expectation travels with the input, as in age.

type vector struct {
	name    string
	headers map[string]string
	message []byte
}

func testdataDir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "testdata")
}

// readVector reads NAME.eml, the message, and NAME.expect beside it, its "key: value" lines.
func readVector(t *testing.T, path string) vector {
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	head, err := os.ReadFile(strings.TrimSuffix(path, ".eml") + ".expect")
	if err != nil {
		t.Fatalf("%s: no expectation beside it: %v", path, err)
	}
	v := vector{name: filepath.Base(path), headers: map[string]string{}}
	for _, line := range strings.Split(strings.TrimRight(string(head), "\r\n"), "\n") {
		line = strings.TrimRight(line, "\r")
		k, val, ok := strings.Cut(line, ":")
		if !ok {
			t.Fatalf("%s: bad vector header line %q", path, line)
		}
		v.headers[strings.TrimSpace(k)] = strings.TrimSpace(val)
	}
	v.message = data
	return v
}

// vectorOptions reads the trust anchors ("roots:", default root.pem beside the vector), the
// CRLs ("crl:", comma-separated) and the clock ("now:") a vector names, relative to its folder.
func vectorOptions(t *testing.T, dir string, v vector) Options {
	rootFile := v.headers["roots"]
	if rootFile == "" {
		rootFile = "root.pem"
	}
	pemData, err := os.ReadFile(filepath.Join(dir, rootFile))
	require.NoError(t, err)
	anchors, err := roots.ParsePEMOrDER(pemData)
	require.NoError(t, err)
	opts := Options{Roots: anchors, NoBundledRoots: true}
	if now := v.headers["now"]; now != "" {
		if opts.Now, err = time.Parse(time.RFC3339, now); err != nil {
			t.Fatalf("%s: now: %v", v.name, err)
		}
	}
	if list := v.headers["crl"]; list != "" {
		for _, name := range strings.Split(list, ",") {
			crl, err := os.ReadFile(filepath.Join(dir, strings.TrimSpace(name)))
			require.NoError(t, err)
			opts.CRLs = append(opts.CRLs, crl)
		}
	}
	return opts
}

func TestVectors(t *testing.T) {
	top := filepath.Join(testdataDir(), "vectors")
	var files []string
	filepath.WalkDir(top, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".eml") {
			files = append(files, path)
		}
		return err
	})
	if len(files) == 0 {
		t.Fatal("testdata/vectors holds no messages: run make testdata")
	}
	seen := map[Status]int{}
	for _, f := range files {
		v := readVector(t, f)
		name, _ := filepath.Rel(top, f)
		t.Run(name, func(t *testing.T) {
			r, err := Verify(v.message, vectorOptions(t, filepath.Dir(f), v))
			require.NoError(t, err)
			seen[r.Status]++
			if want := v.headers["expect"]; string(r.Status) != want {
				t.Errorf("status %s, want %s (%s)\nreasons: %v", r.Status, want, v.headers["description"], r.Reasons)
			}
			if want := v.headers["level"]; string(r.Level) != want {
				t.Errorf("level %q, want %q: %s", r.Level, want, r.LevelReason)
			}
			if want := v.headers["banner"]; want != "" && r.Banner != want {
				t.Errorf("banner %q\nwant   %q", r.Banner, want)
			}
			// A vector names the warnings it must give; every other vector gives none, so the
			// whole corpus guards against a display-name warning crying wolf.
			var kinds []string
			for _, w := range r.Warnings {
				kinds = append(kinds, w.Kind)
			}
			if got, want := strings.Join(kinds, ", "), v.headers["warning"]; got != want {
				t.Errorf("warnings %q, want %q: %v", got, want, r.Warnings)
			}
			if want := v.headers["reason"]; want != "" && (len(r.ReasonCodes) == 0 || r.ReasonCodes[0].Code != want) {
				t.Errorf("first reason %v, want code %s: %v", r.ReasonCodes, want, r.Reasons)
			}
			checkSentences(t, r)
			if len(r.Reasons) == 0 && r.Status != StatusValid {
				t.Errorf("status %s without a reason", r.Status)
			}
		})
	}
	t.Logf("statuses seen: %v", seen)
	for _, s := range []Status{StatusValid, StatusMalformed, StatusInvalid, StatusUnsupported, StatusWeak, StatusUntrusted, StatusRevoked, StatusExpired, StatusMismatch, StatusPartial, StatusEncrypted, StatusUnsigned} {
		if seen[s] == 0 {
			t.Errorf("no vector gives status %s", s)
		}
	}
}

// The messages in testdata/openssl were signed by OpenSSL (testdata/openssl/gen.sh), an
// implementation independent of ours; their MANIFEST gives what a verifier must say.
func TestOpenSSLMessages(t *testing.T) {
	dir := filepath.Join(testdataDir(), "openssl")
	manifest, err := os.ReadFile(filepath.Join(dir, "MANIFEST"))
	require.NoError(t, err, "testdata/openssl/MANIFEST")
	pemData, err := os.ReadFile(filepath.Join(dir, "root.pem"))
	require.NoError(t, err)
	anchors, err := roots.ParsePEMOrDER(pemData)
	require.NoError(t, err)
	n := 0
	for _, line := range strings.Split(string(manifest), "\n") {
		fields := strings.Fields(line)
		if len(fields) == 0 || strings.HasPrefix(fields[0], "#") {
			continue
		}
		want := map[string]string{}
		for _, f := range fields[1:] {
			k, v, _ := strings.Cut(f, "=")
			want[k] = v
		}
		n++
		t.Run(fields[0], func(t *testing.T) {
			raw, err := os.ReadFile(filepath.Join(dir, fields[0]))
			require.NoError(t, err)
			now, err := time.Parse(time.RFC3339, want["now"])
			require.NoError(t, err)
			r, err := Verify(raw, Options{Roots: anchors, NoBundledRoots: true, Now: now})
			require.NoError(t, err)
			level := string(r.Level)
			if level == "" {
				level = "none"
			}
			if string(r.Status) != want["status"] || level != want["level"] {
				t.Errorf("got %s %s, want %s %s: %v", r.Status, level, want["status"], want["level"], r.Reasons)
			}
			if r.Status == StatusValid && len(r.SignedEntity) == 0 {
				t.Errorf("valid without its signed entity")
			}
		})
	}
	if n < 10 {
		t.Fatalf("only %d messages in the manifest", n)
	}
}

// TestRevocationIsSaidWhenChecked: a valid signature says whether its certificate was checked
// against its issuer's revocation list, and says so as a note when no list was at hand.
func TestRevocationIsSaidWhenChecked(t *testing.T) {
	message, opts, crl := revocationCase(t)
	r, _ := Verify(message, opts)
	if r.Status != StatusValid || !strings.Contains(strings.Join(r.Notes, "\n"), "revocation was not checked") {
		t.Errorf("without a CRL: %s, notes %q", r.Status, r.Notes)
	}
	opts.CRLs = [][]byte{crl} // the issuer's list, which names another certificate
	r, _ = Verify(message, opts)
	checked := false
	for _, c := range r.Checks {
		checked = checked || (c.Name == "revocation" && c.OK)
	}
	if r.Status != StatusValid || !checked || strings.Contains(strings.Join(r.Notes, "\n"), "revocation") {
		t.Errorf("with the issuer's CRL: %s, checks %v, notes %q", r.Status, r.Checks, r.Notes)
	}
}

// TestRequireRevocation: a hard-fail policy makes an unchecked chain untrusted, in words,
// and leaves a checked one valid.
func TestRequireRevocation(t *testing.T) {
	message, opts, crl := revocationCase(t)
	opts.RequireRevocation = true
	r, _ := Verify(message, opts)
	if r.Status != StatusUntrusted || !strings.Contains(strings.Join(r.Reasons, " "), "revocation could not be checked") {
		t.Errorf("hard-fail without a CRL: %s %q", r.Status, r.Reasons)
	}
	opts.CRLs = [][]byte{crl}
	if r, _ = Verify(message, opts); r.Status != StatusValid {
		t.Errorf("hard-fail with the issuer's CRL: %s %q", r.Status, r.Reasons)
	}
}

// revocationCase is a valid V1 vector, its options, and the CRL of its issuer (which lists
// another certificate, the signer of the revoked vector).
func revocationCase(t *testing.T) ([]byte, Options, []byte) {
	dir := filepath.Join(testdataDir(), "vectors")
	crl, err := os.ReadFile(filepath.Join(dir, "revocation", "revoked.crl"))
	if err != nil {
		t.Fatalf("no revocation vector (%v): run make testdata", err)
	}
	v := readVector(t, filepath.Join(dir, "level-v1-mailbox-strict.eml"))
	return v.message, vectorOptions(t, dir, v), crl
}

// checkSentences: every sentence of r carries a code whose English is the sentence itself, so
// that the extension, which renders the codes, says what the CLI and the golden files say.
func checkSentences(t *testing.T, r *Report) {
	t.Helper()
	same := func(what string, english []string, codes []sentence.Text) {
		if len(english) != len(codes) {
			t.Errorf("%s: %d sentences, %d codes", what, len(english), len(codes))
			return
		}
		for i, c := range codes {
			if c.String() != english[i] {
				t.Errorf("%s %d: code %s says %q, the report %q", what, i, c.Code, c.String(), english[i])
			}
		}
	}
	same("reasons", r.Reasons, r.ReasonCodes)
	same("notes", r.Notes, r.NoteCodes)
	same("outside", r.Outside, r.OutsideCodes)
	same("skipped", r.Skipped, r.SkippedCodes)
	for _, c := range r.Checks {
		same("check "+c.Name, []string{c.Detail}, []sentence.Text{{Code: c.Code, Args: c.Args, Then: c.Then}})
	}
	if r.LevelReason != sentence.Join(r.LevelReasonCodes, "; ") {
		t.Errorf("level reason %q, codes say %q", r.LevelReason, sentence.Join(r.LevelReasonCodes, "; "))
	}
	for _, a := range r.Attached {
		checkSentences(t, a.Report)
	}
}

// TestNoLevelSaysWhatHeld: a message shown without a level says why in terms of what did hold.
// A partly signed or mismatched message has a good signature and chain; only a bad signature
// is "not valid", and a good signature under an untrusted root is said as such.
func TestNoLevelSaysWhatHeld(t *testing.T) {
	for name, want := range map[string]string{
		"partial-prepended-text": "level_none_partial",
		"mismatch-from":          "level_none_mismatch",
		"untrusted-unknown-root": "level_none_chain",
		"weak-sha1":              "level_none_status",
		"untrusted-self-signed":  "level_none_chain",
	} {
		path := filepath.Join(testdataDir(), "vectors", name+".eml")
		v := readVector(t, path)
		r, err := Verify(v.message, vectorOptions(t, filepath.Dir(path), v))
		if err != nil {
			t.Fatal(err)
		}
		if len(r.LevelReasonCodes) != 1 || r.LevelReasonCodes[0].Code != want {
			t.Errorf("%s: level reason %v (%q), want %s", name, r.LevelReasonCodes, r.LevelReason, want)
		}
	}
}
