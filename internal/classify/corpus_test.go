package classify

import (
	"bufio"
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// pkilintDir is the shared pkilint corpus: /work/shared next to the
// repository, absent from a user's clone.
func pkilintDir(t testing.TB) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	require.NoError(t, err)
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("repository root not at %s: %v", root, err)
	}
	dir := filepath.Join(root, "..", "shared", "corpora", "pkilint")
	if _, err := os.Stat(filepath.Join(dir, "MANIFEST.md")); err != nil {
		t.Skipf("shared corpora absent: %v", err)
	}
	return dir
}

// expectation is what MANIFEST.md says one certificate should classify as.
type expectation struct {
	text       string // the MANIFEST cell, verbatim
	parseError bool   // Go's crypto/x509 must reject it
	mayFail    bool   // a parse error or the no-policy V1 are both right
	level      Level
	generation string
	noPolicy   bool // V1 because there is no reserved policy
	multiple   bool // V1 because there are several
}

var manifestLevel = regexp.MustCompile(`^V([1-4])\b.*?\b(legacy|multipurpose|strict)\b`)

// readManifest parses the Markdown tables of MANIFEST.md: the column whose
// header starts with "expected" gives the level for the file in column one.
func readManifest(t *testing.T, dir string) map[string]expectation {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, "MANIFEST.md"))
	require.NoError(t, err)
	defer f.Close()
	want := map[string]expectation{}
	col := -1
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, "|") {
			continue
		}
		cells := strings.Split(strings.Trim(line, "|"), "|")
		for i := range cells {
			cells[i] = strings.TrimSpace(cells[i])
		}
		if cells[0] == "file" {
			col = -1
			for i, c := range cells {
				if strings.HasPrefix(c, "expected") {
					col = i
				}
			}
			continue
		}
		name, ok := strings.CutPrefix(cells[0], "pkilint/")
		if !ok || col < 0 || col >= len(cells) {
			continue
		}
		want[name] = parseExpectation(t, cells[col])
	}
	require.NoError(t, sc.Err())
	return want
}

func parseExpectation(t *testing.T, text string) expectation {
	e := expectation{text: text}
	switch m := manifestLevel.FindStringSubmatch(text); {
	case strings.HasPrefix(text, "AMBIGUOUS"):
		e.level, e.multiple = LevelV1, true
	case strings.Contains(text, "parse error"):
		e.parseError = true
	case strings.Contains(text, "must not crash"):
		e.mayFail, e.level, e.noPolicy = true, LevelV1, true
	case m != nil:
		e.level, e.generation = Level("V"+m[1]), m[2]
	case strings.Contains(text, "unclassified"):
		e.level, e.noPolicy = LevelV1, true
	default:
		t.Errorf("MANIFEST expectation %q is not understood", text)
	}
	return e
}

// deliberate lists where mailseal differs from the level MANIFEST.md derives
// from the OID alone, and why. Each entry must still happen: a fix that
// makes it go away has to update the list.
var deliberate = map[string]struct {
	level  Level
	reason string // a substring of Classification.Reason
	why    string
}{
	"smime_br/individual/legacy/subject_email_not_in_san.pem": {LevelV1, "names no person",
		"individual-validated, but the only name is CN=hanako.yamada+alt@example.com, a mailbox: there is no person to show (package doc, Levels)"},
}

// goRejects lists certificates MANIFEST.md classifies that Go's crypto/x509
// refuses to parse, which the caller reports as a malformed signer; the
// error text must still be this one.
var goRejects = map[string]string{
	"pkix/old_lamps_smime_example.pem": "negative serial number", // RFC 5280 §4.1.2.2; pkilint flags it too
}

func TestPkilintCorpus(t *testing.T) {
	dir := pkilintDir(t)
	want := readManifest(t, dir)
	var files []string
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(path, ".pem") {
			files = append(files, path)
		}
		return err
	})
	require.NoError(t, err)
	if len(files) == 0 || len(files) != len(want) {
		t.Errorf("%d .pem files, %d MANIFEST rows", len(files), len(want))
	}
	agree, differ := 0, 0
	for _, path := range files {
		rel, _ := filepath.Rel(dir, path)
		rel = filepath.ToSlash(rel)
		e, ok := want[rel]
		if !ok {
			t.Errorf("%s: not in MANIFEST.md", rel)
			continue
		}
		cert, err := readPEMCertificate(path)
		if err != nil {
			switch why, ok := goRejects[rel]; {
			case e.parseError || e.mayFail:
				agree++
			case ok && strings.Contains(err.Error(), why):
				t.Logf("%s: Go rejects it (%v) where MANIFEST says %q", rel, err, e.text)
				differ++
			default:
				t.Errorf("%s: %v (MANIFEST: %s)", rel, err, e.text)
			}
			continue
		}
		if _, ok := goRejects[rel]; ok || e.parseError {
			t.Errorf("%s: Go parsed a certificate listed as unparseable", rel)
			continue
		}
		got := Classify(cert)
		if d, ok := deliberate[rel]; ok {
			if got.Level != d.level || !strings.Contains(got.Reason, d.reason) {
				t.Errorf("%s: deliberate difference no longer holds: got %s %q, listed %s %q", rel, got.Level, got.Reason, d.level, d.reason)
			}
			t.Logf("%s: %s where MANIFEST says %q: %s", rel, got.Level, e.text, d.why)
			differ++
			continue
		}
		if msg := e.check(got); msg != "" {
			t.Errorf("%s: %s (MANIFEST: %s; reason: %s)", rel, msg, e.text, got.Reason)
			continue
		}
		agree++
	}
	t.Logf("pkilint corpus: %d files, %d agree with MANIFEST.md, %d documented differences", len(files), agree, differ)
	if agree+differ != len(files) {
		t.Errorf("%d of %d files neither agree nor differ as documented", len(files)-agree-differ, len(files))
	}
}

// check says how got disagrees with e, or "".
func (e expectation) check(got Classification) string {
	switch {
	case got.Level != e.level:
		return "level " + string(got.Level) + ", want " + string(e.level)
	case e.generation != "" && got.Generation != e.generation:
		return "generation " + got.Generation + ", want " + e.generation
	case e.noPolicy && (got.PolicyOID != "" || !strings.HasPrefix(got.Reason, "no CA/B Forum S/MIME policy")):
		return "want the no-policy V1"
	case e.multiple && !strings.Contains(got.Reason, "non-conformant, shown as address only"):
		return "want the several-policies V1"
	}
	return ""
}

func readPEMCertificate(path string) (*x509.Certificate, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	block, _ := pem.Decode(data)
	if block == nil {
		return x509.ParseCertificate(data)
	}
	return x509.ParseCertificate(block.Bytes)
}
