package smime

import (
	"bufio"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/mailseal/mailseal/internal/roots"
	"github.com/stretchr/testify/require"
)

// The public corpora live outside the repository (../shared/corpora beside the
// checkout). These tests read each MANIFEST.md table, turn its "recommended verdict"
// into a status, verify the message at the time the manifest gives, and report how
// often mailseal agrees. Every deliberate difference is listed with its reason; any
// other disagreement fails the test.

func corpusDir(t *testing.T) string {
	_, file, _, _ := runtime.Caller(0)
	dir := filepath.Join(filepath.Dir(file), "..", "..", "..", "shared", "corpora")
	if _, err := os.Stat(dir); err != nil {
		t.Skip("shared corpora absent: ../shared/corpora not found")
	}
	return dir
}

// manifestRows returns the first two columns and the last of every table row whose first cell names a file.
func manifestRows(t *testing.T, path string) [][3]string {
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	var rows [][3]string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, "| ") {
			continue
		}
		cells := strings.Split(strings.Trim(line, "|"), "|")
		for i := range cells {
			cells[i] = strings.TrimSpace(cells[i])
		}
		if len(cells) < 3 || !strings.Contains(cells[0], "/") || strings.HasPrefix(cells[0], "-") {
			continue
		}
		rows = append(rows, [3]string{cells[0], cells[1], cells[len(cells)-1]})
	}
	return rows
}

// verdictStatus reads the manifest's recommended verdict, in the manifest's own words.
func verdictStatus(verdict string) Status {
	v := strings.ToLower(verdict)
	switch {
	case strings.HasPrefix(v, "encrypted"):
		return StatusEncrypted
	case strings.HasPrefix(v, "not signed"), strings.Contains(v, "not s/mime"):
		return StatusUnsigned
	case strings.Contains(v, "nested in multipart/mixed"):
		return StatusPartial
	case strings.HasPrefix(v, "invalid"), strings.HasPrefix(v, "outer detached signature invalid"):
		return StatusInvalid
	case strings.Contains(v, "chain untrusted"), strings.Contains(v, "chain invalid"), strings.Contains(v, "untrusted signer"):
		return StatusUntrusted
	case strings.Contains(v, "valid"):
		return StatusValid
	}
	return ""
}

// thunderbirdOptions trusts the corpus's two test CAs at the manifest's fixed time: after
// issue (2026-01-26), before expiry (2031-01-26).
func thunderbirdOptions(t *testing.T, dir string) Options {
	var anchors []byte
	for _, f := range []string{"certs/TestCA-RSA.pem", "certs/TestCA-ECC.pem"} {
		b, err := os.ReadFile(filepath.Join(dir, f))
		require.NoError(t, err)
		anchors = append(anchors, b...)
	}
	certs, err := roots.ParsePEMOrDER(anchors)
	require.NoError(t, err)
	return Options{Now: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC), Roots: certs, NoBundledRoots: true}
}

func TestThunderbirdCorpus(t *testing.T) {
	dir := filepath.Join(corpusDir(t), "thunderbird")
	opts := thunderbirdOptions(t, dir)

	// Rows whose verdict is "see notes" carry it in the notes below the table.
	notes := map[string]Status{
		"smime-manual/alice.dsig.SHA256.multipart.env.dsig.eml":    StatusInvalid, // outer signature deliberately wrong
		"smime-manual/alice.env.mixed.dsig.SHA256.multipart.eml":   StatusInvalid, // "the signature doesn't match the data"
		"smime-manual/outer-pgp-sig-inner-smime-enc-sig.eml":       StatusUnsigned,
		"smime-manual/outer-pgp-sig-inner-smime-enc.eml":           StatusUnsigned,
		"smime-manual/outer-smime-bad-sig-inner-smime-enc-sig.eml": StatusInvalid,
		"smime-manual/outer-smime-bad-sig-inner-smime-enc.eml":     StatusInvalid,
	}
	// Deliberate differences: mailseal's policy where the manifest leaves a choice.
	deliberate := func(file string, want Status) (Status, string) {
		if file == "browser-smime/nested-sigs.eml" {
			return StatusInvalid, "the content does not match the digest: `openssl cms -verify -noverify` fails the same way; the manifest's untrusted is OpenSSL reporting the chain before the digest"
		}
		if strings.Contains(file, "SHA1") && want == StatusValid {
			return StatusWeak, "SHA-1 signatures are weak, never valid (the manifest accepts them only if configured to)"
		}
		return want, ""
	}

	agree, differ := 0, 0
	for _, row := range manifestRows(t, filepath.Join(dir, "MANIFEST.md")) {
		file, verdict := row[0], row[2]
		want, ok := notes[file]
		if !ok {
			want = verdictStatus(verdict)
		}
		if want == "" || !strings.HasSuffix(file, ".eml") && !strings.HasSuffix(file, ".env") {
			continue
		}
		r, ok := verifyCorpusFile(t, filepath.Join(dir, file), file, opts)
		if !ok {
			continue
		}
		if r.Status == want {
			agree++
			continue
		}
		if policy, why := deliberate(file, want); why != "" && r.Status == policy {
			differ++
			t.Logf("%s: manifest %s, mailseal %s: %s", file, want, r.Status, why)
			continue
		}
		t.Errorf("%s: manifest says %s (%q), mailseal says %s: %v", file, want, verdict, r.Status, r.Reasons)
	}
	t.Logf("Thunderbird corpus: %d agree, %d differ by policy", agree, differ)
	if agree == 0 {
		t.Fatal("no corpus message was checked")
	}
}

// verifyCorpusFile reads and verifies one corpus message; a read or Verify error is
// the test's error, named by the manifest's file, and ok is false.
func verifyCorpusFile(t *testing.T, path, file string, opts Options) (r *Report, ok bool) {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Errorf("%s: %v", file, err)
		return nil, false
	}
	if r, err = Verify(raw, opts); err != nil {
		t.Errorf("%s: Verify: %v", file, err)
		return nil, false
	}
	return r, true
}

// Bouncy Castle's messages are from 2006: SHA-1 digests and RSA-1024 keys (one RSA-512 key
// under an MD5-signed certificate). mailseal calls all of those weak, whatever else is
// wrong, because weak comes before every chain status. What must still hold: the CMS
// signature math agrees with Bouncy Castle's isVerifiedSignature, at the signing time
// the manifest gives.
func TestBouncyCastleCorpus(t *testing.T) {
	dir := filepath.Join(corpusDir(t), "bouncycastle")
	rootDER, err := os.ReadFile(filepath.Join(dir, "validator.root.crt"))
	require.NoError(t, err)
	anchors, err := roots.ParsePEMOrDER(rootDER)
	require.NoError(t, err)
	crl, err := os.ReadFile(filepath.Join(dir, "validator.revoked.crl"))
	require.NoError(t, err)
	// Disputed in the manifest itself: OpenSSL verifies it in text mode, not in binary mode.
	disputed := map[string]bool{"bouncycastle/3nnn_smime.eml": true}
	checked := 0
	for _, row := range manifestRows(t, filepath.Join(dir, "MANIFEST.md")) {
		file, when, verdict := row[0], row[1], row[2]
		if disputed[file] {
			t.Logf("%s: skipped, the manifest disputes its own expectation", file)
			continue
		}
		// The validator rows give the signing time; the others (signature math only) are
		// read long after they were sent, so their own signing time is used.
		opts := Options{Roots: anchors, NoBundledRoots: true, CRLs: [][]byte{crl}, Now: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)}
		if at, err := time.Parse("Jan _2 15:04:05 2006 MST", when); err == nil {
			opts.Now = at
		}
		r, ok := verifyCorpusFile(t, filepath.Join(dir, "..", file), file, opts)
		if !ok {
			continue
		}
		checked++
		signatureOK := false
		for _, c := range r.Checks {
			if c.Name == "signature" && c.OK {
				signatureOK = true
			}
		}
		// AS2 messages are HTTP requests, not mail: the manifest keeps them for parser robustness only.
		wantMath := !strings.Contains(verdict, "AS2") && !strings.Contains(verdict, "robustness only")
		if file == "bouncycastle/validator.shortKey.eml" && r.Status == StatusWeak {
			// Go will not compute with an RSA key under 1024 bits; it is weak whatever the math says.
			wantMath = false
		}
		if wantMath && !signatureOK {
			t.Errorf("%s: Bouncy Castle verifies the signature, mailseal does not: %s %v", file, r.Status, r.Reasons)
		}
		// Without a Received field or a time in the manifest, the chain is judged at opts.Now:
		// a signingTime from years before is the signer's claim, not evidence.
		if signatureOK && r.Status != StatusWeak && r.Status != StatusUntrusted && r.Status != StatusExpired {
			t.Errorf("%s: legacy algorithms or no anchor should make this weak or untrusted, got %s %v", file, r.Status, r.Reasons)
		}
		t.Logf("%s: %s (%s)", file, r.Status, strings.Join(r.Reasons, "; "))
	}
	if checked == 0 {
		t.Fatal("no corpus message was checked")
	}
}
