package compose

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"time"

	"github.com/emersion/go-message/mail"
	"github.com/emersion/go-message/textproto"
	"github.com/mailseal/mailseal/internal/address"
	"github.com/mailseal/mailseal/internal/cms"
	"github.com/mailseal/mailseal/internal/keys"
)

// ErrFromMismatch means the From address is not one the certificate names:
// recipients would see a signature by someone else.
var ErrFromMismatch = errors.New("compose: the From address is not an address of the signing certificate")

// micalgs are the RFC 8551 §3.5.3.2 names of the digests mailseal signs with.
var micalgs = map[crypto.Hash]string{crypto.SHA256: "sha-256", crypto.SHA384: "sha-384", crypto.SHA512: "sha-512"}

// SignDetached signs m as multipart/signed (RFC 8551 §3.5): the entity as it is,
// then an application/pkcs7-signature part holding a detached SignedData with the
// content-type, messageDigest, signingTime and SMIMECapabilities attributes and
// the identity's chain. Every webmail and mail client shows the content even
// when it cannot check the signature, which is why the extension signs this way.
func SignDetached(m *Message, id *keys.Identity, at time.Time) ([]byte, error) {
	h, sig, err := sign(m, id, at, true)
	if err != nil {
		return nil, err
	}
	boundary, err := boundaryFor(m.Entity)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	outer := withBottom(m.Header.Header.Header, "MIME-Version", "1.0",
		"Content-Type", fmt.Sprintf(`multipart/signed; protocol="application/pkcs7-signature"; micalg=%s; boundary="%s"`, micalgs[h], boundary))
	if err := textproto.WriteHeader(&b, outer); err != nil {
		return nil, fmt.Errorf("compose: header: %w", err)
	}
	// The first part is the entity byte for byte; the CRLF before the next
	// delimiter belongs to the delimiter (RFC 2046 §5.1.1), not to what was signed.
	fmt.Fprintf(&b, "This is a cryptographically signed message in MIME format.\r\n\r\n--%s\r\n", boundary)
	b.Write(m.Entity)
	fmt.Fprintf(&b, "\r\n--%s\r\n", boundary)
	textproto.WriteHeader(&b, headerOf(
		"Content-Type", `application/pkcs7-signature; name="smime.p7s"`,
		"Content-Transfer-Encoding", "base64",
		"Content-Disposition", `attachment; filename="smime.p7s"`,
		"Content-Description", "S/MIME Cryptographic Signature"))
	b.Write(encodeBase64(sig))
	fmt.Fprintf(&b, "\r\n--%s--\r\n", boundary)
	return b.Bytes(), nil
}

// SignOpaque signs m as application/pkcs7-mime; smime-type=signed-data (RFC 8551
// §3.5.2): the entity travels inside the SignedData, so only S/MIME clients can
// show it, but no relay can alter it without breaking the signature.
func SignOpaque(m *Message, id *keys.Identity, at time.Time) ([]byte, error) {
	_, sig, err := sign(m, id, at, false)
	if err != nil {
		return nil, err
	}
	return pkcs7MIME(m, "signed-data", sig)
}

// pkcs7MIME writes m's header fields over an application/pkcs7-mime body of the given
// smime-type holding der: the form of opaque-signed and encrypted messages.
func pkcs7MIME(m *Message, smimeType string, der []byte) ([]byte, error) {
	var b bytes.Buffer
	outer := withBottom(m.Header.Header.Header, "MIME-Version", "1.0",
		"Content-Type", fmt.Sprintf(`application/pkcs7-mime; smime-type=%s; name="smime.p7m"`, smimeType),
		"Content-Transfer-Encoding", "base64",
		"Content-Disposition", `attachment; filename="smime.p7m"`)
	if err := textproto.WriteHeader(&b, outer); err != nil {
		return nil, fmt.Errorf("compose: header: %w", err)
	}
	b.Write(encodeBase64(der))
	return b.Bytes(), nil
}

// sign checks the identity and the From address, then makes the SignedData.
func sign(m *Message, id *keys.Identity, at time.Time, detached bool) (crypto.Hash, []byte, error) {
	if err := keys.CheckAt(id, at); err != nil {
		return 0, nil, err
	}
	if err := checkFrom(m.Header, id); err != nil {
		return 0, nil, err
	}
	h := hashFor(id)
	der, err := cms.Sign(m.Entity, []cms.Signer{id.Signer()}, cms.SignOptions{
		Detached: detached, Hash: h, SigningTime: at, Capabilities: true,
	})
	if err != nil {
		return 0, nil, fmt.Errorf("compose: %w", err)
	}
	return h, der, nil
}

// checkFrom refuses a From address the certificate does not name. A message
// without From (a fragment signed with the CLI) is left to the caller.
func checkFrom(h mail.Header, id *keys.Identity) error {
	if h.Get("From") == "" {
		return nil
	}
	from, err := h.AddressList("From")
	if err != nil || len(from) != 1 {
		return fmt.Errorf("compose: From must hold exactly one address: %q", h.Get("From"))
	}
	if _, ok := address.Match(id.Certificate, from[0].Address); !ok {
		return fmt.Errorf("%w: %s is not among %v", ErrFromMismatch, from[0].Address, address.CertificateAddresses(id.Certificate))
	}
	return nil
}

// hashFor matches the digest to the key's strength: SHA-384 for P-384, SHA-512
// for P-521, SHA-256 otherwise (RFC 5753 §7.2 pairs curves and digests this way).
func hashFor(id *keys.Identity) crypto.Hash {
	if k, ok := id.Certificate.PublicKey.(*ecdsa.PublicKey); ok {
		switch k.Curve.Params().BitSize {
		case 384:
			return crypto.SHA384
		case 521:
			return crypto.SHA512
		}
	}
	return crypto.SHA256
}

// boundaryFor returns a random boundary that does not occur in the entity.
func boundaryFor(entity []byte) (string, error) {
	for range 8 {
		b := "signed-" + textproto.NewMultipartWriter(nil).Boundary()[:40]
		if !bytes.Contains(entity, []byte("--"+b)) {
			return b, nil
		}
	}
	return "", errors.New("compose: no boundary found that the entity does not contain")
}
