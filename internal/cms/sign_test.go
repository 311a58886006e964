package cms_test

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/smallstep/pkcs7"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"

	"github.com/mailseal/mailseal/internal/cms"
)

// signContent has CRLF line ends and a trailing space, so any re-encoding on the way shows.
var signContent = []byte("Content-Type: text/plain; charset=utf-8\r\n\r\nPay 100 EUR to Bob. \r\n")

var (
	signKeysOnce sync.Once
	signKeys     map[string]crypto.Signer
)

// signKey returns one key per kind, generated once per test binary (RSA is slow).
func signKey(t testing.TB, kind string) crypto.Signer {
	t.Helper()
	signKeysOnce.Do(func() {
		signKeys = map[string]crypto.Signer{}
		r, _ := rsa.GenerateKey(rand.Reader, 2048)
		signKeys["rsa"] = r
		for name, c := range map[string]elliptic.Curve{"p256": elliptic.P256(), "p384": elliptic.P384(), "p521": elliptic.P521()} {
			k, _ := ecdsa.GenerateKey(c, rand.Reader)
			signKeys[name] = k
		}
		_, e, _ := ed25519.GenerateKey(rand.Reader)
		signKeys["ed25519"] = e
	})
	k := signKeys[kind]
	if k == nil {
		t.Fatalf("no key %q", kind)
	}
	return k
}

var signSerial int64

// signSigner mints a self-signed certificate for the key kind; the signature
// checks below never look at the chain.
func signSigner(t testing.TB, kind string) cms.Signer {
	t.Helper()
	key := signKey(t, kind)
	signSerial++
	tmpl := &x509.Certificate{
		SerialNumber:   big.NewInt(1000 + signSerial),
		Subject:        pkix.Name{CommonName: "signer " + kind},
		NotBefore:      time.Now().Add(-time.Hour),
		NotAfter:       time.Now().Add(time.Hour),
		KeyUsage:       x509.KeyUsageDigitalSignature,
		ExtKeyUsage:    []x509.ExtKeyUsage{x509.ExtKeyUsageEmailProtection},
		EmailAddresses: []string{kind + "@example.com"},
		SubjectKeyId:   []byte{1, 2, 3, byte(signSerial)},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	require.NoError(t, err)
	cert, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	return cms.Signer{Certificate: cert, Key: key}
}

// signParsed is the part of a SignedData these tests look at.
type signParsed struct {
	version    int64
	digestAlgs [][]byte
	eContent   []byte
	hasContent bool
	certs      [][]byte
	infos      []signParsedInfo
}

type signParsedInfo struct {
	version     int64
	sidTag      cbasn1.Tag
	sid         []byte
	digestAlg   []byte
	signedAttrs []byte // with its [0] tag, as embedded
	sigAlg      []byte
	sig         []byte
}

// signParse reads the DER with cryptobyte, independently of the package's own parser.
func signParse(t *testing.T, der []byte) signParsed {
	t.Helper()
	var p signParsed
	in := cryptobyte.String(der)
	var ci, content, sd, set, eci cryptobyte.String
	var oid asn1.ObjectIdentifier
	ok := in.ReadASN1(&ci, cbasn1.SEQUENCE) && in.Empty() &&
		ci.ReadASN1ObjectIdentifier(&oid) && oid.Equal(cms.OIDSignedData) &&
		ci.ReadASN1(&content, cbasn1.Tag(0).Constructed().ContextSpecific()) &&
		content.ReadASN1(&sd, cbasn1.SEQUENCE) &&
		sd.ReadASN1Integer(&p.version) &&
		sd.ReadASN1(&set, cbasn1.SET)
	if !ok {
		t.Fatal("SignedData header does not parse")
	}
	p.digestAlgs = signSequences(t, set, "digestAlgorithms")
	if !sd.ReadASN1(&eci, cbasn1.SEQUENCE) || !eci.ReadASN1ObjectIdentifier(&oid) || !oid.Equal(cms.OIDData) {
		t.Fatal("encapContentInfo")
	}
	var ec cryptobyte.String
	if !eci.ReadOptionalASN1(&ec, &p.hasContent, cbasn1.Tag(0).Constructed().ContextSpecific()) ||
		(p.hasContent && !ec.ReadASN1Bytes(&p.eContent, cbasn1.OCTET_STRING)) {
		t.Fatal("eContent")
	}
	var certs cryptobyte.String
	var hasCerts bool
	if !sd.ReadOptionalASN1(&certs, &hasCerts, cbasn1.Tag(0).Constructed().ContextSpecific()) {
		t.Fatal("certificates")
	}
	p.certs = signSequences(t, certs, "certificate")
	if !sd.ReadASN1(&set, cbasn1.SET) || !sd.Empty() {
		t.Fatal("signerInfos")
	}
	for !set.Empty() {
		var si, sid, alg, attrs, sigAlg cryptobyte.String
		var info signParsedInfo
		if !set.ReadASN1(&si, cbasn1.SEQUENCE) || !si.ReadASN1Integer(&info.version) ||
			!si.ReadAnyASN1Element(&sid, &info.sidTag) || !si.ReadASN1Element(&alg, cbasn1.SEQUENCE) {
			t.Fatal("SignerInfo")
		}
		info.sid, info.digestAlg = sid, alg
		if si.PeekASN1Tag(cbasn1.Tag(0).Constructed().ContextSpecific()) {
			si.ReadASN1Element(&attrs, cbasn1.Tag(0).Constructed().ContextSpecific())
			info.signedAttrs = attrs
		}
		if !si.ReadASN1Element(&sigAlg, cbasn1.SEQUENCE) || !si.ReadASN1Bytes(&info.sig, cbasn1.OCTET_STRING) || !si.Empty() {
			t.Fatal("SignerInfo tail")
		}
		info.sigAlg = sigAlg
		p.infos = append(p.infos, info)
	}
	return p
}

// signSequences splits the contents of a SET OF SEQUENCE into the DER of each element.
func signSequences(t *testing.T, set cryptobyte.String, what string) [][]byte {
	t.Helper()
	var out [][]byte
	for !set.Empty() {
		var e cryptobyte.String
		if !set.ReadASN1Element(&e, cbasn1.SEQUENCE) {
			t.Fatal(what)
		}
		out = append(out, e)
	}
	return out
}

// signAttributes splits embedded signed attributes into their DER encodings, in order.
func signAttributes(t *testing.T, embedded []byte) (order [][]byte, byType map[string][][]byte) {
	t.Helper()
	byType = map[string][][]byte{}
	s := cryptobyte.String(embedded)
	var set cryptobyte.String
	if !s.ReadASN1(&set, cbasn1.Tag(0).Constructed().ContextSpecific()) {
		t.Fatal("signedAttrs")
	}
	for !set.Empty() {
		var attr, body, values cryptobyte.String
		var oid asn1.ObjectIdentifier
		if !set.ReadASN1Element(&attr, cbasn1.SEQUENCE) {
			t.Fatal("attribute")
		}
		order = append(order, attr)
		body = attr
		if !body.ReadASN1(&body, cbasn1.SEQUENCE) || !body.ReadASN1ObjectIdentifier(&oid) || !body.ReadASN1(&values, cbasn1.SET) {
			t.Fatal("attribute body")
		}
		for !values.Empty() {
			var v cryptobyte.String
			var tag cbasn1.Tag
			values.ReadAnyASN1Element(&v, &tag)
			byType[oid.String()] = append(byType[oid.String()], v)
		}
	}
	return order, byType
}

// signVerifyGo checks signer i the way RFC 5652 §5.4 says, with the package's Go backend:
// the message digest attribute against the content, the signature against the attributes
// retagged as a SET.
func signVerifyGo(t *testing.T, p signParsed, i int, s cms.Signer, h crypto.Hash, alg cms.SignatureAlgorithm, content []byte) error {
	t.Helper()
	info := p.infos[i]
	message := content
	if info.signedAttrs != nil {
		_, attrs := signAttributes(t, info.signedAttrs)
		digest, _ := cms.GoBackend{}.Hash(h, content)
		md := attrs[cms.OIDAttrMessageDigest.String()]
		if len(md) != 1 || !bytes.Equal(md[0][2:], digest) {
			return cms.ErrSignature
		}
		message = bytes.Clone(info.signedAttrs)
		message[0] = 0x31
	}
	return cms.GoBackend{}.VerifySignature(s.Certificate.PublicKey, alg, message, info.sig)
}

type signCase struct {
	name string
	key  string
	opts cms.SignOptions
	alg  cms.SignatureAlgorithm
}

var signCases = []signCase{
	{"rsa-pkcs1-sha256", "rsa", cms.SignOptions{}, cms.SignatureAlgorithm{Kind: cms.RSAPKCS1v15, Hash: crypto.SHA256}},
	{"rsa-pkcs1-sha512", "rsa", cms.SignOptions{Hash: crypto.SHA512}, cms.SignatureAlgorithm{Kind: cms.RSAPKCS1v15, Hash: crypto.SHA512}},
	{"rsa-pss-sha256", "rsa", cms.SignOptions{PSS: true}, cms.SignatureAlgorithm{Kind: cms.RSAPSS, Hash: crypto.SHA256, SaltLength: 32}},
	{"rsa-pss-sha384", "rsa", cms.SignOptions{PSS: true, Hash: crypto.SHA384}, cms.SignatureAlgorithm{Kind: cms.RSAPSS, Hash: crypto.SHA384, SaltLength: 48}},
	{"p256", "p256", cms.SignOptions{}, cms.SignatureAlgorithm{Kind: cms.ECDSA, Hash: crypto.SHA256}},
	{"p384-sha384", "p384", cms.SignOptions{Hash: crypto.SHA384}, cms.SignatureAlgorithm{Kind: cms.ECDSA, Hash: crypto.SHA384}},
	{"p521-sha512", "p521", cms.SignOptions{Hash: crypto.SHA512}, cms.SignatureAlgorithm{Kind: cms.ECDSA, Hash: crypto.SHA512}},
	{"ed25519", "ed25519", cms.SignOptions{}, cms.SignatureAlgorithm{Kind: cms.Ed25519}},
	{"rsa-sha1", "rsa", cms.SignOptions{Hash: crypto.SHA1}, cms.SignatureAlgorithm{Kind: cms.RSAPKCS1v15, Hash: crypto.SHA1}},
}

// signDigestOf is the digest a case uses: Ed25519 always hashes content with SHA-512.
func signDigestOf(c signCase) crypto.Hash {
	switch {
	case c.key == "ed25519":
		return crypto.SHA512
	case c.opts.Hash != 0:
		return c.opts.Hash
	}
	return crypto.SHA256
}

func TestSignVerifiesWithGo(t *testing.T) {
	when := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	for _, c := range signCases {
		for _, detached := range []bool{true, false} {
			for _, attrs := range []bool{true, false} {
				name := c.name
				if detached {
					name += "/detached"
				}
				if !attrs {
					name += "/no-attrs"
				}
				t.Run(name, func(t *testing.T) {
					s := signSigner(t, c.key)
					opts := c.opts
					opts.Detached, opts.NoSignedAttributes = detached, !attrs
					opts.SigningTime, opts.Capabilities = when, true
					der, err := cms.Sign(signContent, []cms.Signer{s}, opts)
					require.NoError(t, err)
					p := signParse(t, der)
					if p.hasContent == detached {
						t.Errorf("eContent present = %v for detached = %v", p.hasContent, detached)
					}
					if !detached && !bytes.Equal(p.eContent, signContent) {
						t.Error("eContent differs from the content")
					}
					if (p.infos[0].signedAttrs != nil) != attrs {
						t.Errorf("signed attributes present = %v, want %v", p.infos[0].signedAttrs != nil, attrs)
					}
					h := signDigestOf(c)
					require.NoError(t, signVerifyGo(t, p, 0, s, h, c.alg, signContent), "signature does not verify")
					tampered := bytes.Clone(signContent)
					tampered[len(tampered)-4] ^= 1
					if err := signVerifyGo(t, p, 0, s, h, c.alg, tampered); err == nil {
						t.Fatal("signature still verifies after flipping a byte of the content")
					}
				})
			}
		}
	}
}

func TestSignStructure(t *testing.T) {
	rsaSigner, ecSigner := signSigner(t, "rsa"), signSigner(t, "p256")
	intermediate := signSigner(t, "p384").Certificate
	rsaSigner.Chain = []*x509.Certificate{intermediate}
	ecSigner.Chain = []*x509.Certificate{intermediate}
	when := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

	t.Run("issuer-and-serial", func(t *testing.T) {
		der, err := cms.Sign(signContent, []cms.Signer{rsaSigner, ecSigner}, cms.SignOptions{Hash: crypto.SHA384, SigningTime: when})
		require.NoError(t, err)
		p := signParse(t, der)
		if p.version != 1 || len(p.infos) != 2 {
			t.Fatalf("version %d with %d signers, want 1 with 2", p.version, len(p.infos))
		}
		if len(p.digestAlgs) != 1 {
			t.Errorf("%d digest algorithms for two SHA-384 signers, want 1", len(p.digestAlgs))
		}
		if len(p.certs) != 3 {
			t.Errorf("%d certificates, want 3 (two signers and one shared intermediate)", len(p.certs))
		}
		signCheckSorted(t, "certificates", p.certs)
		for _, info := range p.infos {
			if info.version != 1 || info.sidTag != cbasn1.SEQUENCE {
				t.Errorf("SignerInfo version %d, sid tag %#x; want 1 and issuerAndSerialNumber", info.version, info.sidTag)
			}
			if !bytes.Equal(info.digestAlg, p.digestAlgs[0]) {
				t.Error("SignerInfo digest algorithm is not in digestAlgorithms")
			}
			order, attrs := signAttributes(t, info.signedAttrs)
			signCheckSorted(t, "signed attributes", order)
			ct := attrs[cms.OIDAttrContentType.String()]
			if len(ct) != 1 || !bytes.Equal(ct[0], signOIDBytes(cms.OIDData)) {
				t.Error("content-type attribute is not id-data")
			}
			st := attrs[cms.OIDAttrSigningTime.String()]
			if len(st) != 1 || string(st[0][2:]) != "260601120000Z" {
				t.Errorf("signingTime = %q, want UTCTime 260601120000Z", st)
			}
		}
		for i, s := range []cms.Signer{rsaSigner, ecSigner} {
			found := false
			for _, info := range p.infos {
				var want cryptobyte.Builder
				want.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
					b.AddBytes(s.Certificate.RawIssuer)
					b.AddASN1BigInt(s.Certificate.SerialNumber)
				})
				found = found || bytes.Equal(info.sid, want.BytesOrPanic())
			}
			if !found {
				t.Errorf("signer %d: no SignerInfo names its issuer and serial", i)
			}
		}
	})

	t.Run("subject-key-id", func(t *testing.T) {
		der, err := cms.Sign(signContent, []cms.Signer{ecSigner}, cms.SignOptions{SubjectKeyID: true, Detached: true})
		require.NoError(t, err)
		p := signParse(t, der)
		info := p.infos[0]
		if p.version != 3 || info.version != 3 || info.sidTag != cbasn1.Tag(0).ContextSpecific() {
			t.Fatalf("versions %d/%d, sid tag %#x; want 3/3 and [0]", p.version, info.version, info.sidTag)
		}
		if !bytes.Equal(info.sid[2:], ecSigner.Certificate.SubjectKeyId) {
			t.Error("sid is not the subjectKeyIdentifier")
		}
	})

	t.Run("unsorted-attributes", func(t *testing.T) {
		opts := cms.SignOptions{UnsortedAttributes: true, SigningTime: when, Capabilities: true}
		der, err := cms.Sign(signContent, []cms.Signer{ecSigner}, opts)
		require.NoError(t, err)
		p := signParse(t, der)
		order, _ := signAttributes(t, p.infos[0].signedAttrs)
		if slicesIsSorted(order) {
			t.Fatal("attributes are in DER order")
		}
		alg := cms.SignatureAlgorithm{Kind: cms.ECDSA, Hash: crypto.SHA256}
		require.NoError(t, signVerifyGo(t, p, 0, ecSigner, crypto.SHA256, alg, signContent), "signature over the unsorted bytes does not verify")
	})

	t.Run("fixture-knobs", func(t *testing.T) {
		extra := cms.Attribute{Type: asn1.ObjectIdentifier{1, 2, 3, 4}, Values: [][]byte{{0x0c, 1, 'b'}, {0x0c, 1, 'a'}}}
		opts := cms.SignOptions{
			Detached: true, ExtraContent: []byte("something else"),
			ContentType:     cms.OIDSignedData,
			ExtraAttributes: []cms.Attribute{extra, extra},
		}
		der, err := cms.Sign(signContent, []cms.Signer{ecSigner}, opts)
		require.NoError(t, err)
		p := signParse(t, der)
		if !p.hasContent || string(p.eContent) != "something else" {
			t.Error("ExtraContent is not embedded")
		}
		_, attrs := signAttributes(t, p.infos[0].signedAttrs)
		if ct := attrs[cms.OIDAttrContentType.String()]; len(ct) != 1 || !bytes.Equal(ct[0], signOIDBytes(cms.OIDSignedData)) {
			t.Error("content-type attribute was not overridden")
		}
		if v := attrs["1.2.3.4"]; len(v) != 4 || v[0][2] != 'a' {
			t.Errorf("extra attribute values %q, want two sorted copies", v)
		}
	})

	t.Run("attributes-without-builtins", func(t *testing.T) {
		ct := cms.Attribute{Type: cms.OIDAttrContentType, Values: [][]byte{signOIDBytes(cms.OIDData)}}
		der, err := cms.Sign(signContent, []cms.Signer{ecSigner}, cms.SignOptions{NoSignedAttributes: true, ExtraAttributes: []cms.Attribute{ct}})
		require.NoError(t, err)
		_, attrs := signAttributes(t, signParse(t, der).infos[0].signedAttrs)
		if len(attrs) != 1 || attrs[cms.OIDAttrMessageDigest.String()] != nil {
			t.Errorf("attributes %v, want only content-type", attrs)
		}
	})

	t.Run("pss-parameters-match-x509", func(t *testing.T) {
		der, err := cms.Sign(signContent, []cms.Signer{rsaSigner}, cms.SignOptions{PSS: true})
		require.NoError(t, err)
		got := signParse(t, der).infos[0].sigAlg
		// crypto/x509 writes RFC 4055 parameters for SHA256WithRSAPSS; ours must be the same bytes.
		key := signKey(t, "rsa")
		tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), SignatureAlgorithm: x509.SHA256WithRSAPSS}
		certDER, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
		require.NoError(t, err)
		cert, _ := x509.ParseCertificate(certDER)
		var tbs, sigAlg cryptobyte.String
		in := cryptobyte.String(cert.Raw)
		in.ReadASN1(&in, cbasn1.SEQUENCE)
		in.ReadASN1(&tbs, cbasn1.SEQUENCE)
		in.ReadASN1Element(&sigAlg, cbasn1.SEQUENCE)
		if !bytes.Equal(got, sigAlg) {
			t.Errorf("PSS AlgorithmIdentifier\n got %x\nwant %x", got, []byte(sigAlg))
		}
	})

	t.Run("errors", func(t *testing.T) {
		mismatched := cms.Signer{Certificate: rsaSigner.Certificate, Key: ecSigner.Key}
		bad := []struct {
			name    string
			signers []cms.Signer
			opts    cms.SignOptions
		}{
			{"key-mismatch", []cms.Signer{mismatched}, cms.SignOptions{}},
			{"pss-with-ecdsa", []cms.Signer{ecSigner}, cms.SignOptions{PSS: true}},
			{"ed25519-with-sha256", []cms.Signer{signSigner(t, "ed25519")}, cms.SignOptions{Hash: crypto.SHA256}},
			{"ecdsa-with-md5", []cms.Signer{ecSigner}, cms.SignOptions{Hash: crypto.MD5}},
			{"extra-content-opaque", []cms.Signer{ecSigner}, cms.SignOptions{ExtraContent: []byte("x")}},
			{"nil-key", []cms.Signer{{Certificate: ecSigner.Certificate}}, cms.SignOptions{}},
		}
		for _, c := range bad {
			if _, err := cms.Sign(signContent, c.signers, c.opts); err == nil || !strings.HasPrefix(err.Error(), "cms: ") {
				t.Errorf("%s: error %v, want one prefixed with cms:", c.name, err)
			}
		}
	})
}

func signOIDBytes(oid asn1.ObjectIdentifier) []byte {
	der, _ := asn1.Marshal(oid)
	return der
}

func slicesIsSorted(elems [][]byte) bool {
	for i := 1; i < len(elems); i++ {
		if bytes.Compare(elems[i-1], elems[i]) > 0 {
			return false
		}
	}
	return true
}

func signCheckSorted(t *testing.T, what string, elems [][]byte) {
	t.Helper()
	if !slicesIsSorted(elems) {
		t.Errorf("%s are not in DER SET OF order", what)
	}
}

// TestSignSmallstep parses and verifies with an independent Go implementation
// (RSA PKCS #1 v1.5 and ECDSA; it knows neither PSS nor Ed25519 nor SHA-1 certificates' checks).
func TestSignSmallstep(t *testing.T) {
	for _, c := range signCases {
		if c.opts.PSS || c.key == "ed25519" || c.opts.Hash == crypto.SHA1 {
			continue
		}
		for _, detached := range []bool{true, false} {
			s := signSigner(t, c.key)
			opts := c.opts
			opts.Detached = detached
			opts.SigningTime = time.Now()
			der, err := cms.Sign(signContent, []cms.Signer{s}, opts)
			require.NoError(t, err)
			p7, err := pkcs7.Parse(der)
			if err != nil {
				t.Fatalf("%s: pkcs7.Parse: %v", c.name, err)
			}
			if detached {
				p7.Content = signContent
			}
			if !bytes.Equal(p7.Content, signContent) {
				t.Errorf("%s: pkcs7 content differs", c.name)
			}
			if err := p7.Verify(); err != nil {
				t.Errorf("%s detached=%v: pkcs7 Verify: %v", c.name, detached, err)
			}
			p7.Content = append(bytes.Clone(signContent), '!')
			if err := p7.Verify(); err == nil {
				t.Errorf("%s detached=%v: pkcs7 Verify accepts altered content", c.name, detached)
			}
		}
	}
}

// TestSignOpenSSL checks every shape against `openssl cms -verify`, the reference peer.
func TestSignOpenSSL(t *testing.T) {
	openssl, err := exec.LookPath("openssl")
	if err != nil {
		t.Fatal("openssl is missing: run scripts/setup.sh test, or apt-get install openssl")
	}
	dir := t.TempDir()
	contentFile := filepath.Join(dir, "content")
	tamperedFile := filepath.Join(dir, "tampered")
	os.WriteFile(contentFile, signContent, 0o600)
	tampered := bytes.Clone(signContent)
	tampered[len(tampered)-5] ^= 0x20
	os.WriteFile(tamperedFile, tampered, 0o600)

	verify := func(der []byte, content string) ([]byte, error) {
		sig := filepath.Join(dir, "sig.der")
		out := filepath.Join(dir, "out")
		os.Remove(out)
		require.NoError(t, os.WriteFile(sig, der, 0o600))
		args := []string{"cms", "-verify", "-binary", "-noverify", "-inform", "DER", "-in", sig, "-out", out}
		if content != "" {
			args = append(args, "-content", content)
		}
		msg, err := exec.Command(openssl, args...).CombinedOutput()
		if err != nil {
			return msg, err
		}
		return os.ReadFile(out)
	}

	ed25519OK := signOpenSSLSignsEd25519(t, openssl, dir)
	for _, c := range signCases {
		for _, variant := range []string{"detached", "opaque", "ski", "no-attrs", "unsorted"} {
			t.Run(c.name+"/"+variant, func(t *testing.T) {
				if c.key == "ed25519" && !ed25519OK {
					t.Skip("this OpenSSL has no Ed25519 in CMS (3.0 lacks it)")
				}
				s := signSigner(t, c.key)
				opts := c.opts
				opts.SigningTime, opts.Capabilities = time.Now(), true
				switch variant {
				case "detached":
					opts.Detached = true
				case "ski":
					opts.SubjectKeyID = true
				case "no-attrs":
					opts.NoSignedAttributes = true
				case "unsorted":
					opts.UnsortedAttributes = true
				}
				der, err := cms.Sign(signContent, []cms.Signer{s}, opts)
				require.NoError(t, err)
				if opts.Detached {
					if msg, err := verify(der, contentFile); err != nil {
						t.Fatalf("openssl rejects the signature: %v\n%s", err, msg)
					}
					if _, err := verify(der, tamperedFile); err == nil {
						t.Fatal("openssl accepts the signature over altered content")
					}
					return
				}
				out, err := verify(der, "")
				if err != nil {
					t.Fatalf("openssl rejects the signature: %v\n%s", err, out)
				}
				if !bytes.Equal(out, signContent) {
					t.Errorf("openssl extracted %q", out)
				}
				i := bytes.Index(der, signContent)
				if i < 0 {
					t.Fatal("content not found in DER")
				}
				mutated := bytes.Clone(der)
				mutated[i+len(signContent)-5] ^= 0x20
				if _, err := verify(mutated, ""); err == nil {
					t.Fatal("openssl accepts the signature with a flipped byte of eContent")
				}
			})
		}
	}
}

// signOpenSSLSignsEd25519 asks OpenSSL to make an Ed25519 CMS signature itself:
// only a version that can also verifies one.
func signOpenSSLSignsEd25519(t *testing.T, openssl, dir string) bool {
	s := signSigner(t, "ed25519")
	pkcs8, err := x509.MarshalPKCS8PrivateKey(s.Key)
	require.NoError(t, err)
	key, cert := filepath.Join(dir, "ed.key"), filepath.Join(dir, "ed.crt")
	os.WriteFile(key, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pkcs8}), 0o600)
	os.WriteFile(cert, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: s.Certificate.Raw}), 0o600)
	cmd := exec.Command(openssl, "cms", "-sign", "-binary", "-md", "sha512", "-signer", cert, "-inkey", key,
		"-in", filepath.Join(dir, "content"), "-outform", "DER", "-out", filepath.Join(dir, "ed.der"))
	return cmd.Run() == nil
}
