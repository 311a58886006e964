package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/mailseal/mailseal/internal/cms"
	"github.com/mailseal/mailseal/internal/keys"
	"github.com/mailseal/mailseal/internal/smime"
)

func init() {
	commands["decrypt"] = command{summary: "decrypt an encrypted message and verify a signature inside", run: runDecrypt}
}

// runDecrypt exits 0 with the decrypted content on stdout and the verdict on stderr, 1 when
// the message was not decrypted (not encrypted as a whole, not to these identities, a weak
// cipher, changed in transit), 2 for a usage or I/O error.
func runDecrypt(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("decrypt", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var identities, rootFiles fileList
	fs.Var(&identities, "identity", "PKCS #12 file with a certificate and key mail was encrypted to (repeatable: earlier identities after a renewal)")
	passwordFile := fs.String("password-file", "", "file whose first line is the password of every --identity")
	asJSON := fs.Bool("json", false, "print the report on stderr as one JSON object")
	fs.Var(&rootFiles, "roots", "PEM or DER file of extra trust anchors for a signature inside (repeatable)")
	noBundled := fs.Bool("no-bundled-roots", false, "trust only the --roots anchors")
	now := fs.String("now", "", "the present as RFC 3339 (default: the clock)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: mailseal decrypt --identity FILE.p12 [--identity FILE.p12]... --password-file FILE [--json] [--roots FILE.pem]... [--no-bundled-roots] [--now RFC3339] IN.eml|- > CONTENT.eml")
		fs.PrintDefaults()
	}
	if code, done := parseFlags(fs, args, stdout); done {
		return code
	}
	if msg := missing(fs, 1, "IN.eml (or - for standard input)", map[string]string{"identity": identities.String(), "password-file": *passwordFile}); msg != "" {
		fmt.Fprintf(stderr, "mailseal decrypt: %s\n", msg)
		fs.Usage()
		return exitUsage
	}
	opts := smime.Options{NoBundledRoots: *noBundled}
	if !readTrust(&opts, *now, rootFiles, stderr) {
		return exitUsage
	}
	password, err := readPassword(*passwordFile)
	if err != nil {
		complain(stderr, "", err)
		return exitUsage
	}
	var ks []cms.Key
	for _, f := range identities {
		p12, err := os.ReadFile(f)
		if err != nil {
			complain(stderr, "", err)
			return exitUsage
		}
		id, err := keys.ImportForDecryption(p12, password)
		if err != nil {
			complain(stderr, f, err)
			if errors.Is(err, keys.ErrRefused) || errors.Is(err, keys.ErrBadPassword) {
				return exitVerdict
			}
			return exitUsage
		}
		ks = append(ks, id.DecryptionKey())
	}
	raw, err := readInput(fs.Arg(0), stdin, smime.DefaultMaxSize)
	if err != nil {
		complain(stderr, "", err)
		return exitUsage
	}
	opened, err := smime.Open(raw, ks, opts)
	if err != nil {
		complain(stderr, "", err)
		return exitUsage
	}
	r := opened.Report
	if *asJSON {
		enc := json.NewEncoder(stderr)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		enc.Encode(r)
	} else {
		printReport(stderr, r)
	}
	if opened.Content == nil {
		if r.Encryption == nil {
			fmt.Fprintln(stderr, "mailseal: the message is not encrypted")
		}
		return exitVerdict
	}
	return emit(stdout, stderr, opened.Content)
}
