//go:debug cryptocustomrand=1

// Command genvectors writes the verification test vectors, testdata/vectors/*.eml,
// from the fixture CA in internal/testpki.
//
//	go run ./cmd/genvectors [-dir testdata/vectors]
//
// Each vector is two files: NAME.eml, the raw message exactly as a mail client receives it
// (so `mailseal verify NAME.eml` reads it as any mail), and NAME.expect beside it, a few
// "key: value" lines (expect, level, now, description, and banner, reason or crl where they
// apply) that say what a verifier must report. The output is
// the same on every run: fixed keys, fixed times, RFC 6979 ECDSA, and RSA-PSS salts
// drawn from the digest (the go:debug line above lets crypto/rsa use that source).
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

func main() {
	dir := flag.String("dir", "testdata/vectors", "directory to write the vectors into")
	flag.Parse()
	files, err := generate()
	if err != nil {
		fmt.Fprintln(os.Stderr, "genvectors:", err)
		os.Exit(1)
	}
	if err := write(*dir, files); err != nil {
		fmt.Fprintln(os.Stderr, "genvectors:", err)
		os.Exit(1)
	}
	fmt.Printf("genvectors: %d files in %s\n", len(files), *dir)
}

// generate returns every file of the vector directory by name.
func generate() (map[string][]byte, error) {
	f, err := newFixtures()
	if err != nil {
		return nil, err
	}
	files := map[string][]byte{
		"root.pem":       pemCert(f.pki.Root),
		"other-root.pem": pemCert(f.pki.OtherRoot),
	}
	names := map[string]bool{}
	for _, v := range vectors {
		if names[v.name] {
			return nil, fmt.Errorf("vector %q defined twice", v.name)
		}
		names[v.name] = true
		msg, err := v.build(f)
		if err != nil {
			return nil, fmt.Errorf("vector %s: %w", v.name, err)
		}
		files[v.name+".eml"] = msg
		files[v.name+".expect"] = v.expectation()
	}
	for name, data := range f.extraFiles {
		files[name] = data
	}
	return files, nil
}

// expectation renders the NAME.expect file: what a verifier must report for the message.
func (v vector) expectation() []byte {
	now := v.now
	if now.IsZero() {
		now = defaultNow
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "expect: %s\n", v.expect)
	if v.level != "" {
		fmt.Fprintf(&b, "level: %s\n", v.level)
	}
	fmt.Fprintf(&b, "roots: %s\n", rootsFor(v.name))
	fmt.Fprintf(&b, "now: %s\n", now.UTC().Format(time.RFC3339))
	fmt.Fprintf(&b, "description: %s\n", v.description)
	if v.banner != "" {
		fmt.Fprintf(&b, "banner: %s\n", v.banner)
	}
	if v.warning != "" {
		fmt.Fprintf(&b, "warning: %s\n", v.warning)
	}
	if v.note != "" {
		fmt.Fprintf(&b, "note: %s\n", v.note)
	}
	if v.reason != "" {
		fmt.Fprintf(&b, "reason: %s\n", v.reason)
	}
	if v.crl != "" {
		fmt.Fprintf(&b, "crl: %s\n", v.crl)
	}
	if v.remembered != "" {
		fmt.Fprintf(&b, "remembered: %s\n", v.remembered)
	}
	return b.Bytes()
}

// rootsFor names root.pem relative to the vector file, the anchor every vector is judged with.
func rootsFor(name string) string {
	return strings.Repeat("../", strings.Count(name, "/")) + "root.pem"
}

// write replaces the generated files in dir; README.md and other hand-written files stay.
func write(dir string, files map[string][]byte) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	// Remove vectors the table no longer has; hand-written files (README.md) stay.
	var old []string
	for _, pattern := range []string{"*.eml", "*/*.eml", "*.expect", "*/*.expect"} {
		found, _ := filepath.Glob(filepath.Join(dir, filepath.FromSlash(pattern)))
		old = append(old, found...)
	}
	for _, path := range old {
		rel, _ := filepath.Rel(dir, path)
		if _, keep := files[filepath.ToSlash(rel)]; !keep {
			if err := os.Remove(path); err != nil {
				return err
			}
		}
	}
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if strings.Contains(name, "..") || strings.Contains(name, `\`) || strings.Count(name, "/") > 1 {
			return fmt.Errorf("bad file name %q", name)
		}
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(path, files[name], 0o644); err != nil {
			return err
		}
	}
	return nil
}
