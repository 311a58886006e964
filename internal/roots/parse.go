package roots

import (
	"bytes"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"strings"
)

// ErrNoCertificates is returned by ParsePEMOrDER for input that holds no certificate at all:
// empty input, or PEM with only other kinds of block (keys, CRLs).
var ErrNoCertificates = errors.New("roots: no certificate found")

var pemStart = []byte("-----BEGIN ")

// ParsePEMOrDER reads certificates from a file a user supplies: PEM with any number of
// CERTIFICATE blocks (other block types, such as a private key, are skipped; text around the
// blocks is ignored), or DER, a single certificate or several back to back.
// It does not check that the certificates are CAs: that is the chain builder's call.
func ParsePEMOrDER(data []byte) ([]*x509.Certificate, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, ErrNoCertificates
	}
	if !bytes.Contains(data, pemStart) {
		certs, err := x509.ParseCertificates(data)
		if err != nil {
			return nil, fmt.Errorf("roots: neither PEM nor a DER certificate: %w", err)
		}
		if len(certs) == 0 {
			return nil, ErrNoCertificates
		}
		return certs, nil
	}

	var certs []*x509.Certificate
	var skipped []string // the other block types, to name in the error when no certificate comes
	rest := data
	for n := 1; ; n++ {
		start := bytes.Index(rest, pemStart)
		if start < 0 {
			break
		}
		rest = rest[start:]
		// Decode one block at a time, up to the next BEGIN line: given more, pem.Decode skips
		// a damaged block without a word and returns the next good one.
		end := len(rest)
		if next := bytes.Index(rest[1:], pemStart); next >= 0 {
			end = next + 1
		}
		block, _ := pem.Decode(rest[:end])
		if block == nil {
			return nil, fmt.Errorf("roots: PEM block %d is damaged (bad base64 or no END line)", n)
		}
		rest = rest[end:]
		if block.Type != "CERTIFICATE" {
			// OpenSSL's TRUSTED CERTIFICATE lands here too: its trust settings would be
			// silently dropped, so it is refused like any other non-certificate block.
			skipped = append(skipped, block.Type)
			continue
		}
		c, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("roots: PEM block %d: %w", n, err)
		}
		certs = append(certs, c)
	}
	if len(certs) == 0 {
		return nil, fmt.Errorf("%w (PEM blocks: %s)", ErrNoCertificates, strings.Join(skipped, ", "))
	}
	return certs, nil
}
