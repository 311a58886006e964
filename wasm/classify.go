//go:build js && wasm

package main

import (
	"crypto/x509"
	"syscall/js"

	"github.com/mailseal/mailseal/internal/classify"
	"github.com/mailseal/mailseal/internal/sentence"
	"github.com/mailseal/mailseal/wasm/internal/errcode"
)

// maxCertificateSize bounds a certificate argument; real ones are a few KB.
const maxCertificateSize = 1 << 20

// classifyCall is mailseal.classify(certificate): the level a DER signer
// certificate supports and what that level lets a client show. Like
// classify.Classify it says nothing about trust; verify does.
func classifyCall(args []js.Value) (func() (js.Value, error), error) {
	if len(args) < 1 {
		return nil, badArgument("classify needs a DER certificate")
	}
	der, err := argBytes(args[0], "the certificate", maxCertificateSize)
	if err != nil {
		return nil, err
	}
	return func() (js.Value, error) {
		cert, err := x509.ParseCertificate(der)
		if err != nil {
			return js.Undefined(), &codedError{code: errcode.Malformed, err: err}
		}
		return plain(newClassification(classify.Classify(cert)))
	}, nil
}

// classification is the JavaScript shape of classify.Classification, whose
// fields carry no JSON names (Go would print "Level", "PolicyOID"): the
// camelCase names here match the Report's. Every field is copied;
// TestClassificationCoversEveryField fails when classify gains one.
type classification struct {
	Level        string `json:"level"`
	PolicyOID    string `json:"policyOID"`
	Generation   string `json:"generation"`
	Name         string `json:"name"`
	Pseudonym    bool   `json:"pseudonym"`
	Organization string `json:"organization"`
	Country      string `json:"country"`
	Title        string `json:"title"`
	Reason       string `json:"reason"`
	// Why is Reason as sentence codes, for the extension to say in the reader's language.
	Why []sentence.Text `json:"why"`
}

func newClassification(c classify.Classification) classification {
	return classification{
		Level:        string(c.Level),
		PolicyOID:    c.PolicyOID,
		Generation:   c.Generation,
		Name:         c.Name,
		Pseudonym:    c.Pseudonym,
		Organization: c.Organization,
		Country:      c.Country,
		Title:        c.Title,
		Reason:       c.Reason,
		Why:          c.Why,
	}
}
