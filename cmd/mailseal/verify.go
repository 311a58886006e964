package main

import (
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/mailseal/mailseal/internal/charset"
	"github.com/mailseal/mailseal/internal/roots"
	"github.com/mailseal/mailseal/internal/smime"
)

func init() {
	commands["verify"] = command{summary: "verify a signed message and show who signed it", run: runVerify}
}

// fileList collects a repeatable flag.
type fileList []string

func (f *fileList) String() string     { return strings.Join(*f, ",") }
func (f *fileList) Set(s string) error { *f = append(*f, s); return nil }

func runVerify(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("verify", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "print the report as one JSON object")
	var rootFiles, crlFiles fileList
	fs.Var(&rootFiles, "roots", "PEM or DER file of extra trust anchors, trusted like the bundled roots (repeatable)")
	fs.Var(&crlFiles, "crl", "DER or PEM certificate revocation list to consult (repeatable)")
	now := fs.String("now", "", "the present as RFC 3339: the delivery time of a message without a Received field, and the time a CRL must be current at")
	noBundled := fs.Bool("no-bundled-roots", false, "trust only the --roots anchors")
	requireRevocation := fs.Bool("require-revocation", false, "untrusted unless a --crl of the signer's issuer is given (hard-fail)")
	text := fs.Bool("text", false, "with --json: also give the message's readable text (the content of an opaque signature)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: mailseal verify [--json] [--roots FILE.pem]... [--no-bundled-roots] [--crl FILE]... [--require-revocation] [--text] [--now RFC3339] FILE.eml|-")
		fs.PrintDefaults()
	}
	if code, done := parseFlags(fs, args, stdout); done {
		return code
	}
	if msg := missing(fs, 1, "FILE.eml (or - for standard input)", nil); msg != "" {
		fmt.Fprintf(stderr, "mailseal verify: %s\n", msg)
		fs.Usage()
		return exitUsage
	}
	opts := smime.Options{NoBundledRoots: *noBundled, RequireRevocation: *requireRevocation, Text: *text, Charset: charset.Decode}
	if !readTrust(&opts, *now, rootFiles, stderr) {
		return exitUsage
	}
	for _, f := range crlFiles {
		der, err := readCRL(f)
		if err != nil {
			complain(stderr, "--crl "+f, err)
			return exitUsage
		}
		opts.CRLs = append(opts.CRLs, der)
	}
	raw, err := readInput(fs.Arg(0), stdin, smime.DefaultMaxSize)
	if err != nil {
		complain(stderr, "", err)
		return exitUsage
	}
	report, err := smime.Verify(raw, opts)
	if err != nil {
		complain(stderr, "", err)
		return exitUsage
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(report); err != nil {
			return exitUsage
		}
	} else {
		printReport(stdout, report)
	}
	if report.Status == smime.StatusValid {
		return exitOK
	}
	return exitVerdict
}

// readInput reads a file or standard input ("-"), refusing more than limit bytes
// (plus one, so that Verify reports an oversized message as malformed with its size).
func readInput(name string, stdin io.Reader, limit int64) ([]byte, error) {
	if name == "-" {
		return io.ReadAll(io.LimitReader(stdin, limit+1))
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if st.Mode().IsRegular() && st.Size() <= limit {
		// Read into a buffer of the exact size: no growth, no second copy of a large message.
		buf := make([]byte, st.Size())
		_, err := io.ReadFull(f, buf)
		return buf, err
	}
	return io.ReadAll(io.LimitReader(f, limit+1))
}

func readRoots(name string) ([]*x509.Certificate, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	return roots.ParsePEMOrDER(data)
}

func readCRL(name string) ([]byte, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	if der, ok := pemBlock(data, "X509 CRL"); ok {
		data = der
	}
	if _, err := x509.ParseRevocationList(data); err != nil {
		return nil, err
	}
	return data, nil
}

func printReport(w io.Writer, r *smime.Report) {
	fmt.Fprintln(w, headline(r))
	fmt.Fprintf(w, "\nstatus: %s", r.Status)
	if r.Level != "" {
		fmt.Fprintf(w, "  level: %s", r.Level)
	}
	fmt.Fprintln(w)
	section := func(title string, lines []string) {
		if len(lines) == 0 {
			return
		}
		fmt.Fprintf(w, "\n%s:\n", title)
		for _, l := range lines {
			fmt.Fprintf(w, "  - %s\n", l)
		}
	}
	section("reasons", r.Reasons)
	section("notes", r.Notes)
	if e := r.Encryption; e != nil {
		section("encryption", encryptionLines(e))
	}
	if r.DeliveryTime != nil {
		fmt.Fprintf(w, "\ndelivered: %s", r.DeliveryTime.UTC().Format(time.RFC3339))
		if r.ValidationTime != nil && !r.ValidationTime.Equal(*r.DeliveryTime) {
			fmt.Fprintf(w, "  (certificates judged at the signing time, %s)", r.ValidationTime.UTC().Format(time.RFC3339))
		}
		fmt.Fprintln(w)
	}
	if s := r.Signer; s != nil {
		fmt.Fprintf(w, "\nsigner:\n  email: %s\n", s.Email)
		for _, kv := range [][2]string{{"name", s.Name}, {"organization", s.Organization}, {"country", s.Country}, {"title", s.Title}, {"policy", s.PolicyOID}} {
			if kv[1] != "" {
				fmt.Fprintf(w, "  %s: %s\n", kv[0], kv[1])
			}
		}
		fmt.Fprintf(w, "  issuer: %s\n  valid: %s to %s\n  sha256: %s\n", s.Issuer, s.NotBefore.Format(time.DateOnly), s.NotAfter.Format(time.DateOnly), s.Fingerprint)
		if s.SigningTime != nil {
			fmt.Fprintf(w, "  signed at: %s\n", s.SigningTime.UTC().Format(time.RFC3339))
		}
	}
	if r.LevelReason != "" {
		fmt.Fprintf(w, "\nlevel: %s\n", r.LevelReason)
	}
	var checks []string
	for _, c := range r.Checks {
		mark := "ok  "
		if !c.OK {
			mark = "FAIL"
		}
		checks = append(checks, fmt.Sprintf("%s %-9s %s", mark, c.Name, c.Detail))
	}
	section("checks", checks)
	section("not covered by the signature", r.Uncovered)
	section("outside the signed part", r.Outside)
	for _, a := range r.Attached {
		fmt.Fprintf(w, "\nattached message (part %s): %s\n", a.Part, a.Report.Banner)
	}
	section("not verified (limits per message)", r.Skipped)
}

// encryptionLines describe how a message was encrypted and what decrypting it found.
func encryptionLines(e *smime.Encryption) []string {
	var out []string
	if e.Decrypted {
		out = append(out, fmt.Sprintf("decrypted with the key of %s", e.Key))
	} else {
		out = append(out, "not decrypted ("+e.Problem+")")
	}
	if e.Cipher != "" {
		changes := "a change in transit would not be noticed"
		if e.TamperEvident {
			changes = "a change in transit fails decryption"
		}
		out = append(out, fmt.Sprintf("%s, to %d recipient certificate(s); %s", e.Cipher, e.Recipients, changes))
	}
	switch e.Signature {
	case "inside":
		out = append(out, "signed, then encrypted: the signature was verified after decryption")
	case "outside":
		out = append(out, "encrypted, then signed: the signature covers the encrypted form")
	}
	if len(e.AddressedTo) > 0 {
		out = append(out, "the signed content is addressed to "+strings.Join(e.AddressedTo, ", "))
	}
	return out
}

// pemBlock returns the first PEM block of the given type in data.
func pemBlock(data []byte, typ string) ([]byte, bool) {
	for {
		var b *pem.Block
		b, data = pem.Decode(data)
		if b == nil {
			return nil, false
		}
		if b.Type == typ {
			return b.Bytes, true
		}
	}
}
