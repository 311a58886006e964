package smime

import (
	"crypto/x509"
	"time"

	"github.com/mailseal/mailseal/internal/cms"
	"github.com/mailseal/mailseal/internal/mime"
)

// DefaultMaxSize is the largest message Verify reads unless Options.MaxSize says otherwise.
const DefaultMaxSize = 64 << 20

// MaxText is the most bytes of Report.Text.
const MaxText = 1 << 20

// Options are the inputs to Verify besides the message. The zero value is usable.
type Options struct {
	// Now is the present: the delivery time of a message that has no Received field and no
	// DeliveryTime, the time against which a CRL must be current, and the bound on any
	// delivery time. Zero means time.Now().
	Now time.Time
	// DeliveryTime is when the mail provider says the message arrived (Microsoft Graph's
	// receivedDateTime, Gmail's internalDate). It is used when the message has no Received
	// field, or when it is later than the topmost one. Zero means none was given.
	DeliveryTime time.Time
	// Roots are extra trust anchors trusted as the bundled roots are (full trust: levels V1–V4).
	Roots []*x509.Certificate
	// UserRoots are anchors a user added by hand: a chain ending there is valid, but the level
	// is at most V1 and the reason says the root is trusted by the user only.
	UserRoots []*x509.Certificate
	// Intermediates are CA certificates remembered from earlier valid mail (internal/memory):
	// offered for the chain after the message's own, so that a message carrying only its leaf
	// still reaches its anchor. They are never anchors and never fetched.
	Intermediates []*x509.Certificate
	// CRLs are DER certificate revocation lists to consult; a listed signer is revoked.
	CRLs [][]byte
	// RequireRevocation makes a chain that is otherwise good untrusted unless, for every
	// certificate below the anchor, a usable CRL of its issuer (authentic, current, complete
	// and in scope) is among CRLs: a "hard-fail" revocation policy.
	RequireRevocation bool
	// MaxSize caps the message size in bytes; zero means DefaultMaxSize.
	MaxSize int64
	// Text asks for Report.Text, the message's readable text.
	Text bool
	// Charset decodes Report.Text from the charset its part names. nil knows UTF-8, US-ASCII and
	// ISO-8859-1 only. The CLI passes charset.Decode; the WebAssembly build the browser's
	// TextDecoder, so the module carries no charset tables.
	Charset mime.Charset
	// NoBundledRoots leaves the bundled Mozilla roots out (tests, closed deployments).
	NoBundledRoots bool
	// Backend does the hashing and signature math; nil means cms.GoBackend.
	// The WebAssembly build passes one that uses WebCrypto.
	Backend cms.Backend
}
