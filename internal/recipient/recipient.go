// Package recipient finds the certificate to encrypt mail to for each recipient of a message:
// the one the sender memory kept from the recipient's last validly signed mail, or one the user
// imported from a file. Either is judged by smime.CheckRecipient (a chain to a trusted root,
// the emailProtection extended key usage, keyEncipherment or keyAgreement, the address), so a
// certificate is never trusted for where it came from, and a recipient without a usable one
// gets the reason as a sentence.
package recipient

import (
	"bytes"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"sort"

	"github.com/mailseal/mailseal/internal/address"
	"github.com/mailseal/mailseal/internal/classify"
	"github.com/mailseal/mailseal/internal/cms"
	"github.com/mailseal/mailseal/internal/memory"
	"github.com/mailseal/mailseal/internal/sentence"
	"github.com/mailseal/mailseal/internal/smime"
)

// Source says where a recipient's certificate came from.
type Source string

const (
	FromFile   Source = "file"   // a file the user imported
	FromMemory Source = "memory" // the sender memory: the recipient's last validly signed mail
)

// Choice is what was found for one address. Certificate and Chain are set only when Usable;
// Why says why not otherwise.
type Choice struct {
	Address     string
	Usable      bool
	Source      Source         // where the certificate judged came from; "" when none was found
	Level       classify.Level // what its CA validated (V1–V4), when Usable
	Shown       string         // that identity, as a banner shows it
	Certificate *x509.Certificate
	Chain       []*x509.Certificate // intermediates to send the core with it
	// GCM: the recipient's signed mail announced AES-256-GCM (only the memory knows; a file
	// says nothing of the recipient's client).
	GCM bool
	Why sentence.Text
}

// File is what an imported certificate file holds.
type File struct {
	Certificates []*x509.Certificate // end-entity certificates: candidates to encrypt to
	CAs          []*x509.Certificate // CA certificates: intermediates for their chains
}

// Addresses are the mailboxes the file's certificates are issued to.
func (f File) Addresses() []string {
	var out []string
	for _, c := range f.Certificates {
		out = append(out, address.CertificateAddresses(c)...)
	}
	return out
}

// MaxFileCertificates bounds what one file may hold.
const MaxFileCertificates = 32

// ReadFile reads a certificate file as users have them: one DER certificate (.cer, .crt, .der),
// PEM CERTIFICATE or PKCS7 blocks (.pem), or a certs-only PKCS #7 (.p7c, .p7b), DER or PEM.
// A file with no certificate in it is an error whose Why says so.
func ReadFile(data []byte) (File, error) {
	var certs []*x509.Certificate
	var err error
	// PEM, maybe after text (openssl writes "Bag Attributes" lines before each block).
	if bytes.Contains(data, []byte("-----BEGIN")) {
		certs, err = readPEM(data)
	} else {
		certs, err = readDER(data)
	}
	if err == nil && len(certs) == 0 {
		err = errors.New("no certificate found")
	}
	if err == nil && len(certs) > MaxFileCertificates {
		err = fmt.Errorf("more than %d certificates", MaxFileCertificates)
	}
	if err != nil {
		return File{}, &FileError{Why: sentence.New("recipient_file_unreadable", err.Error())}
	}
	var f File
	for _, c := range certs {
		if c.IsCA {
			f.CAs = append(f.CAs, c)
		} else {
			f.Certificates = append(f.Certificates, c)
		}
	}
	return f, nil
}

// FileError is a file ReadFile cannot use.
type FileError struct{ Why sentence.Text }

func (e *FileError) Error() string { return "recipient: " + e.Why.String() }

func readDER(der []byte) ([]*x509.Certificate, error) {
	if c, err := x509.ParseCertificate(der); err == nil {
		return []*x509.Certificate{c}, nil
	}
	sd, err := cms.Parse(der)
	if err != nil {
		return nil, errors.New("neither a certificate nor a PKCS #7 certificate list")
	}
	return sd.Certificates, nil
}

func readPEM(data []byte) ([]*x509.Certificate, error) {
	var out []*x509.Certificate
	for {
		var block *pem.Block
		block, data = pem.Decode(data)
		if block == nil {
			return out, nil
		}
		var certs []*x509.Certificate
		var err error
		switch block.Type {
		case "CERTIFICATE":
			certs, err = readDER(block.Bytes)
		case "PKCS7":
			certs, err = readDER(block.Bytes)
		default:
			err = fmt.Errorf("a PEM block %q, not a certificate", block.Type)
		}
		if err != nil {
			return nil, err
		}
		out = append(out, certs...)
		if len(out) > MaxFileCertificates {
			return out, nil
		}
	}
}

type candidate struct {
	source Source
	cert   *x509.Certificate
	chain  []*x509.Certificate
	level  classify.Level
	shown  string
	gcm    bool
}

// Find judges, for each address, the certificates of files that name it (the newest first),
// then the one the memory kept (mem may be nil), and takes the first usable one. A certificate
// from a file gets the level its CA validated, at most V1 when only a root the user added
// trusts it, as a banner would; one from the memory keeps the level its signed mail had.
func Find(addrs []string, mem *memory.Memory, files []File, opts smime.Options) []Choice {
	var cas []*x509.Certificate
	var fileCerts []*x509.Certificate
	for _, f := range files {
		cas = append(cas, f.CAs...)
		fileCerts = append(fileCerts, f.Certificates...)
	}
	sort.Slice(fileCerts, func(i, j int) bool { return fileCerts[i].NotBefore.After(fileCerts[j].NotBefore) })
	if mem != nil {
		cas = append(cas, mem.Intermediates()...)
	}
	out := make([]Choice, 0, len(addrs))
	for _, addr := range addrs {
		var cands []candidate
		for _, c := range fileCerts {
			if _, ok := address.Match(c, addr); ok {
				cands = append(cands, candidate{source: FromFile, cert: c, chain: cas})
			}
		}
		if mem != nil {
			if mb, ok := mem.Sender(addr); ok {
				if c, err := x509.ParseCertificate(mb.Certificate); err == nil {
					cands = append(cands, candidate{source: FromMemory, cert: c, chain: cas, level: mb.Level, shown: memory.Shown(mb), gcm: mb.GCM})
				}
			}
		}
		out = append(out, choose(addr, cands, opts))
	}
	return out
}

func choose(addr string, cands []candidate, opts smime.Options) Choice {
	if len(cands) == 0 {
		return Choice{Address: addr, Why: sentence.New("recipient_not_seen")}
	}
	var first error
	for _, c := range cands {
		err := smime.CheckRecipient(c.cert, c.chain, addr, opts)
		if err == nil {
			if c.source == FromFile {
				c.level, c.shown = fileLevel(c.cert, c.chain, addr, opts)
			}
			return Choice{Address: addr, Usable: true, Source: c.source, Level: c.level, Shown: c.shown, Certificate: c.cert, Chain: path(c.cert, c.chain), GCM: c.gcm}
		}
		if first == nil {
			first = err
		}
	}
	ch := Choice{Address: addr, Source: cands[0].source}
	if re := (*smime.RecipientError)(nil); errors.As(first, &re) && re.Why.Code != "" {
		ch.Why = re.Why
	} else {
		ch.Why = sentence.New("error", first.Error())
	}
	return ch
}

// path is the CA certificates of cas that issued cert, its issuer first: the chain to hand
// encrypt, rather than every intermediate the memory holds. (Loops, not package slices: each
// generic instantiation costs the WebAssembly module kilobytes.)
func path(cert *x509.Certificate, cas []*x509.Certificate) []*x509.Certificate {
	var out []*x509.Certificate
	at := cert
	for len(out) < 8 {
		var next *x509.Certificate
		for _, ca := range cas {
			if bytes.Equal(ca.RawSubject, at.RawIssuer) && !bytes.Equal(ca.RawSubject, ca.RawIssuer) && !in(out, ca) {
				next = ca
				break
			}
		}
		if next == nil {
			break
		}
		out = append(out, next)
		at = next
	}
	return out
}

func in(list []*x509.Certificate, c *x509.Certificate) bool {
	for _, x := range list {
		if x == c {
			return true
		}
	}
	return false
}

// fileLevel is what a banner would show of a usable certificate's holder: its classification,
// at most V1 when the chain holds only through a root the user added.
func fileLevel(cert *x509.Certificate, chain []*x509.Certificate, addr string, opts smime.Options) (classify.Level, string) {
	c := classify.Classify(cert)
	level := c.Level
	if len(opts.UserRoots) > 0 && level != classify.LevelV1 && level != "" {
		strict := opts
		strict.UserRoots = nil
		if smime.CheckRecipient(cert, chain, addr, strict) != nil {
			level = classify.LevelV1
		}
	}
	mb := memory.Mailbox{Address: addr, Level: level, Identity: memory.Identity{Name: c.Name, Pseudonym: c.Pseudonym, Organization: c.Organization, Country: c.Country, Title: c.Title}}
	return level, memory.Shown(mb)
}
