package testpki

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"

	"github.com/mailseal/mailseal/internal/cms"
)

// The MIME shapes below put a genuine signature where a careless client would
// show unsigned content as signed (Müller et al., "Johnny, you are fired!", 2019).

// Mixed is a multipart/mixed entity of the given entities, in order: a signed entity
// followed by TextContent is a mailing-list footer, preceded by it is prepended text.
func Mixed(parts ...[]byte) []byte { return multipart("mixed", parts) }

// Alternative is a multipart/alternative entity: the same content in several forms (text, HTML).
func Alternative(parts ...[]byte) []byte { return multipart("alternative", parts) }

func multipart(subtype string, parts [][]byte) []byte {
	sum := sha256.Sum256(bytes.Join(parts, []byte{0}))
	boundary := "----=_" + subtype + "_" + hex.EncodeToString(sum[:8])
	var b bytes.Buffer
	fmt.Fprintf(&b, "Content-Type: multipart/%s; boundary=\"%s\"\r\n\r\n", subtype, boundary)
	for _, p := range parts {
		fmt.Fprintf(&b, "--%s\r\n%s\r\n", boundary, p)
	}
	fmt.Fprintf(&b, "--%s--\r\n", boundary)
	return b.Bytes()
}

// AttachedMessage is a message/rfc822 attachment holding msg (a forwarded message).
func AttachedMessage(msg []byte) []byte {
	return append([]byte("Content-Type: message/rfc822\r\n"+
		"Content-Disposition: attachment; filename=\"forwarded.eml\"\r\n\r\n"), msg...)
}

// Latin1Content is a text/plain entity in ISO-8859-1 sent as 8bit: the signature
// covers these bytes, not their UTF-8 reading.
func Latin1Content() []byte {
	return append([]byte("Content-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"),
		"Gr\xfc\xdfe aus K\xf6ln, der Betrag ist 100 \xa4.\r\nCaf\xe9 cr\xe8me br\xfbl\xe9e.\r\n"...)
}

// EnvelopedEntity is application/pkcs7-mime enveloped-data whose ContentInfo is a
// syntactically plausible EnvelopedData (RFC 5652 §6.1) with one key-transport
// recipient; the key and ciphertext are filler, nothing decrypts it.
func (p *PKI) EnvelopedEntity(recipient *Identity) ([]byte, error) {
	filler := func(n int, label string) []byte {
		out := make([]byte, 0, n+sha256.Size)
		for i := 0; len(out) < n; i++ {
			sum := sha256.Sum256(fmt.Appendf(nil, "%s%d", label, i))
			out = append(out, sum[:]...)
		}
		return out[:n]
	}
	b := cryptobyte.NewBuilder(nil)
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1ObjectIdentifier(cms.OIDEnvelopedData)
		b.AddASN1(cbasn1.Tag(0).Constructed().ContextSpecific(), func(b *cryptobyte.Builder) {
			b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
				b.AddASN1Int64(0)
				b.AddASN1(cbasn1.SET, func(b *cryptobyte.Builder) {
					b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { // KeyTransRecipientInfo
						b.AddASN1Int64(0)
						b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
							b.AddBytes(recipient.Certificate.RawIssuer)
							b.AddASN1BigInt(recipient.Certificate.SerialNumber)
						})
						b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
							b.AddASN1ObjectIdentifier(cms.OIDRSAEncryption)
							b.AddASN1NULL()
						})
						b.AddASN1OctetString(filler(256, "key"))
					})
				})
				b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { // EncryptedContentInfo
					b.AddASN1ObjectIdentifier(cms.OIDData)
					b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
						b.AddASN1ObjectIdentifier([]int{2, 16, 840, 1, 101, 3, 4, 1, 42}) // aes256-CBC
						b.AddASN1OctetString(filler(16, "iv"))
					})
					b.AddASN1(cbasn1.Tag(0).ContextSpecific(), func(b *cryptobyte.Builder) {
						b.AddBytes(filler(96, "ciphertext"))
					})
				})
			})
		})
	})
	der, err := b.Bytes()
	if err != nil {
		return nil, fmt.Errorf("testpki: EnvelopedData: %w", err)
	}
	return []byte("Content-Type: application/pkcs7-mime; smime-type=enveloped-data; name=\"smime.p7m\"\r\n" +
		"Content-Transfer-Encoding: base64\r\n" +
		"Content-Disposition: attachment; filename=\"smime.p7m\"\r\n\r\n" +
		Base64Lines(der) + "\r\n"), nil
}

// OpenPGPSignedEntity is a PGP/MIME multipart/signed (RFC 3156) around content with a
// placeholder signature: the same MIME shape as S/MIME, another protocol.
func OpenPGPSignedEntity(content []byte) []byte {
	const boundary = "----=_pgp_signed"
	return fmt.Appendf(nil, "Content-Type: multipart/signed; micalg=pgp-sha256;\r\n"+
		"\tprotocol=\"application/pgp-signature\"; boundary=\"%s\"\r\n\r\n"+
		"--%s\r\n%s\r\n--%s\r\n"+
		"Content-Type: application/pgp-signature; name=\"signature.asc\"\r\n\r\n"+
		"-----BEGIN PGP SIGNATURE-----\r\n\r\niHUEARYIAB0WIQTmailsealtestfixturenotarealsignature\r\n=AAAA\r\n"+
		"-----END PGP SIGNATURE-----\r\n--%s--\r\n", boundary, boundary, content, boundary, boundary)
}

// LFOnly turns every CRLF into LF, as a message saved on a Unix system reads.
func LFOnly(msg []byte) []byte {
	return bytes.ReplaceAll(msg, []byte("\r\n"), []byte("\n"))
}

// Replace returns msg with the one occurrence of old replaced by new: a tampered
// copy. It fails unless old occurs exactly once, so a fixture cannot silently miss.
func Replace(msg []byte, old, new string) ([]byte, error) {
	if n := bytes.Count(msg, []byte(old)); n != 1 {
		return nil, fmt.Errorf("testpki: %q occurs %d times, want once", old, n)
	}
	return bytes.Replace(msg, []byte(old), []byte(new), 1), nil
}
