package main

import (
	"encoding/asn1"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/mailseal/mailseal/internal/address"
	"github.com/mailseal/mailseal/internal/cms"
	"github.com/mailseal/mailseal/internal/compose"
	"github.com/mailseal/mailseal/internal/keys"
	"github.com/mailseal/mailseal/internal/roots"
	"github.com/mailseal/mailseal/internal/smime"
)

func init() {
	commands["encrypt"] = command{summary: "sign a complete message, then encrypt it to its recipients and the sender", run: runEncrypt}
}

// runEncrypt exits 0 with the signed and encrypted message on stdout, 1 when an identity or
// a recipient certificate is refused (or an addressee has none), 2 for a usage or I/O error.
func runEncrypt(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("encrypt", flag.ContinueOnError)
	fs.SetOutput(stderr)
	identity := fs.String("identity", "", "PKCS #12 file of the sender, who signs and can read the sent copy")
	passwordFile := fs.String("password-file", "", "file whose first line is the PKCS #12 password")
	var recipientFiles, rootFiles fileList
	fs.Var(&recipientFiles, "recipient", "PEM or DER file of a recipient's certificate, then its intermediates (repeatable: one for each address of To, Cc and Bcc)")
	gcm := fs.Bool("gcm", false, "every recipient's client reads AES-256-GCM (AuthEnvelopedData); without it, AES-256-CBC")
	fs.Var(&rootFiles, "roots", "PEM or DER file of extra trust anchors for the recipients' certificates (repeatable)")
	noBundled := fs.Bool("no-bundled-roots", false, "trust only the --roots anchors")
	now := fs.String("now", "", "the signing time and the time certificates are judged at, as RFC 3339 (default: the clock)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: mailseal encrypt --identity FILE.p12 --password-file FILE --recipient CERT.pem [--recipient CERT.pem]... [--gcm] [--roots FILE.pem]... [--no-bundled-roots] [--now RFC3339] IN.eml|- > OUT.eml")
		fs.PrintDefaults()
	}
	if code, done := parseFlags(fs, args, stdout); done {
		return code
	}
	if msg := missing(fs, 1, "IN.eml (or - for standard input)", map[string]string{"identity": *identity, "password-file": *passwordFile, "recipient": recipientFiles.String()}); msg != "" {
		fmt.Fprintf(stderr, "mailseal encrypt: %s\n", msg)
		fs.Usage()
		return exitUsage
	}
	at, ok := parseNow(*now, stderr)
	if !ok {
		return exitUsage
	}
	opts := smime.Options{NoBundledRoots: *noBundled, Now: at}
	if opts.Roots, ok = readAnchors(rootFiles, stderr); !ok {
		return exitUsage
	}
	id, m, code := loadSigning(*identity, *passwordFile, at, fs.Arg(0), stdin, stderr)
	if code != exitOK {
		return code
	}
	var caps []asn1.ObjectIdentifier
	if *gcm {
		caps = []asn1.ObjectIdentifier{cms.OIDAES256GCM}
	}
	addressees := map[string]bool{}
	for _, field := range []string{"To", "Cc", "Bcc"} {
		if list, err := m.Header.AddressList(field); err == nil {
			for _, a := range list {
				addressees[a.Address] = true
			}
		}
	}
	var recipients []compose.Recipient
	for _, f := range recipientFiles {
		data, err := os.ReadFile(f)
		if err != nil {
			complain(stderr, "", err)
			return exitUsage
		}
		certs, err := roots.ParsePEMOrDER(data)
		if err != nil || len(certs) == 0 {
			complain(stderr, "--recipient "+f, fmt.Errorf("no certificate: %v", err))
			return exitUsage
		}
		named := false
		for a := range addressees {
			if _, ok := address.Match(certs[0], a); !ok {
				continue
			}
			named = true
			if err := smime.CheckRecipient(certs[0], certs[1:], a, opts); err != nil {
				complain(stderr, "--recipient "+f, err)
				return exitVerdict
			}
		}
		if !named {
			fmt.Fprintf(stderr, "mailseal: --recipient %s: the certificate names none of the addresses of To, Cc and Bcc (it names %v)\n", f, address.CertificateAddresses(certs[0]))
			return exitVerdict
		}
		recipients = append(recipients, compose.Recipient{Certificate: certs[0], Capabilities: caps})
	}
	out, err := compose.SignAndEncrypt(m, id, recipients, at)
	if err != nil {
		complain(stderr, "", err)
		var missingCert *compose.MissingCertificateError
		if errors.As(err, &missingCert) || errors.Is(err, compose.ErrSenderCannotDecrypt) || errors.Is(err, compose.ErrFromMismatch) || errors.Is(err, keys.ErrRefused) {
			return exitVerdict
		}
		return exitUsage
	}
	return emit(stdout, stderr, out)
}
