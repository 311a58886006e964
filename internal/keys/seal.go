package keys

import (
	"crypto"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/subtle"
	"crypto/x509"
	"errors"
	"fmt"

	"golang.org/x/crypto/cryptobyte"
	"golang.org/x/crypto/scrypt"
	"golang.org/x/text/unicode/norm"
)

const (
	sealMagic   = "MSEALKEY"
	sealVersion = 1
	kdfScrypt   = 1

	// Seal's scrypt cost: N = 2^17, r = 8, p = 1 (128 MiB), the current OWASP guidance.
	// Measured on the 2-core build machine under load: about 0.6 s natively, 2.0 s in
	// WebAssembly (2^15: 0.18 s and 0.76 s); an unlock is once per session.
	sealLogN, sealR, sealP = 17, 8, 1
	// Open accepts identities sealed at N = 2^15, Seal's cost before, so existing keys still
	// open (Unlock seals them again at Seal's cost); anything weaker is a downgraded file.
	openMinLogN = 15
	// Open accepts stronger parameters up to this much scrypt memory (128·r·N bytes).
	maxScryptMemory = 256 << 20

	saltSize  = 16
	checkSize = 16
)

// kdfParams are the scrypt parameters written in a sealed identity.
type kdfParams struct{ logN, r, p uint8 }

var sealParams = kdfParams{sealLogN, sealR, sealP}

// Seal encrypts the identity under passphrase for storage. See the package
// documentation for the format.
func Seal(id *Identity, passphrase string) ([]byte, error) {
	if err := CheckPassphrase(passphrase); err != nil {
		return nil, err
	}
	return seal(id, passphrase, sealParams)
}

// Unlock opens a sealed identity as Open does. When data was sealed at a lower cost than
// Seal's, it also returns the identity sealed again at Seal's cost under the same
// passphrase, for the caller to store in place of data; resealed is nil otherwise. The
// passphrase rules of Seal are not applied again: the user chose it under older rules, and
// refusing it here would only leave the weaker file in place.
func Unlock(data []byte, passphrase string) (id *Identity, resealed []byte, err error) {
	s, err := parseSealed(data)
	if err != nil {
		return nil, nil, err
	}
	if id, err = s.open(passphrase); err != nil {
		return nil, nil, err
	}
	if s.kp.weakerThan(sealParams) {
		if resealed, err = seal(id, passphrase, sealParams); err != nil {
			return nil, nil, err
		}
	}
	return id, resealed, nil
}

func seal(id *Identity, passphrase string, kp kdfParams) ([]byte, error) {
	if passphrase == "" {
		return nil, ErrEmptyPassphrase
	}
	pkcs8, err := x509.MarshalPKCS8PrivateKey(id.Key)
	if err != nil {
		return nil, ErrNotExportable
	}
	salt := make([]byte, saltSize)
	rand.Read(salt)
	aead, check, err := deriveKey(passphrase, salt, kp)
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, aead.NonceSize())
	rand.Read(nonce)

	b := cryptobyte.NewBuilder(nil)
	b.AddBytes([]byte(sealMagic))
	b.AddUint8(sealVersion)
	b.AddUint8(kdfScrypt)
	b.AddUint8(kp.logN)
	b.AddUint8(kp.r)
	b.AddUint8(kp.p)
	b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(salt) })
	b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(nonce) })
	b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(check) })
	addCertificates(b, id)
	header, err := b.Bytes()
	if err != nil {
		return nil, fmt.Errorf("keys: sealing: %w", err)
	}
	ciphertext := aead.Seal(nil, nonce, pkcs8, header)
	b = cryptobyte.NewBuilder(header)
	b.AddUint32LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(ciphertext) })
	return b.Bytes()
}

// sealed is a parsed sealed identity, not yet decrypted.
type sealed struct {
	kp                 kdfParams
	salt, nonce, check []byte
	certs              []*x509.Certificate
	header, ciphertext []byte
}

func parseSealed(data []byte) (*sealed, error) {
	s := cryptobyte.String(data)
	var (
		out                           sealed
		magic                         []byte
		version, kdf                  uint8
		salt, nonce, check, certBlock cryptobyte.String
		ciphertext                    cryptobyte.String
	)
	if !s.ReadBytes(&magic, len(sealMagic)) || string(magic) != sealMagic {
		return nil, fmt.Errorf("%w: not a sealed mailseal identity", ErrDamaged)
	}
	if !s.ReadUint8(&version) || version != sealVersion {
		return nil, fmt.Errorf("%w: unknown format version %d", ErrDamaged, version)
	}
	if !s.ReadUint8(&kdf) || kdf != kdfScrypt ||
		!s.ReadUint8(&out.kp.logN) || !s.ReadUint8(&out.kp.r) || !s.ReadUint8(&out.kp.p) ||
		!s.ReadUint8LengthPrefixed(&salt) || !s.ReadUint8LengthPrefixed(&nonce) ||
		!s.ReadUint8LengthPrefixed(&check) || !s.ReadUint24LengthPrefixed(&certBlock) {
		return nil, fmt.Errorf("%w: truncated header", ErrDamaged)
	}
	out.header = data[:len(data)-len(s)]
	var n uint32
	if !s.ReadUint32(&n) || !s.ReadBytes((*[]byte)(&ciphertext), int(n)) || !s.Empty() {
		return nil, fmt.Errorf("%w: truncated or trailing data", ErrDamaged)
	}
	if err := out.kp.check(); err != nil {
		return nil, err
	}
	if len(salt) < saltSize || len(check) != checkSize {
		return nil, fmt.Errorf("%w: salt or check of the wrong size", ErrDamaged)
	}
	var err error
	if out.certs, err = readCertificates(certBlock); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrDamaged, err)
	}
	out.salt, out.nonce, out.check, out.ciphertext = salt, nonce, check, ciphertext
	return &out, nil
}

// check refuses parameters weaker than any Seal has used (a downgraded file) or too heavy to run.
func (kp kdfParams) check() error {
	if kp.logN < openMinLogN || kp.logN > 30 || kp.r < sealR || kp.p < sealP || kp.p > 16 {
		return fmt.Errorf("%w: scrypt parameters out of range", ErrDamaged)
	}
	if 128*uint64(kp.r)<<kp.logN > maxScryptMemory {
		return fmt.Errorf("%w: scrypt parameters need too much memory", ErrDamaged)
	}
	return nil
}

// weakerThan reports whether kp costs less than other in time or memory.
func (kp kdfParams) weakerThan(other kdfParams) bool {
	return kp.logN < other.logN || kp.r < other.r || kp.p < other.p
}

// Certificates returns the certificates of a sealed identity, signer first, without
// the passphrase: enough to show a locked identity. They are authenticated only by Open.
func Certificates(data []byte) ([]*x509.Certificate, error) {
	s, err := parseSealed(data)
	if err != nil {
		return nil, err
	}
	return s.certs, nil
}

// Open decrypts a sealed identity. A wrong passphrase gives ErrBadPassphrase; a
// file changed in any byte gives ErrDamaged (or ErrBadPassphrase when the change
// hit the salt or the KDF parameters, which make every passphrase wrong).
func Open(data []byte, passphrase string) (*Identity, error) {
	s, err := parseSealed(data)
	if err != nil {
		return nil, err
	}
	return s.open(passphrase)
}

func (s *sealed) open(passphrase string) (*Identity, error) {
	aead, check, err := deriveKey(passphrase, s.salt, s.kp)
	if err != nil {
		return nil, err
	}
	if subtle.ConstantTimeCompare(check, s.check) != 1 {
		return nil, ErrBadPassphrase
	}
	if len(s.nonce) != aead.NonceSize() {
		return nil, fmt.Errorf("%w: nonce of the wrong size", ErrDamaged)
	}
	pkcs8, err := aead.Open(nil, s.nonce, s.ciphertext, s.header)
	if err != nil {
		return nil, fmt.Errorf("%w: authentication failed", ErrDamaged)
	}
	key, err := x509.ParsePKCS8PrivateKey(pkcs8)
	if err != nil {
		return nil, fmt.Errorf("%w: private key: %v", ErrDamaged, err)
	}
	signer, ok := key.(crypto.Signer)
	if !ok {
		return nil, fmt.Errorf("%w: private key cannot sign", ErrDamaged)
	}
	pub, ok := signer.Public().(interface{ Equal(crypto.PublicKey) bool })
	if !ok || !pub.Equal(s.certs[0].PublicKey) {
		return nil, fmt.Errorf("%w: the private key is not the certificate's", ErrDamaged)
	}
	return &Identity{Certificate: s.certs[0], Key: signer, Chain: s.certs[1:]}, nil
}

func deriveKey(passphrase string, salt []byte, kp kdfParams) (cipher.AEAD, []byte, error) {
	// NFC: the same passphrase typed on two systems may arrive composed or decomposed.
	pass := norm.NFC.Bytes([]byte(passphrase))
	out, err := scrypt.Key(pass, salt, 1<<kp.logN, int(kp.r), int(kp.p), 32+checkSize)
	if err != nil {
		return nil, nil, fmt.Errorf("keys: scrypt: %w", err)
	}
	block, err := aes.NewCipher(out[:32])
	if err != nil {
		return nil, nil, fmt.Errorf("keys: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, nil, fmt.Errorf("keys: %w", err)
	}
	return aead, out[32:], nil
}

// addCertificates writes the certificate block both stored formats (sealed, session) share:
// <u24-length> of <u24-length> DER, signer first.
func addCertificates(b *cryptobyte.Builder, id *Identity) {
	b.AddUint24LengthPrefixed(func(b *cryptobyte.Builder) {
		for _, c := range append([]*x509.Certificate{id.Certificate}, id.Chain...) {
			b.AddUint24LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(c.Raw) })
		}
	})
}

// readCertificates parses the contents of a certificate block: at least one, signer first.
func readCertificates(block cryptobyte.String) ([]*x509.Certificate, error) {
	var certs []*x509.Certificate
	for !block.Empty() {
		var der cryptobyte.String
		if !block.ReadUint24LengthPrefixed(&der) {
			return nil, errors.New("truncated certificate")
		}
		c, err := x509.ParseCertificate(der)
		if err != nil {
			return nil, fmt.Errorf("certificate: %v", err)
		}
		certs = append(certs, c)
	}
	if len(certs) == 0 {
		return nil, errors.New("no certificate")
	}
	return certs, nil
}
