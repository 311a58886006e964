package main

import (
	"crypto/x509"
	"encoding/pem"
	"time"

	"github.com/mailseal/mailseal/internal/cms"
	"github.com/mailseal/mailseal/internal/testpki"
)

// defaultNow is the verifier's clock for vectors that do not set one: a day after
// delivery. Messages carry a Received field, so it rarely decides anything.
var defaultNow = testpki.Epoch.Add(24 * time.Hour)

// vector is one case: the verdict a conforming verifier gives, and how to build the message.
type vector struct {
	name        string
	expect      string // a smime.Status
	level       string // V1–V4, only with expect: valid
	banner      string // the exact banner, for the level cases
	description string
	now         time.Time // zero means defaultNow
	crl         string    // a CRL file in the vector directory to pass as Options.CRLs
	note        string    // text one of the report's notes contains
	reason      string    // the code (package sentence) of the first reason the report gives
	warning     string    // the kinds of the report's warnings, comma-separated
	// remembered is the status once a sender memory holds the intermediate the message lacks
	// (internal/memory): what a client that opened earlier valid mail of that CA shows.
	remembered string
	build      func(*fixtures) ([]byte, error)
}

type fixtures struct {
	pki        *testpki.PKI
	extraFiles map[string][]byte // files a vector needs besides itself (CRLs)
}

func newFixtures() (*fixtures, error) {
	p, err := testpki.New()
	if err != nil {
		return nil, err
	}
	return &fixtures{pki: p, extraFiles: map[string][]byte{}}, nil
}

// alice is the ordinary signer: a strict mailbox-validated certificate on RSA-2048.
func alice() testpki.Profile {
	return testpki.MailboxProfile(testpki.Strict, "alice@example.com")
}

func aliceHeader() testpki.Header {
	return testpki.Header{From: "Alice Example <alice@example.com>", To: "Bob <bob@example.org>"}
}

// body is the signed content of most vectors; tampering vectors change "100 EUR".
func body() []byte {
	return testpki.TextContent("Hello Bob,\n\nplease pay invoice 2026-117 (100 EUR) by Friday.\n\nAlice\n")
}

// spec is a message signed once: each field left zero takes the ordinary value
// (alice, detached, SHA-256, signed at Epoch with capabilities, the ordinary header and body).
type spec struct {
	profile testpki.Profile
	opts    func(*cms.SignOptions)
	header  func(*testpki.Header)
	content []byte
	chain   func(*testpki.Identity) // adjusts what the message carries
}

func (s spec) build(f *fixtures) ([]byte, error) {
	prof := s.profile
	if prof.Email == "" && prof.UTF8Mailbox == "" {
		prof = alice()
	}
	id, err := f.pki.Issue(prof)
	if err != nil {
		return nil, err
	}
	if s.chain != nil {
		s.chain(id)
	}
	opts := cms.SignOptions{Detached: true, SigningTime: testpki.Epoch, Capabilities: true}
	if s.opts != nil {
		s.opts(&opts)
	}
	h := aliceHeader()
	if s.header != nil {
		s.header(&h)
	}
	content := s.content
	if content == nil {
		content = body()
	}
	return testpki.SignedMessage(h, content, []*testpki.Identity{id}, opts)
}

func (s spec) fn() func(*fixtures) ([]byte, error) { return s.build }

func pemCert(c *x509.Certificate) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})
}
