package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/mailseal/mailseal/internal/compose"
	"github.com/mailseal/mailseal/internal/keys"
)

func init() {
	commands["sign"] = command{summary: "sign a complete message with a PKCS #12 identity", run: runSign}
}

// maxSignSize caps the message sign reads: Graph sends at most about 3 MB and
// Gmail 35 MB of encoded message; 64 MiB leaves room without reading a disk image.
const maxSignSize = 64 << 20

// runSign exits 0 with the signed message on stdout, 1 when the identity is
// refused (wrong password, a certificate that cannot sign mail, a From it does
// not name), 2 for a usage or I/O error.
func runSign(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("sign", flag.ContinueOnError)
	fs.SetOutput(stderr)
	identity := fs.String("identity", "", "PKCS #12 file (.p12, .pfx) with the certificate and private key")
	passwordFile := fs.String("password-file", "", "file whose first line is the PKCS #12 password")
	opaque := fs.Bool("opaque", false, "sign as application/pkcs7-mime signed-data instead of multipart/signed")
	now := fs.String("now", "", "the signing time as RFC 3339 (default: the clock)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: mailseal sign --identity FILE.p12 --password-file FILE [--opaque] [--now RFC3339] IN.eml|- > OUT.eml")
		fs.PrintDefaults()
	}
	if code, done := parseFlags(fs, args, stdout); done {
		return code
	}
	if msg := missing(fs, 1, "IN.eml (or - for standard input)", map[string]string{"identity": *identity, "password-file": *passwordFile}); msg != "" {
		fmt.Fprintf(stderr, "mailseal sign: %s\n", msg)
		fs.Usage()
		return exitUsage
	}
	at, ok := parseNow(*now, stderr)
	if !ok {
		return exitUsage
	}
	id, m, code := loadSigning(*identity, *passwordFile, at, fs.Arg(0), stdin, stderr)
	if code != exitOK {
		return code
	}
	sign := compose.SignDetached
	if *opaque {
		sign = compose.SignOpaque
	}
	out, err := sign(m, id, at)
	if err != nil {
		complain(stderr, "", err)
		if errors.Is(err, keys.ErrRefused) || errors.Is(err, compose.ErrFromMismatch) {
			return exitVerdict
		}
		return exitUsage
	}
	return emit(stdout, stderr, out)
}

// loadSigning reads what sign and encrypt share: the sender's identity, which must be able
// to sign at time at, and the message to send. code is exitOK, or the status to exit with.
func loadSigning(identity, passwordFile string, at time.Time, input string, stdin io.Reader, stderr io.Writer) (*keys.Identity, *compose.Message, int) {
	p12, err := os.ReadFile(identity)
	if err != nil {
		complain(stderr, "", err)
		return nil, nil, exitUsage
	}
	password, err := readPassword(passwordFile)
	if err != nil {
		complain(stderr, "", err)
		return nil, nil, exitUsage
	}
	raw, err := readInput(input, stdin, maxSignSize)
	if err != nil {
		complain(stderr, "", err)
		return nil, nil, exitUsage
	}
	if len(raw) > maxSignSize {
		fmt.Fprintf(stderr, "mailseal: the message is larger than %d MiB\n", maxSignSize>>20)
		return nil, nil, exitUsage
	}
	id, err := keys.ImportAt(p12, password, at)
	if err != nil {
		complain(stderr, identity, err)
		if errors.Is(err, keys.ErrRefused) || errors.Is(err, keys.ErrBadPassword) {
			return nil, nil, exitVerdict
		}
		return nil, nil, exitUsage
	}
	for _, w := range keys.Describe(id, at, nil).Warnings {
		fmt.Fprintf(stderr, "mailseal: warning: %s\n", w)
	}
	m, err := compose.Prepare(raw)
	if err != nil {
		complain(stderr, "", err)
		return nil, nil, exitUsage
	}
	return id, m, exitOK
}

// readPassword returns the first line of a file, without its line break: a
// password file written by `echo` or an editor ends in a newline that is no
// part of the password. Other white space is kept.
func readPassword(name string) (string, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return "", err
	}
	line, _, _ := bytes.Cut(data, []byte("\n"))
	return string(bytes.TrimSuffix(line, []byte("\r"))), nil
}
