package cms

import (
	"crypto"
	"encoding/asn1"
	"errors"
	"testing"
)

func TestSignatureAlgorithmHash(t *testing.T) {
	for _, c := range []struct {
		oid  asn1.ObjectIdentifier
		want SignatureAlgorithm
	}{
		{OIDRSAEncryption, SignatureAlgorithm{Kind: RSAPKCS1v15, Hash: crypto.SHA384}}, // the digest's hash
		{OIDSHA256WithRSA, SignatureAlgorithm{Kind: RSAPKCS1v15, Hash: crypto.SHA256}},
		{OIDMD5WithRSA, SignatureAlgorithm{Kind: RSAPKCS1v15, Hash: crypto.MD5}},
		{OIDECPublicKey, SignatureAlgorithm{Kind: ECDSA, Hash: crypto.SHA384}},
		{OIDECDSAWithSHA1, SignatureAlgorithm{Kind: ECDSA, Hash: crypto.SHA1}},
		{OIDECDSAWithSHA512, SignatureAlgorithm{Kind: ECDSA, Hash: crypto.SHA512}},
		{OIDEd25519, SignatureAlgorithm{Kind: Ed25519}},
		{OIDRSAPSS, SignatureAlgorithm{Kind: RSAPSS, Hash: crypto.SHA1, SaltLength: 20}},
	} {
		got, err := signatureAlgorithm(c.oid, nil, crypto.SHA384)
		if err != nil || got != c.want {
			t.Errorf("%v: %+v, %v; want %+v", c.oid, got, err, c.want)
		}
	}
	if _, err := signatureAlgorithm(OIDSHA256, nil, crypto.SHA256); !errors.Is(err, ErrUnsupported) {
		t.Errorf("a digest OID as signature algorithm: %v, want ErrUnsupported", err)
	}
}
