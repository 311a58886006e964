// Command mailseal verifies, signs, decrypts and encrypts S/MIME mail with the same core as the browser extension.
//
//	mailseal verify [--json] [--roots FILE.pem]... [--no-bundled-roots] [--crl FILE]...
//	                [--require-revocation] [--now RFC3339] FILE.eml|-
//	mailseal sign --identity FILE.p12 --password-file FILE [--opaque] [--now RFC3339] IN.eml|- > OUT.eml
//	mailseal decrypt --identity FILE.p12 [--identity FILE.p12]... --password-file FILE [--json] [--roots FILE.pem]... IN.eml|- > CONTENT.eml
//	mailseal encrypt --identity FILE.p12 --password-file FILE --recipient CERT.pem... [--gcm] [--roots FILE.pem]... IN.eml|- > OUT.eml
//	mailseal help [command]
//
// Exit status: 0 when the message is valid (or signing, decryption or encryption succeeded, or help was asked for),
// 1 for any other verdict, 2 for a usage or I/O error.
package main

import (
	"crypto/x509"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/mailseal/mailseal/internal/smime"
)

// A command runs with its arguments and returns the exit status.
type command struct {
	summary string
	run     func(args []string, stdin io.Reader, stdout, stderr io.Writer) int
}

// commands is filled by each subcommand's file.
var commands = map[string]command{}

const (
	exitOK      = 0
	exitVerdict = 1
	exitUsage   = 2
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return exitUsage
	}
	if args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		if len(args) > 1 {
			if cmd, ok := commands[args[1]]; ok {
				return cmd.run([]string{"--help"}, stdin, stdout, stdout)
			}
		}
		usage(stdout)
		return exitOK
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "mailseal: unknown command %q\n", args[0])
		usage(stderr)
		return exitUsage
	}
	return cmd.run(args[1:], stdin, stdout, stderr)
}

// packagePrefix matches the names of our packages that their errors start with ("keys: ").
// They help a programmer; a person at the command line reads the sentence without them.
var packagePrefix = regexp.MustCompile(`\b(keys|compose|cms|mime|smime|trust|address|classify|roots): `)

// complain prints err for a person: "mailseal: " and the sentence, without package names.
func complain(w io.Writer, context string, err error) {
	text := packagePrefix.ReplaceAllString(err.Error(), "")
	if context != "" {
		text = context + ": " + text
	}
	fmt.Fprintf(w, "mailseal: %s\n", text)
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: mailseal <command> [arguments]   (mailseal help <command> for its flags)\n\ncommands:")
	names := make([]string, 0, len(commands))
	for name := range commands {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		fmt.Fprintf(w, "  %-8s %s\n", name, commands[name].summary)
	}
}

// parseFlags parses a command's flags; --help prints its usage on stdout and ends with exit 0.
func parseFlags(fs *flag.FlagSet, args []string, stdout io.Writer) (code int, done bool) {
	usage := fs.Usage
	fs.Usage = func() {} // the flag package would print it to stderr, even for --help
	err := fs.Parse(args)
	fs.Usage = usage
	switch {
	case errors.Is(err, flag.ErrHelp):
		fs.SetOutput(stdout)
		usage()
		return exitOK, true
	case err != nil:
		usage()
		return exitUsage, true
	}
	return 0, false
}

// missing names, in one sentence, the required flags left empty and a wrong count of files.
func missing(fs *flag.FlagSet, files int, what string, required map[string]string) string {
	var absent []string
	for name, value := range required {
		if value == "" {
			absent = append(absent, "--"+name)
		}
	}
	sort.Strings(absent)
	switch {
	case len(absent) == 1:
		return absent[0] + " is required"
	case len(absent) > 1:
		return strings.Join(absent, " and ") + " are required"
	case fs.NArg() == 0:
		return "name the message: " + what
	case fs.NArg() > files:
		return fmt.Sprintf("one message at a time, not %d", fs.NArg())
	}
	return ""
}

// parseNow reads a --now flag: the clock when empty.
func parseNow(value string, stderr io.Writer) (time.Time, bool) {
	if value == "" {
		return time.Now(), true
	}
	t, err := time.Parse(time.RFC3339, value)
	if err != nil {
		complain(stderr, "--now", err)
		return time.Time{}, false
	}
	return t, true
}

// readTrust reads the --now and --roots flags of the commands that judge a
// message (verify, decrypt) set opts.Now (left zero for the clock) and opts.Roots.
func readTrust(opts *smime.Options, now string, rootFiles []string, stderr io.Writer) bool {
	if now != "" {
		t, ok := parseNow(now, stderr)
		if !ok {
			return false
		}
		opts.Now = t
	}
	var ok bool
	opts.Roots, ok = readAnchors(rootFiles, stderr)
	return ok
}

// emit writes a command's output to stdout: exitOK, or exitUsage when it cannot be written.
func emit(stdout, stderr io.Writer, out []byte) int {
	if _, err := stdout.Write(out); err != nil {
		complain(stderr, "", err)
		return exitUsage
	}
	return exitOK
}

// readAnchors reads every --roots file.
func readAnchors(files []string, stderr io.Writer) ([]*x509.Certificate, bool) {
	var out []*x509.Certificate
	for _, f := range files {
		certs, err := readRoots(f)
		if err != nil {
			complain(stderr, "--roots "+f, err)
			return nil, false
		}
		out = append(out, certs...)
	}
	return out, true
}
