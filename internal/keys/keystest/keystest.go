// Package keystest turns fixture identities (internal/testpki) into the
// identities and PKCS #12 files that mailseal's signing tests import.
package keystest

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"reflect"
	"testing"

	"github.com/mailseal/mailseal/internal/keys"
	"github.com/mailseal/mailseal/internal/testpki"
	"software.sslmate.com/src/go-pkcs12"
)

// Identity returns the fixture identity with its bare private key, which PKCS #12
// and the sealed format can serialise (testpki wraps its keys to sign deterministically).
func Identity(tb testing.TB, id *testpki.Identity) *keys.Identity {
	tb.Helper()
	key := BareKey(id.Key)
	if key == nil {
		tb.Fatalf("keystest: no bare key inside %T", id.Key)
	}
	return &keys.Identity{Certificate: id.Certificate, Key: key, Chain: id.Chain}
}

// BareKey returns the *rsa.PrivateKey, *ecdsa.PrivateKey or ed25519.PrivateKey inside k,
// looking through wrappers that embed a crypto.Signer, or nil.
func BareKey(k crypto.Signer) crypto.Signer {
	switch k.(type) {
	case *rsa.PrivateKey, *ecdsa.PrivateKey, ed25519.PrivateKey:
		return k
	}
	v := reflect.ValueOf(k)
	if v.Kind() != reflect.Struct {
		return nil
	}
	f := v.FieldByName("Signer")
	if !f.IsValid() || !f.CanInterface() {
		return nil
	}
	inner, ok := f.Interface().(crypto.Signer)
	if !ok {
		return nil
	}
	return BareKey(inner)
}

// PKCS12 encodes the fixture identity (certificate, bare key, chain) with enc.
func PKCS12(tb testing.TB, id *testpki.Identity, password string, enc *pkcs12.Encoder) []byte {
	tb.Helper()
	ki := Identity(tb, id)
	der, err := enc.Encode(ki.Key, ki.Certificate, ki.Chain, password)
	if err != nil {
		tb.Fatal(err)
	}
	return der
}
