package keys

import (
	"crypto"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/x509"
	"errors"
	"fmt"
	"time"

	"golang.org/x/crypto/cryptobyte"
)

// A session is an unlocked identity as the extension's background keeps it between worker
// restarts: the PKCS #8 key under AES-256-GCM with a random session key (no KDF: the key is
// random), the lock time and the certificates in clear but authenticated. The session and its
// key are stored apart (docs/signing.md), so neither alone holds the private key.
//
//	"MSEALSES" | version u8 = 1 | lockAt u64 (Unix ms) | nonce <u8-length>
//	| certificates <u24-length> of <u24-length> DER, signer first | ciphertext <u32-length>
//
// OpenSession refuses a session past its lock time whatever the caller says, so a session key
// left behind unlocks nothing later.
const (
	sessionMagic   = "MSEALSES"
	sessionVersion = 1

	// SessionKeySize is the length of a session key.
	SessionKeySize = 32
	// MaxSessionLife is the longest a session may stay unlocked.
	MaxSessionLife = 24 * time.Hour
)

// ErrLocked means a session cannot give its identity: it is past its lock time, damaged, or
// not the one the key was made for. The error says which.
var ErrLocked = errors.New("keys: the identity is locked")

// NewSession wraps id's key under a fresh random session key until lockAt, which must lie in
// the next MaxSessionLife after now.
func NewSession(id *Identity, lockAt, now time.Time) (session, key []byte, err error) {
	if life := lockAt.Sub(now); life <= 0 || life > MaxSessionLife {
		return nil, nil, fmt.Errorf("keys: a session locks within %v, not at %s", MaxSessionLife, lockAt.UTC().Format(time.RFC3339))
	}
	pkcs8, err := x509.MarshalPKCS8PrivateKey(id.Key)
	if err != nil {
		return nil, nil, ErrNotExportable
	}
	key = make([]byte, SessionKeySize)
	rand.Read(key)
	aead, err := sessionAEAD(key)
	if err != nil {
		return nil, nil, err
	}
	nonce := make([]byte, aead.NonceSize())
	rand.Read(nonce)
	b := cryptobyte.NewBuilder(nil)
	b.AddBytes([]byte(sessionMagic))
	b.AddUint8(sessionVersion)
	b.AddUint64(uint64(lockAt.UnixMilli()))
	b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(nonce) })
	addCertificates(b, id)
	header, err := b.Bytes()
	if err != nil {
		return nil, nil, fmt.Errorf("keys: session: %w", err)
	}
	b = cryptobyte.NewBuilder(header)
	b.AddUint32LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(aead.Seal(nil, nonce, pkcs8, header)) })
	session, err = b.Bytes()
	if err != nil {
		return nil, nil, fmt.Errorf("keys: session: %w", err)
	}
	return session, key, nil
}

// OpenSession gives the identity of a session made by NewSession, with the key it returned,
// at now. Every failure but a key of the wrong size is ErrLocked.
func OpenSession(session, key []byte, now time.Time) (*Identity, error) {
	locked := func(why string) error { return fmt.Errorf("%w: %s", ErrLocked, why) }
	aead, err := sessionAEAD(key)
	if err != nil {
		return nil, err
	}
	s := cryptobyte.String(session)
	var (
		magic      []byte
		version    uint8
		lockAt     uint64
		nonce      cryptobyte.String
		certBlock  cryptobyte.String
		ciphertext cryptobyte.String
	)
	if !s.ReadBytes(&magic, len(sessionMagic)) || string(magic) != sessionMagic || !s.ReadUint8(&version) || version != sessionVersion ||
		!s.ReadUint64(&lockAt) || !s.ReadUint8LengthPrefixed(&nonce) || !s.ReadUint24LengthPrefixed(&certBlock) {
		return nil, locked("the session is damaged")
	}
	header := session[:len(session)-len(s)]
	var n uint32
	if !s.ReadUint32(&n) || !s.ReadBytes((*[]byte)(&ciphertext), int(n)) || !s.Empty() {
		return nil, locked("the session is damaged")
	}
	if now.UnixMilli() >= int64(lockAt) {
		return nil, locked("the unlock period is over")
	}
	if len(nonce) != aead.NonceSize() {
		return nil, locked("the session is damaged")
	}
	pkcs8, err := aead.Open(nil, nonce, ciphertext, header)
	if err != nil {
		return nil, locked("the session does not match its key")
	}
	parsed, err := x509.ParsePKCS8PrivateKey(pkcs8)
	if err != nil {
		return nil, locked("the session is damaged")
	}
	signer, ok := parsed.(crypto.Signer)
	if !ok {
		return nil, locked("the session is damaged")
	}
	certs, err := readCertificates(certBlock)
	if err != nil {
		return nil, locked("the session is damaged")
	}
	return &Identity{Certificate: certs[0], Key: signer, Chain: certs[1:]}, nil
}

func sessionAEAD(key []byte) (cipher.AEAD, error) {
	if len(key) != SessionKeySize {
		return nil, fmt.Errorf("keys: a session key is %d bytes, not %d", SessionKeySize, len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("keys: session: %w", err)
	}
	return cipher.NewGCM(block)
}
