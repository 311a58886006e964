//go:build js && wasm

package main

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	_ "crypto/md5" // so Go can compute the MD5 digests the tests compare
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"errors"
	"strconv"
	"syscall/js"
	"testing"

	"github.com/mailseal/mailseal/internal/cms"
	"github.com/stretchr/testify/require"
)

// rsaKey has WebCrypto generate an RSA key (Go's key generation is slow in
// WebAssembly) and hands it to Go, which signs: the signatures checked below
// come from Go, the keys and one verifier from the platform.
func rsaKey(t testing.TB, bits int) *rsa.PrivateKey {
	t.Helper()
	subtle := js.Global().Get("crypto").Get("subtle")
	params := map[string]any{
		"name": "RSASSA-PKCS1-v1_5", "modulusLength": bits,
		"publicExponent": bytesToJS([]byte{1, 0, 1}), "hash": "SHA-256",
	}
	pair, err := await(subtle.Call("generateKey", params, true, []any{"sign", "verify"}))
	require.NoError(t, err)
	pkcs8, err := await(subtle.Call("exportKey", "pkcs8", pair.Get("privateKey")))
	require.NoError(t, err)
	k, err := x509.ParsePKCS8PrivateKey(arrayBufferBytes(pkcs8))
	require.NoError(t, err)
	return k.(*rsa.PrivateKey)
}

type signatureCase struct {
	name string
	pub  crypto.PublicKey
	alg  cms.SignatureAlgorithm
	sign func(msg []byte) []byte
}

func signatureCases(t *testing.T) []signatureCase {
	rsa2048, rsa3072 := rsaKey(t, 2048), rsaKey(t, 3072)
	pkcs1 := func(k *rsa.PrivateKey, h crypto.Hash) signatureCase {
		return signatureCase{"RSA-" + strconv.Itoa(k.N.BitLen()) + "/PKCS1v15/" + h.String(), &k.PublicKey,
			cms.SignatureAlgorithm{Kind: cms.RSAPKCS1v15, Hash: h},
			func(msg []byte) []byte {
				s, err := rsa.SignPKCS1v15(nil, k, h, digest(h, msg))
				require.NoError(t, err)
				return s
			}}
	}
	pss := func(k *rsa.PrivateKey, h crypto.Hash, salt int) signatureCase {
		return signatureCase{"RSA-" + strconv.Itoa(k.N.BitLen()) + "/PSS/" + h.String(), &k.PublicKey,
			cms.SignatureAlgorithm{Kind: cms.RSAPSS, Hash: h, SaltLength: salt},
			func(msg []byte) []byte {
				s, err := rsa.SignPSS(rand.Reader, k, h, digest(h, msg), &rsa.PSSOptions{SaltLength: salt})
				require.NoError(t, err)
				return s
			}}
	}
	ec := func(c elliptic.Curve, h crypto.Hash) signatureCase {
		k, err := ecdsa.GenerateKey(c, rand.Reader)
		require.NoError(t, err)
		return signatureCase{"ECDSA/" + c.Params().Name + "/" + h.String(), &k.PublicKey,
			cms.SignatureAlgorithm{Kind: cms.ECDSA, Hash: h},
			func(msg []byte) []byte {
				s, err := ecdsa.SignASN1(rand.Reader, k, digest(h, msg))
				require.NoError(t, err)
				return s
			}}
	}
	edPub, edPriv, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	return []signatureCase{
		pkcs1(rsa2048, crypto.SHA256),
		pkcs1(rsa2048, crypto.SHA512),
		pkcs1(rsa3072, crypto.SHA384),
		pkcs1(rsa2048, crypto.SHA1), // weak, but the verdict must still agree
		pss(rsa2048, crypto.SHA256, 32),
		pss(rsa3072, crypto.SHA512, 64),
		ec(elliptic.P256(), crypto.SHA256),
		ec(elliptic.P384(), crypto.SHA384),
		ec(elliptic.P521(), crypto.SHA512),
		ec(elliptic.P256(), crypto.SHA384), // a hash longer than the curve: truncated by both
		{"Ed25519", edPub, cms.SignatureAlgorithm{Kind: cms.Ed25519},
			func(msg []byte) []byte { return ed25519.Sign(edPriv, msg) }},
	}
}

// TestWebCryptoAgreesWithGo checks, for every algorithm S/MIME uses, that the
// WebCrypto backend really does the work and gives Go's verdict on a good
// signature, a changed signature and a changed message.
func TestWebCryptoAgreesWithGo(t *testing.T) {
	w := newWebCrypto()
	w.minRSABits = 0 // RSA-2048 too, though Go verifies it by default
	if !w.available() {
		t.Fatal("crypto.subtle is not available in this JavaScript host")
	}
	msg := []byte("signed attributes stand-in: 1.2.840.113549.1.9.4")
	for _, c := range signatureCases(t) {
		t.Run(c.name, func(t *testing.T) {
			sig := c.sign(msg)
			before := w.used
			require.NoError(t, w.VerifySignature(c.pub, c.alg, msg, sig), "good signature")
			if w.used.Verify != before.Verify+1 || w.used.Fallback != before.Fallback {
				t.Fatalf("good signature was not checked by WebCrypto: %+v -> %+v", before, w.used)
			}
			badSig := bytes.Clone(sig)
			badSig[len(badSig)/2] ^= 0x01
			badMsg := bytes.Clone(msg)
			badMsg[0] ^= 0x01
			for _, bad := range []struct {
				what     string
				msg, sig []byte
			}{{"changed signature", msg, badSig}, {"changed message", badMsg, sig}} {
				errWeb := w.VerifySignature(c.pub, c.alg, bad.msg, bad.sig)
				errGo := cms.GoBackend{}.VerifySignature(c.pub, c.alg, bad.msg, bad.sig)
				if errWeb == nil || errGo == nil {
					t.Errorf("%s accepted: WebCrypto %v, Go %v", bad.what, errWeb, errGo)
				}
				if errors.Is(errGo, cms.ErrSignature) && !errors.Is(errWeb, cms.ErrSignature) {
					t.Errorf("%s: Go says %v, WebCrypto %v", bad.what, errGo, errWeb)
				}
			}
		})
	}
}

// TestWebCryptoLeavesEdgeCasesToGo checks the inputs WebCrypto could judge
// differently from Go go to Go, and get Go's verdict.
func TestWebCryptoLeavesEdgeCasesToGo(t *testing.T) {
	w := newWebCrypto()
	w.minRSABits = 0 // so that the RSA-2048 cases below test the checks, not the size rule
	msg := []byte("message")
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	der, err := ecdsa.SignASN1(rand.Reader, k, digest(crypto.SHA256, msg))
	require.NoError(t, err)
	// The same r and s with a needless leading zero in r: not DER, refused by crypto/ecdsa.
	loose := append([]byte{0x30, der[1] + 1, 0x02, der[3] + 1, 0x00}, der[4:]...)
	rk := rsaKey(t, 2048)
	rsaSig, err := rsa.SignPKCS1v15(nil, rk, crypto.SHA256, digest(crypto.SHA256, msg))
	require.NoError(t, err)
	pssSig, err := rsa.SignPSS(rand.Reader, rk, crypto.SHA256, digest(crypto.SHA256, msg), &rsa.PSSOptions{SaltLength: 32})
	require.NoError(t, err)

	for _, c := range []struct {
		name string
		pub  crypto.PublicKey
		alg  cms.SignatureAlgorithm
		sig  []byte
	}{
		{"ECDSA signature with a non-minimal integer", &k.PublicKey, cms.SignatureAlgorithm{Kind: cms.ECDSA, Hash: crypto.SHA256}, loose},
		{"ECDSA signature that is not ASN.1", &k.PublicKey, cms.SignatureAlgorithm{Kind: cms.ECDSA, Hash: crypto.SHA256}, der[2:]},
		{"RSA signature one byte short", &rk.PublicKey, cms.SignatureAlgorithm{Kind: cms.RSAPKCS1v15, Hash: crypto.SHA256}, rsaSig[1:]},
		{"RSA-PSS with salt length 0", &rk.PublicKey, cms.SignatureAlgorithm{Kind: cms.RSAPSS, Hash: crypto.SHA256}, pssSig},
		{"RSA with MD5", &rk.PublicKey, cms.SignatureAlgorithm{Kind: cms.RSAPKCS1v15, Hash: crypto.MD5}, rsaSig},
	} {
		t.Run(c.name, func(t *testing.T) {
			before := w.used
			errWeb := w.VerifySignature(c.pub, c.alg, msg, c.sig)
			errGo := cms.GoBackend{}.VerifySignature(c.pub, c.alg, msg, c.sig)
			if w.used.Fallback != before.Fallback+1 || w.used.Verify != before.Verify {
				t.Errorf("not left to Go: %+v -> %+v", before, w.used)
			}
			if (errWeb == nil) != (errGo == nil) {
				t.Errorf("verdicts differ: WebCrypto backend %v, Go %v", errWeb, errGo)
			}
		})
	}
	// Parameters that say salt length 0 mean exactly none: the Go backend refuses the
	// 32-byte salt above (crypto/rsa alone would read 0 as "any length").
	if err := (cms.GoBackend{}).VerifySignature(&rk.PublicKey, cms.SignatureAlgorithm{Kind: cms.RSAPSS, Hash: crypto.SHA256}, msg, pssSig); err == nil {
		t.Error("a PSS signature with a 32-byte salt verified under parameters that say 0")
	}
}

// TestSmallRSAKeysStayWithGo checks the size rule: RSA-2048 is verified by Go,
// RSA-3072 by WebCrypto, and both give the same verdict.
func TestSmallRSAKeysStayWithGo(t *testing.T) {
	w := newWebCrypto()
	msg := []byte("message")
	for _, c := range []struct {
		bits    int
		wantWeb bool
	}{{2048, false}, {3072, true}} {
		k := rsaKey(t, c.bits)
		sig, err := rsa.SignPKCS1v15(nil, k, crypto.SHA256, digest(crypto.SHA256, msg))
		require.NoError(t, err)
		alg := cms.SignatureAlgorithm{Kind: cms.RSAPKCS1v15, Hash: crypto.SHA256}
		before := w.used
		if err := w.VerifySignature(&k.PublicKey, alg, msg, sig); err != nil {
			t.Fatalf("RSA-%d: %v", c.bits, err)
		}
		if byWeb := w.used.Verify == before.Verify+1; byWeb != c.wantWeb {
			t.Errorf("RSA-%d: verified by WebCrypto %v, want %v", c.bits, byWeb, c.wantWeb)
		}
		sig[len(sig)/2] ^= 1
		if err := w.VerifySignature(&k.PublicKey, alg, msg, sig); !errors.Is(err, cms.ErrSignature) {
			t.Errorf("RSA-%d: changed signature gave %v", c.bits, err)
		}
	}
}

func TestWebCryptoHashAgreesWithGo(t *testing.T) {
	w := newWebCrypto()
	for _, size := range []int{0, 1000, w.minDigest - 1, w.minDigest, 5 << 20} {
		data := make([]byte, size)
		for i := range data {
			data[i] = byte(i * 7)
		}
		for _, h := range []crypto.Hash{crypto.SHA256, crypto.SHA384, crypto.SHA512, crypto.SHA1, crypto.MD5} {
			before := w.used
			got, err := w.Hash(h, data)
			require.NoError(t, err)
			want, _ := cms.GoBackend{}.Hash(h, data)
			if !bytes.Equal(got, want) {
				t.Errorf("%v of %d bytes: %x, want %x", h, size, got, want)
			}
			byWeb := w.used.Digest == before.Digest+1
			if wantWeb := size >= w.minDigest && h != crypto.MD5; byWeb != wantWeb {
				t.Errorf("%v of %d bytes: hashed by WebCrypto %v, want %v", h, size, byWeb, wantWeb)
			}
		}
	}
}

func TestImportedKeysAreReused(t *testing.T) {
	w := newWebCrypto()
	k, err := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	require.NoError(t, err)
	alg := cms.SignatureAlgorithm{Kind: cms.ECDSA, Hash: crypto.SHA384}
	for i := range 3 {
		msg := []byte{byte(i)}
		sig, err := ecdsa.SignASN1(rand.Reader, k, digest(crypto.SHA384, msg))
		require.NoError(t, err)
		require.NoError(t, w.VerifySignature(&k.PublicKey, alg, msg, sig))
	}
	if len(w.keys) != 1 {
		t.Errorf("%d keys cached after three signatures by one key", len(w.keys))
	}
}

func digest(h crypto.Hash, msg []byte) []byte {
	d := h.New()
	d.Write(msg)
	return d.Sum(nil)
}

func must(t testing.TB, err error) {
	t.Helper()
	require.NoError(t, err)
}
