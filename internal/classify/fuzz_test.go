package classify

import (
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzClassify feeds certificate DER to Classify and Banner. The seeds, run
// by every `go test`, are the certificates TestClassify mints and, when the
// shared corpus is present, every pkilint PEM.
func FuzzClassify(f *testing.F) {
	for _, tc := range generationCases() {
		f.Add(mint(f, tc.p).Raw)
	}
	f.Add(mint(f, profile{[]string{"2.23.140.1.5.3.3", "2.23.140.1.5.2.3"}, sponsorSubject}).Raw)
	f.Add(mint(f, profile{[]string{"2.23.140.1.5.4.3"}, subj(attr(OIDPseudonym, "A\u202eB"), attr(OIDGivenName, "x"))}).Raw)
	f.Add([]byte{})
	root := filepath.Join("..", "..", "..", "shared", "corpora", "pkilint")
	filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil || !strings.HasSuffix(path, ".pem") {
			return nil // absent corpus: the minted seeds remain
		}
		if data, err := os.ReadFile(path); err == nil {
			if b, _ := pem.Decode(data); b != nil {
				f.Add(b.Bytes)
			}
		}
		return nil
	})
	f.Fuzz(func(t *testing.T, der []byte) {
		cert, err := x509.ParseCertificate(der)
		if err != nil {
			return
		}
		c := Classify(cert)
		if c.Reason == "" {
			t.Error("no reason")
		}
		for _, field := range []string{c.Name, c.Organization, c.Country, c.Title} {
			checkClean(t, field, DefaultMax)
		}
		switch c.Level {
		case LevelV1:
			if c.Name != "" || c.Organization != "" || c.Title != "" || c.Country != "" {
				t.Errorf("V1 shows identity: %+v", c)
			}
		case LevelV2:
			if c.Name == "" || c.Organization != "" || c.Title != "" || c.Country != "" {
				t.Errorf("V2 fields: %+v", c)
			}
		case LevelV3:
			if c.Organization == "" || c.Name != "" || c.Title != "" {
				t.Errorf("V3 fields: %+v", c)
			}
		case LevelV4:
			if c.Name == "" || c.Organization == "" {
				t.Errorf("V4 fields: %+v", c)
			}
		default:
			t.Errorf("level %q", c.Level)
		}
		if c.Level != LevelV1 && !strings.HasPrefix(c.PolicyOID, reservedPrefix) {
			t.Errorf("%s without a reserved policy: %+v", c.Level, c)
		}
		b := Banner(c, "a@example.com")
		if !strings.HasPrefix(b, string(c.Level)+" · a@example.com · ") || !utf8.ValidString(b) {
			t.Errorf("banner %q for %+v", b, c)
		}
	})
}
