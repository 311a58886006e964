package smime

import (
	"time"

	"github.com/mailseal/mailseal/internal/classify"
	"github.com/mailseal/mailseal/internal/sentence"
)

// Status is the verdict on a message. When several apply, the report carries
// the first of them in the order of the constants below (from StatusMalformed on).
type Status string

const (
	StatusValid       Status = "valid"
	StatusMalformed   Status = "malformed"
	StatusInvalid     Status = "invalid"
	StatusUnsupported Status = "unsupported"
	StatusWeak        Status = "weak"
	StatusUntrusted   Status = "untrusted"
	StatusRevoked     Status = "revoked"
	StatusExpired     Status = "expired"
	StatusMismatch    Status = "mismatch"
	StatusPartial     Status = "partial"
	StatusEncrypted   Status = "encrypted"
	StatusUnsigned    Status = "unsigned"
)

// severityOrder lists the non-valid statuses from the one that wins to the one that yields.
var severityOrder = []Status{
	StatusMalformed, StatusInvalid, StatusUnsupported, StatusWeak, StatusUntrusted,
	StatusRevoked, StatusExpired, StatusMismatch, StatusPartial, StatusEncrypted, StatusUnsigned,
}

// Report is everything mailseal found about one message. The CLI prints it
// (`--json` gives exactly this shape) and the WebAssembly module returns it.
type Report struct {
	Status  Status         `json:"status" js:"status"`
	Level   classify.Level `json:"level,omitempty" js:"level"`
	Banner  string         `json:"banner" js:"banner"`
	Reasons []string       `json:"reasons" js:"reasons"` // why the status is what it is, for a person
	Notes   []string       `json:"notes,omitempty" js:"notes"`
	// ReasonCodes and NoteCodes are Reasons and Notes as codes and arguments, one for one:
	// what the extension says in the reader's language (package sentence).
	ReasonCodes []sentence.Text `json:"reasonCodes" js:"reasonCodes"`
	NoteCodes   []sentence.Text `json:"noteCodes,omitempty" js:"noteCodes"`

	// From is the message's From mailbox, when it has exactly one: what the reader's mail client
	// shows as the sender.
	From *Mailbox `json:"from,omitempty" js:"from"`
	// Warnings are what a reader must weigh beside a valid signature's level; they never change
	// the status. Only the From display name gives them (displayname.go).
	Warnings []Warning `json:"warnings,omitempty" js:"warnings"`
	// Header is what the message's header says to name it and to reply to it (not signed).
	Header *Header `json:"header,omitempty" js:"header"`

	Signer *Signer       `json:"signer,omitempty" js:"signer"`
	Chain  []Certificate `json:"chain,omitempty" js:"chain"` // signer first, anchor last
	Checks []Check       `json:"checks" js:"checks"`         // each step and what it found

	// LevelReason says why the level is what it is (or why there is none).
	LevelReason string `json:"levelReason,omitempty" js:"levelReason"`
	// LevelReasonCodes is LevelReason as codes: its clauses, joined by "; " in English.
	LevelReasonCodes []sentence.Text `json:"levelReasonCodes,omitempty" js:"levelReasonCodes"`
	// Uncovered names what the signature does not protect (header fields such as Subject and Date).
	Uncovered []string `json:"uncovered,omitempty" js:"uncovered"`
	// Outside describes content of the message that lies outside the signed part (status partial).
	Outside      []string        `json:"outside,omitempty" js:"outside"`
	OutsideCodes []sentence.Text `json:"outsideCodes,omitempty" js:"outsideCodes"`

	// SignedPart is the MIME part path of the signature ("" for the root, "1.2" for a nested one).
	SignedPart string `json:"signedPart,omitempty" js:"signedPart"`
	// Opaque is true for application/pkcs7-mime signed-data: the content comes out of the CMS.
	Opaque bool `json:"opaque,omitempty" js:"opaque"`

	DeliveryTime   *time.Time `json:"deliveryTime,omitempty" js:"deliveryTime"`
	ValidationTime *time.Time `json:"validationTime,omitempty" js:"validationTime"`

	// Encryption is set when the message is encrypted, or has an encrypted part, and Open
	// looked at it; Verify alone leaves it nil.
	Encryption *Encryption `json:"encryption,omitempty" js:"encryption"`

	// Attached holds one report per attached message/rfc822; they never decide this report's status.
	Attached []AttachedReport `json:"attached,omitempty" js:"attached"`
	// Skipped says what was left unverified because the message spent its budget of parts,
	// attached messages or signature checks (set on the outermost report only).
	Skipped      []string        `json:"skipped,omitempty" js:"skipped"`
	SkippedCodes []sentence.Text `json:"skippedCodes,omitempty" js:"skippedCodes"`

	// Text is the message's readable text, when Options.Text asks for it (outermost report only).
	Text *Text `json:"text,omitempty" js:"text"`

	// SignedEntity is the MIME entity the signature covers (CRLF line ends): what a client
	// may show as verified content. Not serialised: callers that want it ask for it.
	SignedEntity []byte `json:"-" js:"-"`
	// ChainDER is Chain as DER, signer first: what a sender memory keeps (the signer's
	// certificate, and intermediates to complete later chains). Not serialised.
	ChainDER [][]byte `json:"-" js:"-"`
}

// AttachedReport is the result for a message/rfc822 part inside the message.
type AttachedReport struct {
	Part   string  `json:"part" js:"part"`
	Report *Report `json:"report" js:"report"`
}

// Mailbox is one mailbox of a header field: the address as written and the display name
// with encoded words decoded and invisible characters removed.
type Mailbox struct {
	Address     string `json:"address" js:"address"`
	DisplayName string `json:"displayName,omitempty" js:"displayName"`
}

// Text is the readable text of a message: its first text/plain part that is not an attachment,
// else its first such text/html part (attached messages are not searched).
type Text struct {
	Type string `json:"type" js:"type"` // "text/plain" or "text/html"
	Text string `json:"text" js:"text"`
	// Source says where the text was found: "signed" in the content of an opaque signature
	// (which a webmail cannot show; the status says whether the signature holds), "message" in
	// the message as delivered, signed or not.
	Source string `json:"source" js:"source"`
	// Truncated says the text was cut at MaxText bytes.
	Truncated bool `json:"truncated,omitempty" js:"truncated"`
}

// Warning is one thing a valid message claims that its signer's certificate does not carry.
type Warning struct {
	// Kind says what the claim is: "display-name-address", "display-name-domain",
	// "display-name-organization", "display-name-person" or "display-name-unicode".
	Kind string `json:"kind" js:"kind"`
	// Claim is what was claimed, to quote: an address, a domain, the display name, or for
	// "display-name-unicode" the trick ("bidi", "invisible" or "look-alike").
	Claim string `json:"claim" js:"claim"`
	// Detail is a sentence for a person; it names the signed address first.
	Detail string `json:"detail" js:"detail"`
}

// Signer is what the signer's certificate says, limited by Level to what the CA validated.
type Signer struct {
	Email        string     `json:"email" js:"email"`
	Name         string     `json:"name,omitempty" js:"name"`
	Pseudonym    bool       `json:"pseudonym,omitempty" js:"pseudonym"` // Name is a pseudonym, not a legal name
	Organization string     `json:"organization,omitempty" js:"organization"`
	Country      string     `json:"country,omitempty" js:"country"`
	Title        string     `json:"title,omitempty" js:"title"`
	Fingerprint  string     `json:"fingerprint" js:"fingerprint"` // SHA-256 of the certificate, hex
	Issuer       string     `json:"issuer" js:"issuer"`
	NotBefore    time.Time  `json:"notBefore" js:"notBefore"`
	NotAfter     time.Time  `json:"notAfter" js:"notAfter"`
	PolicyOID    string     `json:"policyOID,omitempty" js:"policyOID"`
	SigningTime  *time.Time `json:"signingTime,omitempty" js:"signingTime"`
	// GCM: the signature's SMIMECapabilities announce AES-256-GCM, so the signer's client can
	// read mail encrypted with it (compose.SignAndEncrypt uses it when every recipient does).
	GCM bool `json:"gcm,omitempty" js:"gcm"`
}

// Certificate describes one certificate of the chain for the details view.
type Certificate struct {
	Subject    string    `json:"subject" js:"subject"`
	Issuer     string    `json:"issuer" js:"issuer"`
	NotBefore  time.Time `json:"notBefore" js:"notBefore"`
	NotAfter   time.Time `json:"notAfter" js:"notAfter"`
	SHA256     string    `json:"sha256" js:"sha256"`
	SHA1       string    `json:"sha1" js:"sha1"`
	PolicyOIDs []string  `json:"policyOIDs,omitempty" js:"policyOIDs"`
	Anchor     string    `json:"anchor,omitempty" js:"anchor"` // "bundled", "given" or "" when not an anchor
	// CRLs are the certificate's HTTP revocation-list addresses (cRLDistributionPoints), where
	// a client may fetch its issuer's CRL and verify again with it.
	CRLs []string `json:"crl,omitempty" js:"crl"`
}

// CheckNames are the names a Check can have, in the order verification takes the steps.
var CheckNames = []string{"decryption", "structure", "signature", "chain", "revocation", "sender", "level", "display-name", "content"}

// Check is one step of verification and its outcome.
type Check struct {
	Name   string `json:"name" js:"name"` // one of CheckNames
	OK     bool   `json:"ok" js:"ok"`
	Detail string `json:"detail" js:"detail"` // what was found, for a person
	// Code, Args and Then are Detail as a sentence code (package sentence).
	Code string          `json:"code" js:"code"`
	Args []string        `json:"args,omitempty" js:"args"`
	Then []sentence.Text `json:"then,omitempty" js:"then"`
}
