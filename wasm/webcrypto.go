//go:build js && wasm

package main

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"fmt"
	"strconv"
	"sync"
	"syscall/js"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"

	"github.com/mailseal/mailseal/internal/cms"
)

// webCrypto is a cms.Backend on the platform's crypto.subtle: native SHA-2
// over large content and native signature math, where Go compiled to
// WebAssembly runs several times slower than native code. Whatever WebCrypto
// lacks or refuses goes to cms.GoBackend, which stays the reference: for every
// input the two give the same verdict (webcrypto_test.go checks both).
type webCrypto struct {
	subtle js.Value
	// minDigest is the smallest content hashed by WebCrypto: below it, Go's
	// SHA-2 finishes before a round trip through the event loop would (in
	// Node 20: Go ~110 MB/s, WebCrypto ~0.15 ms + 380 MB/s; they cross near
	// 22 KB, see BenchmarkBackendHash).
	minDigest int
	// minRSABits is the smallest RSA modulus verified by WebCrypto. Below it Go
	// is as fast once warm (RSA-2048 with e = 65537: Go ~0.38 ms, WebCrypto
	// ~0.4-0.6 ms with its round trips, see BenchmarkBackendVerify) and much
	// faster on a fresh module: the first WebCrypto verify waits ~50 ms for a
	// thread the engine's background compiler keeps busy (Node 20, 2 cores).
	minRSABits int

	mu   sync.Mutex
	keys map[string]js.Value // imported CryptoKeys by import parameters and SPKI
	used backendUse
}

// backendUse counts where the work went, for tests and the benchmark.
type backendUse struct{ Digest, Verify, Fallback int }

// maxCachedKeys bounds the CryptoKey cache; one key per signer seen.
const maxCachedKeys = 256

var webCryptoBackend = newWebCrypto()

func newWebCrypto() *webCrypto {
	w := &webCrypto{minDigest: 32 << 10, minRSABits: 2049, keys: map[string]js.Value{}}
	if c := js.Global().Get("crypto"); c.Type() == js.TypeObject {
		w.subtle = c.Get("subtle")
	}
	return w
}

func (w *webCrypto) available() bool { return w.subtle.Type() == js.TypeObject }

func (w *webCrypto) count(f func(*backendUse)) {
	w.mu.Lock()
	f(&w.used)
	w.mu.Unlock()
}

var digestNames = map[crypto.Hash]string{
	crypto.SHA1:   "SHA-1",
	crypto.SHA256: "SHA-256",
	crypto.SHA384: "SHA-384",
	crypto.SHA512: "SHA-512",
}

func (w *webCrypto) Hash(h crypto.Hash, data []byte) ([]byte, error) {
	name, ok := digestNames[h]
	if !ok || len(data) < w.minDigest || !w.available() {
		return w.fallbackHash(h, data)
	}
	p, err := callJS(w.subtle, "digest", name, bytesToJS(data))
	if err != nil {
		return w.fallbackHash(h, data)
	}
	buf, err := await(p)
	if err != nil {
		return w.fallbackHash(h, data)
	}
	w.count(func(u *backendUse) { u.Digest++ })
	return arrayBufferBytes(buf), nil
}

func (w *webCrypto) fallbackHash(h crypto.Hash, data []byte) ([]byte, error) {
	w.count(func(u *backendUse) { u.Fallback++ })
	return cms.GoBackend{}.Hash(h, data)
}

func (w *webCrypto) VerifySignature(pub crypto.PublicKey, alg cms.SignatureAlgorithm, message, sig []byte) error {
	a, ok := webCryptoAlgorithm(pub, alg, sig)
	if k, isRSA := pub.(*rsa.PublicKey); isRSA && k.N.BitLen() < w.minRSABits {
		ok = false
	}
	if !ok || !w.available() {
		return w.fallbackVerify(pub, alg, message, sig)
	}
	key, err := w.importKey(pub, a)
	if err != nil {
		return w.fallbackVerify(pub, alg, message, sig)
	}
	p, err := callJS(w.subtle, "verify", a.verify, key, bytesToJS(a.signature), bytesToJS(message))
	if err != nil {
		return w.fallbackVerify(pub, alg, message, sig)
	}
	good, err := await(p)
	if err != nil || good.Type() != js.TypeBoolean {
		return w.fallbackVerify(pub, alg, message, sig)
	}
	w.count(func(u *backendUse) { u.Verify++ })
	if !good.Bool() {
		return cms.ErrSignature
	}
	return nil
}

func (w *webCrypto) fallbackVerify(pub crypto.PublicKey, alg cms.SignatureAlgorithm, message, sig []byte) error {
	w.count(func(u *backendUse) { u.Fallback++ })
	return cms.GoBackend{}.VerifySignature(pub, alg, message, sig)
}

// importKey returns the CryptoKey for pub, imported once per key and algorithm:
// a second message from the same sender skips the import.
func (w *webCrypto) importKey(pub crypto.PublicKey, a subtleAlgorithm) (js.Value, error) {
	id, err := keyID(pub)
	if err != nil {
		return js.Undefined(), err
	}
	id = a.importID + "\x00" + id
	w.mu.Lock()
	key, ok := w.keys[id]
	w.mu.Unlock()
	if ok {
		return key, nil
	}
	spki, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return js.Undefined(), err
	}
	p, err := callJS(w.subtle, "importKey", "spki", bytesToJS(spki), a.importParams, false, []any{"verify"})
	if err != nil {
		return js.Undefined(), err
	}
	if key, err = await(p); err != nil {
		return js.Undefined(), err
	}
	w.mu.Lock()
	if len(w.keys) >= maxCachedKeys {
		clear(w.keys)
	}
	w.keys[id] = key
	w.mu.Unlock()
	return key, nil
}

// keyID identifies a public key for the cache without encoding it (MarshalPKIXPublicKey
// costs more than the lookup it would key).
func keyID(pub crypto.PublicKey) (string, error) {
	switch k := pub.(type) {
	case *rsa.PublicKey:
		return "rsa:" + strconv.Itoa(k.E) + ":" + string(k.N.Bytes()), nil
	case *ecdsa.PublicKey:
		// Not k.Bytes(): it checks the point is on the curve, a millisecond in WebAssembly.
		return "ec:" + k.Curve.Params().Name + ":" + k.X.Text(16) + ":" + k.Y.Text(16), nil //lint:ignore SA1019 read only, for a cache key
	case ed25519.PublicKey:
		return "ed25519:" + string(k), nil
	}
	return "", fmt.Errorf("no WebCrypto key for a %T", pub)
}

// subtleAlgorithm is how crypto.subtle names one signature check.
type subtleAlgorithm struct {
	importID     string // identifies importParams in the key cache
	importParams map[string]any
	verify       map[string]any
	signature    []byte // in WebCrypto's encoding (raw r||s for ECDSA)
}

// webCryptoAlgorithm maps a check to WebCrypto, or says no. It says no to
// everything WebCrypto could judge differently from Go, so that Go decides:
// RSA keys Go refuses (under 1024 bits) or a browser may (over 8192 bits, even
// or oversized exponents), RSA signatures not exactly as long as the modulus
// (OpenSSL pads short ones, Go refuses them), PSS salt length 0 (Go reads it
// as "any length"), and ECDSA signatures that are not strict DER with r and s
// that fit the curve.
func webCryptoAlgorithm(pub crypto.PublicKey, alg cms.SignatureAlgorithm, sig []byte) (subtleAlgorithm, bool) {
	hash := digestNames[alg.Hash]
	switch k := pub.(type) {
	case *rsa.PublicKey:
		if hash == "" || k.N.BitLen() < 1024 || k.N.BitLen() > 8192 || k.E < 3 || k.E&1 == 0 || len(sig) != k.Size() {
			return subtleAlgorithm{}, false
		}
		switch alg.Kind {
		case cms.RSAPKCS1v15:
			return subtleAlgorithm{
				importID:     "RSASSA-PKCS1-v1_5/" + hash,
				importParams: map[string]any{"name": "RSASSA-PKCS1-v1_5", "hash": hash},
				verify:       map[string]any{"name": "RSASSA-PKCS1-v1_5"},
				signature:    sig,
			}, true
		case cms.RSAPSS:
			if alg.SaltLength <= 0 {
				return subtleAlgorithm{}, false
			}
			return subtleAlgorithm{
				importID:     "RSA-PSS/" + hash,
				importParams: map[string]any{"name": "RSA-PSS", "hash": hash},
				verify:       map[string]any{"name": "RSA-PSS", "saltLength": alg.SaltLength},
				signature:    sig,
			}, true
		}
	case *ecdsa.PublicKey:
		curve := k.Curve.Params().Name
		size := (k.Curve.Params().BitSize + 7) / 8
		if alg.Kind != cms.ECDSA || hash == "" || (curve != "P-256" && curve != "P-384" && curve != "P-521") {
			return subtleAlgorithm{}, false
		}
		raw, ok := ecdsaRawSignature(sig, size)
		if !ok {
			return subtleAlgorithm{}, false
		}
		return subtleAlgorithm{
			importID:     "ECDSA/" + curve,
			importParams: map[string]any{"name": "ECDSA", "namedCurve": curve},
			verify:       map[string]any{"name": "ECDSA", "hash": hash},
			signature:    raw,
		}, true
	case ed25519.PublicKey:
		if alg.Kind != cms.Ed25519 {
			return subtleAlgorithm{}, false
		}
		return subtleAlgorithm{
			importID:     "Ed25519",
			importParams: map[string]any{"name": "Ed25519"},
			verify:       map[string]any{"name": "Ed25519"},
			signature:    sig,
		}, true
	}
	return subtleAlgorithm{}, false
}

// ecdsaRawSignature converts an ECDSA-Sig-Value (SEQUENCE of two INTEGERs) into
// the fixed-size r||s WebCrypto takes. It parses exactly as crypto/ecdsa does.
func ecdsaRawSignature(sig []byte, size int) ([]byte, bool) {
	var inner cryptobyte.String
	var r, s []byte
	in := cryptobyte.String(sig)
	if !in.ReadASN1(&inner, cbasn1.SEQUENCE) || !in.Empty() ||
		!inner.ReadASN1Integer(&r) || !inner.ReadASN1Integer(&s) || !inner.Empty() ||
		len(r) > size || len(s) > size {
		return nil, false
	}
	raw := make([]byte, 2*size)
	copy(raw[size-len(r):size], r)
	copy(raw[2*size-len(s):], s)
	return raw, true
}

// arrayBufferBytes copies an ArrayBuffer (a digest) into Go.
func arrayBufferBytes(buf js.Value) []byte {
	a := uint8ArrayClass.New(buf)
	b := make([]byte, a.Length())
	js.CopyBytesToGo(b, a)
	return b
}
