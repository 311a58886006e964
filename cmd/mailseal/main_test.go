package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"software.sslmate.com/src/go-pkcs12"
)

// TestHelp: asking for help is no error; it goes to standard output and exits 0.
func TestHelp(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"-h"}, {"help"}, {"help", "verify"}, {"verify", "--help"}, {"sign", "-h"}} {
		code, stdout, stderr := runCLI(t, nil, args...)
		if code != exitOK || !strings.Contains(stdout, "usage: mailseal") || stderr != "" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, stdout, stderr)
		}
	}
	if code, _, stderr := runCLI(t, nil); code != exitUsage || !strings.Contains(stderr, "usage:") {
		t.Errorf("no arguments: exit %d, stderr %q", code, stderr)
	}
}

// TestMissingNamed: a usage error names what is missing before the usage lines.
func TestMissingNamed(t *testing.T) {
	dir, _ := signFixture(t, pkcs12.Modern)
	p12, pw, in := filepath.Join(dir, "alice.p12"), filepath.Join(dir, "password"), filepath.Join(dir, "in.eml")
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"sign", "--identity", p12, in}, "mailseal sign: --password-file is required"},
		{[]string{"sign", "--password-file", pw, in}, "mailseal sign: --identity is required"},
		{[]string{"sign", in}, "mailseal sign: --identity and --password-file are required"},
		{[]string{"sign", "--identity", p12, "--password-file", pw}, "mailseal sign: name the message"},
		{[]string{"verify"}, "mailseal verify: name the message"},
		{[]string{"verify", in, in}, "mailseal verify: one message at a time, not 2"},
	}
	for _, c := range cases {
		code, _, stderr := runCLI(t, nil, c.args...)
		if code != exitUsage || !strings.HasPrefix(stderr, c.want) {
			t.Errorf("%v: exit %d, stderr starts %q, want %q", c.args, code, firstLine(stderr), c.want)
		}
	}
}

// TestErrorsForPeople: errors read as sentences, without the Go package that made them.
func TestErrorsForPeople(t *testing.T) {
	dir, _ := signFixture(t, pkcs12.Modern)
	code, _, wrong := runCLI(t, nil, "sign", "--identity", filepath.Join(dir, "alice.p12"), "--password-file", filepath.Join(dir, "wrong"), filepath.Join(dir, "in.eml"))
	if code != exitVerdict || !strings.Contains(wrong, "the password of the PKCS #12 file is wrong") {
		t.Fatalf("wrong password: exit %d, stderr %q", code, wrong)
	}
	garbage := filepath.Join(dir, "in.eml")
	code, _, stderr := runCLI(t, nil, "sign", "--identity", garbage, "--password-file", filepath.Join(dir, "password"), garbage)
	if code == exitOK || stderr == "" {
		t.Fatalf("a message as identity: exit %d, stderr %q", code, stderr)
	}
	for _, out := range []string{wrong, stderr} {
		if packagePrefix.MatchString(out) {
			t.Errorf("a package name in %q", out)
		}
	}
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// TestReadmeExample runs the README's example verify commands as a new user would, from the
// repository root of a fresh clone: each must exit 0.
func TestReadmeExample(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	require.NoError(t, err)
	var examples int
	for _, line := range strings.Split(string(readme), "\n") {
		if !strings.HasPrefix(line, "bin/mailseal verify ") || strings.Contains(line, "[") {
			continue // the synopsis lines have [optional] parts
		}
		examples++
		args := strings.Fields(strings.TrimPrefix(line, "bin/mailseal "))
		for i, a := range args {
			if strings.HasPrefix(a, "testdata/") {
				args[i] = filepath.Join("..", "..", a)
			}
		}
		if code, stdout, stderr := runCLI(t, nil, args...); code != exitOK {
			t.Errorf("%s: exit %d\n%s%s", line, code, stdout, stderr)
		}
	}
	if examples == 0 {
		t.Fatal("the README shows no example verify command")
	}
}
