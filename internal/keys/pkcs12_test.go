package keys_test

import (
	"crypto"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/mailseal/mailseal/internal/keys"
	"github.com/mailseal/mailseal/internal/keys/keystest"
	"github.com/mailseal/mailseal/internal/testpki"
	"github.com/stretchr/testify/require"
	"software.sslmate.com/src/go-pkcs12"
)

var at = testpki.Epoch.Add(24 * time.Hour)

func issue(t *testing.T, prof testpki.Profile) *testpki.Identity {
	t.Helper()
	return testpki.MustNew(t).MustIssue(t, prof)
}

// p256 issues a P-256 certificate for email, and returns it with the identity made of it.
func p256(t *testing.T, email string) (*testpki.Identity, *keys.Identity) {
	t.Helper()
	fixture := issue(t, testpki.Profile{Email: email, Key: testpki.P256})
	return fixture, keystest.Identity(t, fixture)
}

// checkIdentity asserts that got is want's certificate, a key that signs for it, and want's chain.
func checkIdentity(t *testing.T, got *keys.Identity, want *testpki.Identity) {
	t.Helper()
	if !got.Certificate.Equal(want.Certificate) {
		t.Fatalf("certificate: got %s, want %s", got.Certificate.Subject, want.Certificate.Subject)
	}
	if !keystest.BareKey(want.Key).Public().(interface{ Equal(crypto.PublicKey) bool }).Equal(got.Key.Public()) {
		t.Fatal("imported key is not the identity's key")
	}
	if len(got.Chain) != len(want.Chain) {
		t.Fatalf("chain: got %d certificates, want %d", len(got.Chain), len(want.Chain))
	}
	for i := range want.Chain {
		if !got.Chain[i].Equal(want.Chain[i]) {
			t.Fatalf("chain[%d]: got %s, want %s", i, got.Chain[i].Subject, want.Chain[i].Subject)
		}
	}
}

func TestImportGoEncoders(t *testing.T) {
	for _, kt := range []testpki.KeyType{testpki.RSA2048, testpki.P256, testpki.P384} {
		want := issue(t, testpki.Profile{Email: "alice@example.com", Key: kt})
		for name, enc := range map[string]*pkcs12.Encoder{
			"modern2023": pkcs12.Modern2023, "modern2026": pkcs12.Modern2026,
			"legacy-des": pkcs12.LegacyDES, "legacy-rc2": pkcs12.LegacyRC2,
		} {
			t.Run(string(kt)+"/"+name, func(t *testing.T) {
				p12 := keystest.PKCS12(t, want, "pässword", enc)
				got, err := keys.ImportAt(p12, "pässword", at)
				require.NoError(t, err)
				checkIdentity(t, got, want)
				if _, err := keys.ImportAt(p12, "password", at); !errors.Is(err, keys.ErrBadPassword) {
					t.Fatalf("wrong password: got %v", err)
				}
			})
		}
	}
}

// OpenSSL 3 writes AES-256 PBES2 files by default and 3DES/RC2-40 ones with -legacy.
func TestImportOpenSSL(t *testing.T) {
	openssl, err := exec.LookPath("openssl")
	if err != nil {
		t.Fatal("openssl is missing: run scripts/setup.sh test, or apt-get install openssl")
	}
	pki := testpki.MustNew(t)
	for _, kt := range []testpki.KeyType{testpki.RSA2048, testpki.P256} {
		want := issue(t, testpki.Profile{Email: "bob@example.com", Key: kt})
		dir := t.TempDir()
		key, err := x509.MarshalPKCS8PrivateKey(keystest.BareKey(want.Key))
		require.NoError(t, err)
		writePEM(t, filepath.Join(dir, "key.pem"), "PRIVATE KEY", key)
		writePEM(t, filepath.Join(dir, "cert.pem"), "CERTIFICATE", want.Certificate.Raw)
		// The root and an unrelated root in the file too: the chain keeps only the path.
		writePEM(t, filepath.Join(dir, "chain.pem"), "CERTIFICATE", pki.OtherRoot.Raw, pki.Root.Raw, pki.Intermediate.Raw)
		for _, flavour := range [][]string{nil, {"-legacy"}} {
			out := filepath.Join(dir, "id.p12")
			args := append([]string{"pkcs12", "-export", "-inkey", "key.pem", "-in", "cert.pem",
				"-certfile", "chain.pem", "-passout", "pass:s3cret"}, flavour...)
			cmd := exec.Command(openssl, append(args, "-out", out)...)
			cmd.Dir = dir
			if msg, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("openssl %v: %v\n%s", flavour, err, msg)
			}
			p12, _ := os.ReadFile(out)
			got, err := keys.ImportAt(p12, "s3cret", at)
			if err != nil {
				t.Fatalf("%s %v: %v", kt, flavour, err)
			}
			want := &testpki.Identity{Certificate: want.Certificate, Key: want.Key,
				Chain: []*x509.Certificate{pki.Intermediate, pki.Root}}
			checkIdentity(t, got, want)
			if s := got.Signer(); len(s.Chain) != 1 || !s.Chain[0].Equal(pki.Intermediate) {
				t.Fatalf("signer chain should hold the intermediate alone, has %d certificates", len(s.Chain))
			}
			if _, err := keys.ImportAt(p12, "s3cre", at); !errors.Is(err, keys.ErrBadPassword) {
				t.Fatalf("%v wrong password: %v", flavour, err)
			}
		}
	}
}

func writePEM(t *testing.T, name, typ string, ders ...[]byte) {
	t.Helper()
	var out []byte
	for _, d := range ders {
		out = append(out, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: d})...)
	}
	require.NoError(t, os.WriteFile(name, out, 0o600))
}

// A file that lists the CA certificate first still yields the certificate of the key.
func TestImportFindsLeafByKey(t *testing.T) {
	pki := testpki.MustNew(t)
	want := issue(t, testpki.Profile{Email: "carol@example.com", Key: testpki.P256})
	p12, err := pkcs12.Modern.Encode(keystest.BareKey(want.Key), pki.Intermediate, []*x509.Certificate{want.Certificate}, "pw")
	require.NoError(t, err)
	got, err := keys.ImportAt(p12, "pw", at)
	require.NoError(t, err)
	checkIdentity(t, got, want)
}

func TestImportBadFiles(t *testing.T) {
	pki := testpki.MustNew(t)
	want := issue(t, testpki.Profile{Email: "dave@example.com"})
	p12 := keystest.PKCS12(t, want, "pw", pkcs12.Modern)
	certsOnly, err := pkcs12.Modern.EncodeTrustStore([]*x509.Certificate{pki.Root}, "pw")
	require.NoError(t, err)
	for _, c := range []struct {
		name string
		data []byte
		want error
	}{
		{"empty", nil, keys.ErrNotPKCS12},
		{"text", []byte("-----BEGIN CERTIFICATE-----\n"), keys.ErrNotPKCS12},
		{"truncated", p12[:len(p12)/2], keys.ErrNotPKCS12},
		{"certificates only", certsOnly, keys.ErrNoKey},
		{"huge", make([]byte, 2<<20), keys.ErrNotPKCS12},
	} {
		_, err := keys.ImportAt(c.data, "pw", at)
		if !errors.Is(err, c.want) {
			t.Errorf("%s: got %v, want %v", c.name, err, c.want)
		}
	}
	// Any single flipped byte is refused with an error, never a panic or a different identity.
	for i := 0; i < len(p12); i += 7 {
		bad := append([]byte(nil), p12...)
		bad[i] ^= 0x41
		if id, err := keys.ImportAt(bad, "pw", at); err == nil && !id.Certificate.Equal(want.Certificate) {
			t.Fatalf("flipping byte %d gave another identity", i)
		}
	}
}

func TestExportRoundTrip(t *testing.T) {
	want := issue(t, testpki.Profile{Email: "erin@example.com", Key: testpki.P384})
	id := keystest.Identity(t, want)
	p12, err := keys.Export(id, "export-pw")
	require.NoError(t, err)
	got, err := keys.ImportAt(p12, "export-pw", at)
	require.NoError(t, err)
	checkIdentity(t, got, want)
	if _, err := keys.Export(&keys.Identity{Certificate: want.Certificate, Key: want.Key}, "pw"); !errors.Is(err, keys.ErrNotExportable) {
		t.Fatalf("a wrapped key: got %v, want ErrNotExportable", err)
	}
	if openssl, err := exec.LookPath("openssl"); err == nil {
		f := filepath.Join(t.TempDir(), "out.p12")
		os.WriteFile(f, p12, 0o600)
		out, err := exec.Command(openssl, "pkcs12", "-in", f, "-passin", "pass:export-pw", "-nokeys", "-clcerts").CombinedOutput()
		if err != nil {
			t.Fatalf("openssl cannot read the export: %v\n%s", err, out)
		}
	}
}
