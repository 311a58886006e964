package smime

import (
	"crypto/x509"
	"time"

	"github.com/mailseal/mailseal/internal/cms"
)

// DefaultMaxSize is the largest message Verify reads unless Options.MaxSize says otherwise.
const DefaultMaxSize = 64 << 20

// Options are the inputs to Verify besides the message. The zero value is usable.
type Options struct {
	// Now is the clock used when the message has no Received header. Zero means time.Now().
	Now time.Time
	// Roots are extra trust anchors trusted as the bundled roots are (full trust: levels V1–V4).
	Roots []*x509.Certificate
	// UserRoots are anchors a user added by hand: a chain ending there is valid, but the level
	// is at most V1 and the reason says the root is trusted by the user only.
	UserRoots []*x509.Certificate
	// CRLs are DER certificate revocation lists to consult; a listed signer is revoked.
	CRLs [][]byte
	// RequireRevocation makes a chain that is otherwise good untrusted when no CRL of the
	// signer's issuer is among CRLs (a "hard-fail" revocation policy).
	RequireRevocation bool
	// MaxSize caps the message size in bytes; zero means DefaultMaxSize.
	MaxSize int64
	// NoBundledRoots leaves the bundled Mozilla roots out (tests, closed deployments).
	NoBundledRoots bool
	// Backend does the hashing and signature math; nil means cms.GoBackend.
	// The WebAssembly build passes one that uses WebCrypto.
	Backend cms.Backend
}
