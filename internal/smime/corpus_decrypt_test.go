package smime

import (
	"crypto/x509"
	"encoding/pem"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mailseal/mailseal/internal/cms"
)

// corpusKeys reads every identity of the Thunderbird corpus (PKCS #12, password "nss" as
// test_smime_decrypt.js loads them): the reader holds several, as after a renewal. NSS
// writes the files in BER, which go-pkcs12 refuses, so openssl converts them.
func corpusKeys(t *testing.T, dir string) []cms.Key {
	openssl, err := exec.LookPath("openssl")
	if err != nil {
		t.Fatal("openssl is missing: run scripts/setup.sh test, or apt-get install openssl")
	}
	var keys []cms.Key
	for _, name := range []string{"smime/Alice.p12", "smime/Bob.p12", "smime/Dave.p12", "smime/Eve.p12",
		"smime/Alice-ec.p12", "smime-interop/Fran.p12", "smime-interop/Fran-ec.p12"} {
		out, err := exec.Command(openssl, "pkcs12", "-in", filepath.Join(dir, name), "-passin", "pass:nss", "-nodes", "-clcerts").Output()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var k cms.Key
		for block, rest := pem.Decode(out); block != nil; block, rest = pem.Decode(rest) {
			switch block.Type {
			case "PRIVATE KEY":
				k.Private, err = x509.ParsePKCS8PrivateKey(block.Bytes)
			case "CERTIFICATE":
				k.Certificate, err = x509.ParseCertificate(block.Bytes)
			}
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
		}
		keys = append(keys, k)
	}
	return keys
}

func TestThunderbirdCorpusDecrypt(t *testing.T) {
	dir := filepath.Join(corpusDir(t), "thunderbird")
	opts := thunderbirdOptions(t, dir)
	keys := corpusKeys(t, dir)
	for file, want := range thunderbirdEncrypted() {
		raw, err := os.ReadFile(filepath.Join(dir, file))
		if err != nil {
			t.Errorf("%s: %v", file, err)
			continue
		}
		o, err := Open(raw, keys, opts)
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		r, e := o.Report, o.Report.Encryption
		requireCoded(t, r)
		if e == nil {
			t.Errorf("%s: no encryption found; %s %v", file, r.Status, r.Reasons)
			continue
		}
		got := encrypted{r.Status, e.Decrypted, e.Signature, e.Problem}
		if got != want {
			t.Errorf("%s: got %+v, want %+v (%v)", file, got, want, r.Reasons)
		}
		if e.Decrypted != (o.Content != nil) {
			t.Errorf("%s: decrypted %v but content of %d bytes", file, e.Decrypted, len(o.Content))
		}
		if strings.HasPrefix(file, "smime-interop/") && e.Decrypted && !strings.Contains(string(o.Content), "This is a test message to Fran.") {
			t.Errorf("%s: decrypted to %q", file, o.Content)
		}
	}
}

type encrypted struct {
	status    Status
	decrypted bool
	signature string // Encryption.Signature
	problem   string
}

// thunderbirdEncrypted is what mailseal says of each encrypted sample of the corpus, holding
// every key of the corpus. Thunderbird's test_smime_decrypt.js expects enc=true for all
// those it lists; where mailseal differs, the comment says why.
func thunderbirdEncrypted() map[string]encrypted {
	inside := func(s Status) encrypted { return encrypted{s, true, "inside", ""} }
	outside := func(s Status) encrypted { return encrypted{s, true, "outside", ""} }
	plain := encrypted{StatusUnsigned, true, "", ""}
	// An encrypted part inside content that is not itself the encryption: refused (EFAIL).
	part := func(s Status) encrypted { return encrypted{s, false, "", "part-only"} }
	m := map[string]encrypted{
		"smime/alice.env.eml":         plain,
		"browser-smime/alice.env.eml": plain,
		// Encrypted, then signed (opaque, valid): Thunderbird ignores a signature over an
		// encryption (bug 1806161) and says unsigned; mailseal reports it and says what it covers.
		// Encrypted, then signed (detached): the outer signature fails, as OpenSSL finds too.
		"smime-manual/outer-smime-bad-sig-inner-smime-enc.eml": outside(StatusInvalid),
		// The outer signature is deliberately wrong; the signature inside the encryption is
		// Alice's and good, which is the verdict (as Thunderbird's), with a note on the outer one.
		"smime-manual/alice.dsig.SHA256.multipart.env.dsig.eml":    inside(StatusValid),
		"smime-manual/outer-smime-bad-sig-inner-smime-enc-sig.eml": inside(StatusValid),
		// Thunderbird: enc=false, "the signature must not be ignored".
		"smime-manual/alice.env.mixed.dsig.SHA256.multipart.eml": part(StatusInvalid),
		// OpenPGP-signed around S/MIME encryption: not an S/MIME whole.
		"smime-manual/outer-pgp-sig-inner-smime-enc-sig.eml": part(StatusPartial),
		"smime-manual/outer-pgp-sig-inner-smime-enc.eml":     part(StatusPartial),
		// browser_displayVarious.js's attack sample: two encrypted parts in multipart/alternative.
		"browser-smime/multipart-alternative.eml": part(StatusPartial),
		// OpenSSL-made, bare text inside (no MIME header): RSA-OAEP with labels and hashes, ECDH.
		"smime-interop/fran-ec_ossl-aes128-sha256.env":          plain,
		"smime-interop/fran-ec_ossl-aes256-sha512.env":          plain,
		"smime-interop/fran-oaep-label_ossl.env":                plain,
		"smime-interop/fran-oaep-sha256hash-sha256mgf_ossl.env": plain,
		"smime-interop/fran-oaep-sha256hash_ossl.env":           plain,
		// Triple DES content encryption: refused as weak (Thunderbird decrypts it).
		"smime-interop/fran-oaep_ossl.env":                   {StatusEncrypted, false, "", "weak-cipher"},
		"browser-smime/alice.dsig.SHA256.multipart.env.eml":  inside(StatusValid),
		"browser-smime/alice.sig.SHA256.opaque.env.eml":      inside(StatusValid),
		"browser-smime/alice.html.sig.SHA256.opaque.env.eml": inside(StatusValid),
	}
	for _, h := range []string{"SHA1", "SHA256", "SHA384", "SHA512"} {
		// Signed with SHA-1: weak, never valid (Thunderbird: sig_good=false by default).
		signed := StatusValid
		if h == "SHA1" {
			signed = StatusWeak
		}
		m["smime/alice.dsig."+h+".multipart.env.eml"] = inside(signed)
		m["smime/alice.sig."+h+".opaque.env.eml"] = inside(signed)
		m["smime/alice.html.sig."+h+".opaque.env.eml"] = inside(signed)
		m["smime/alice.env.sig."+h+".opaque.eml"] = outside(signed)
		// The outer detached signature does not match (OpenSSL: digest failure).
		m["smime/alice.env.dsig."+h+".multipart.eml"] = outside(StatusInvalid)
		// Dave's signature around Alice's signature around the encryption: the encryption is
		// the content of a signature that is not the root, so mailseal does not open it
		// (Thunderbird does). Dave's signature keeps its verdict.
		m["smime/alice.env.dsig."+h+".multipart.dave.sig."+h+".opaque.eml"] = part(signed)
	}
	return m
}
