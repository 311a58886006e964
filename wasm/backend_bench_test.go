//go:build js && wasm

package main

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"fmt"
	"testing"

	"github.com/mailseal/mailseal/internal/cms"
	"github.com/stretchr/testify/require"
)

// The figures behind webCrypto's choices: where a round trip to crypto.subtle
// beats Go compiled to WebAssembly. Run with
//
//	PATH=$(go env GOROOT)/lib/wasm:$PATH GOOS=js GOARCH=wasm go test -run - -bench Backend ./wasm
//
// Under go test each await costs more than under the extension's loader (the
// test binary keeps a timer for its deadline), so WebCrypto looks worse here.
func BenchmarkBackendVerify(b *testing.B) {
	msg := make([]byte, 200) // about the size of signed attributes
	rk := rsaKey(b, 2048)
	rsaSig, _ := rsa.SignPKCS1v15(nil, rk, crypto.SHA256, digest(crypto.SHA256, msg))
	ek, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	ecSig, _ := ecdsa.SignASN1(rand.Reader, ek, digest(crypto.SHA256, msg))
	ek384, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	ec384Sig, _ := ecdsa.SignASN1(rand.Reader, ek384, digest(crypto.SHA384, msg))
	cases := []struct {
		name string
		pub  crypto.PublicKey
		alg  cms.SignatureAlgorithm
		sig  []byte
	}{
		{"RSA-2048", &rk.PublicKey, cms.SignatureAlgorithm{Kind: cms.RSAPKCS1v15, Hash: crypto.SHA256}, rsaSig},
		{"P-256", &ek.PublicKey, cms.SignatureAlgorithm{Kind: cms.ECDSA, Hash: crypto.SHA256}, ecSig},
		{"P-384", &ek384.PublicKey, cms.SignatureAlgorithm{Kind: cms.ECDSA, Hash: crypto.SHA384}, ec384Sig},
	}
	for _, c := range cases {
		for name, backend := range map[string]cms.Backend{"Go": cms.GoBackend{}, "WebCrypto": newWebCrypto()} {
			b.Run(c.name+"/"+name, func(b *testing.B) {
				for range b.N {
					require.NoError(b, backend.VerifySignature(c.pub, c.alg, msg, c.sig))
				}
			})
		}
	}
}

func BenchmarkBackendHash(b *testing.B) {
	for _, size := range []int{1 << 10, 16 << 10, 64 << 10, 1 << 20} {
		data := make([]byte, size)
		w := newWebCrypto()
		w.minDigest = 0
		for name, backend := range map[string]cms.Backend{"Go": cms.GoBackend{}, "WebCrypto": w} {
			b.Run(fmt.Sprintf("%s/%dKB", name, size>>10), func(b *testing.B) {
				b.SetBytes(int64(size))
				for range b.N {
					if _, err := backend.Hash(crypto.SHA256, data); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
