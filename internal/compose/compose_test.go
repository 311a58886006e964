package compose_test

import (
	"bytes"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mailseal/mailseal/internal/compose"
	"github.com/mailseal/mailseal/internal/keys"
	"github.com/mailseal/mailseal/internal/keys/keystest"
	"github.com/mailseal/mailseal/internal/mime"
	"github.com/mailseal/mailseal/internal/smime"
	"github.com/mailseal/mailseal/internal/testpki"
	"github.com/stretchr/testify/require"
)

var at = testpki.Epoch.Add(36 * time.Hour)

const text = "Grüße aus Köln,\n\nFrom now on the café is open. \n.\nA long line: " +
	"Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore.\n"

func draft() compose.Draft {
	return compose.Draft{
		From: "Zoë Ågren <zoe@example.com>", To: "Bob <bob@example.org>, carol@example.net",
		Cc: "dan@example.org", Bcc: "eve@example.net",
		Subject: "Grüße — Bericht", Date: at, InReplyTo: "<parent@example.org>",
		References: []string{"root@example.org", "<parent@example.org>"},
		Text:       text, HTML: "<p>Grüße aus <b>Köln</b></p>\n",
		Attachments: []compose.Attachment{
			{Filename: "Bericht ü.pdf", Data: []byte("%PDF-1.4\x00\x01\x02\xff")},
			{Filename: `C:\Users\zoe\notes.txt`, Data: []byte("plain notes\n")},
		},
	}
}

func identity(t testing.TB, kt testpki.KeyType, email string) (*keys.Identity, *testpki.PKI) {
	t.Helper()
	pki := testpki.MustNew(t)
	return keystest.Identity(t, pki.MustIssue(t, testpki.Profile{Email: email, Key: kt})), pki
}

func verify(t *testing.T, msg []byte, pki *testpki.PKI) *smime.Report {
	t.Helper()
	r, err := smime.Verify(msg, smime.Options{Roots: []*x509.Certificate{pki.Root}, NoBundledRoots: true, Now: at.Add(time.Hour)})
	require.NoError(t, err)
	return r
}

func TestBuild(t *testing.T) {
	m, err := compose.Build(draft())
	require.NoError(t, err)
	raw, err := m.Bytes()
	require.NoError(t, err)
	root, err := mime.Parse(raw, mime.DefaultLimits)
	require.NoError(t, err)
	for name, want := range map[string]string{
		"From": "=?utf-8?q?Zo=C3=AB_=C3=85gren?= <zoe@example.com>", "Cc": "<dan@example.org>", "Bcc": "<eve@example.net>",
		"In-Reply-To": "<parent@example.org>", "References": "<root@example.org> <parent@example.org>",
		"Date": "Tue, 02 Jun 2026 12:00:00 +0000", "MIME-Version": "1.0",
	} {
		if got := root.Header.Get(name); got != want {
			t.Errorf("%s: got %q, want %q", name, got, want)
		}
	}
	if s := root.Header.Get("Subject"); !strings.HasPrefix(s, "=?utf-8?") {
		t.Errorf("Subject not RFC 2047-encoded: %q", s)
	}
	if id := root.Header.Get("Message-Id"); !strings.HasSuffix(id, "@example.com>") {
		t.Errorf("Message-ID %q is not at the From domain", id)
	}
	if root.MediaType != "multipart/mixed" || len(root.Children) != 3 {
		t.Fatalf("top: %s with %d parts", root.MediaType, len(root.Children))
	}
	alt := root.Children[0]
	if alt.MediaType != "multipart/alternative" || len(alt.Children) != 2 ||
		alt.Children[0].MediaType != "text/plain" || alt.Children[1].MediaType != "text/html" {
		t.Fatalf("body structure: %s", alt.MediaType)
	}
	plain, _ := alt.Children[0].Decoded()
	if want := strings.ReplaceAll(text, "\n", "\r\n"); string(plain) != want {
		t.Fatalf("text:\n got %q\nwant %q", plain, want)
	}
	pdf := root.Children[1]
	if data, _ := pdf.Decoded(); pdf.MediaType != "application/pdf" || !bytes.Equal(data, draft().Attachments[0].Data) || pdf.Disposition() != "attachment" {
		t.Fatalf("attachment: %s %q", pdf.MediaType, data)
	}
	if name := root.Children[2].Filename(); name != "notes.txt" {
		t.Fatalf("a path must become a name, got %q", name)
	}
	checkEntity(t, m.Entity)
}

// checkEntity: every line of the signed entity survives transport (headers up to 998 octets).
func checkEntity(t *testing.T, entity []byte) {
	t.Helper()
	header, body, _ := bytes.Cut(entity, []byte("\r\n\r\n"))
	for _, line := range bytes.Split(entity, []byte("\r\n")) {
		if max := 998; len(line) > max || bytes.ContainsAny(line, "\r\n") {
			t.Fatalf("line %q", line)
		}
		if n := len(line); n > 0 && (line[n-1] == ' ' || line[n-1] == '\t') || bytes.HasPrefix(line, []byte("From ")) {
			t.Fatalf("unsafe line %q", line)
		}
		for _, c := range line {
			if c > 126 {
				t.Fatalf("8-bit line %q", line)
			}
		}
	}
	_ = header
	for _, line := range bytes.Split(body, []byte("\r\n")) {
		if len(line) > 76 && !bytes.Contains(line, []byte(":")) {
			t.Fatalf("body line of %d octets: %q", len(line), line)
		}
	}
}

func TestBuildRefuses(t *testing.T) {
	for name, edit := range map[string]func(*compose.Draft){
		"no date":      func(d *compose.Draft) { d.Date = time.Time{} },
		"no recipient": func(d *compose.Draft) { d.To, d.Cc, d.Bcc = "", "", "" },
		"bad From":     func(d *compose.Draft) { d.From = "not an address" },
		"bad To":       func(d *compose.Draft) { d.To = "bob@" },
	} {
		d := draft()
		edit(&d)
		if _, err := compose.Build(d); err == nil {
			t.Errorf("%s: built", name)
		}
	}
}

func TestSignDetached(t *testing.T) {
	for _, c := range []struct {
		key    testpki.KeyType
		micalg string
	}{{testpki.RSA2048, "sha-256"}, {testpki.P256, "sha-256"}, {testpki.P384, "sha-384"}, {testpki.P521, "sha-512"}} {
		t.Run(string(c.key), func(t *testing.T) {
			id, pki := identity(t, c.key, "zoe@example.com")
			m, err := compose.Build(draft())
			require.NoError(t, err)
			signed, err := compose.SignDetached(m, id, at)
			require.NoError(t, err)
			root, err := mime.Parse(signed, mime.DefaultLimits)
			require.NoError(t, err)
			if root.MediaType != "multipart/signed" || root.Params["protocol"] != "application/pkcs7-signature" || root.Params["micalg"] != c.micalg {
				t.Fatalf("outer: %s %v", root.MediaType, root.Params)
			}
			if !bytes.Equal(root.Children[0].Raw, m.Entity) {
				t.Fatal("the first part is not the entity byte for byte")
			}
			if root.Header.Get("Bcc") != "<eve@example.net>" || root.Children[0].Header.Get("From") != "" {
				t.Fatal("RFC 5322 fields must stay outside the signed entity")
			}
			r := verify(t, signed, pki)
			if r.Status != smime.StatusValid || r.Signer == nil || r.Signer.SigningTime == nil || !r.Signer.SigningTime.Equal(at) {
				t.Fatalf("verify: %s %v", r.Status, r.Reasons)
			}
			// One changed octet of the signed text breaks the signature.
			i := bytes.Index(signed, []byte("Lorem"))
			bad := bytes.Clone(signed)
			bad[i] = 'l'
			if r := verify(t, bad, pki); r.Status == smime.StatusValid {
				t.Fatal("a changed byte still verifies")
			}
		})
	}
}

func TestSignOpaque(t *testing.T) {
	id, pki := identity(t, testpki.P256, "zoe@example.com")
	m, err := compose.Build(draft())
	require.NoError(t, err)
	signed, err := compose.SignOpaque(m, id, at)
	require.NoError(t, err)
	r := verify(t, signed, pki)
	if r.Status != smime.StatusValid || !r.Opaque || !bytes.Equal(r.SignedEntity, m.Entity) {
		t.Fatalf("verify: %s opaque=%v %v", r.Status, r.Opaque, r.Reasons)
	}
}

func TestSignRefuses(t *testing.T) {
	id, _ := identity(t, testpki.P256, "someone-else@example.com")
	m, err := compose.Build(draft())
	require.NoError(t, err)
	if _, err := compose.SignDetached(m, id, at); !errors.Is(err, compose.ErrFromMismatch) {
		t.Fatalf("From mismatch: %v", err)
	}
	id, _ = identity(t, testpki.P256, "zoe@example.com")
	if _, err := compose.SignDetached(m, id, at.Add(400*24*time.Hour)); !errors.Is(err, keys.ErrRefused) {
		t.Fatalf("expired: %v", err)
	}
}

// A formatted message is multipart/alternative, plain text first: both parts are inside the
// signed entity, and the signature verifies in mailseal and in `openssl smime -verify`.
func TestSignAlternative(t *testing.T) {
	id, pki := identity(t, testpki.P256, "zoe@example.com")
	d := draft()
	d.Attachments = nil
	d.Text = "Please *confirm* the transfer:\n- Amount\n- Date\n\nthe bank (https://bank.example/)\n"
	d.HTML = "<p>Please <b>confirm</b> the transfer:</p><ul><li>Amount</li><li>Date</li></ul>" +
		"<p>the bank (<a href=\"https://bank.example/\">https://bank.example/</a>)</p>\n"
	m, err := compose.Build(d)
	if err != nil {
		t.Fatal(err)
	}
	signed, err := compose.SignDetached(m, id, at)
	if err != nil {
		t.Fatal(err)
	}
	r := verify(t, signed, pki)
	if r.Status != smime.StatusValid {
		t.Fatalf("verify: %s %v", r.Status, r.Reasons)
	}
	entity, err := mime.Parse(m.Entity, mime.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if entity.MediaType != "multipart/alternative" || len(entity.Children) != 2 ||
		entity.Children[0].MediaType != "text/plain" || entity.Children[1].MediaType != "text/html" {
		t.Fatalf("signed entity: %s with %d parts", entity.MediaType, len(entity.Children))
	}
	for i, want := range []string{d.Text, d.HTML} {
		got, _ := entity.Children[i].Decoded()
		if string(got) != strings.ReplaceAll(want, "\n", "\r\n") {
			t.Fatalf("part %d:\n got %q\nwant %q", i, got, want)
		}
	}

	openssl, err := exec.LookPath("openssl")
	if err != nil {
		t.Fatal("openssl is missing: run scripts/setup.sh test, or apt-get install openssl")
	}
	dir := t.TempDir()
	root := filepath.Join(dir, "root.pem")
	os.WriteFile(root, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: pki.Root.Raw}), 0o600)
	check := func(msg []byte) ([]byte, error) {
		in := filepath.Join(dir, "signed.eml")
		os.WriteFile(in, msg, 0o600)
		return exec.Command(openssl, "smime", "-verify", "-in", in, "-CAfile", root, "-attime",
			strconv.FormatInt(at.Add(time.Hour).Unix(), 10), "-out", filepath.Join(dir, "out")).CombinedOutput()
	}
	if out, err := check(signed); err != nil {
		t.Fatalf("openssl: %v\n%s", err, out)
	}
	// The HTML part is covered: one changed octet in it and openssl refuses.
	bad := bytes.Clone(signed)
	bad[bytes.Index(bad, []byte("<b>confirm"))+3] = 'C'
	if out, err := check(bad); err == nil {
		t.Fatalf("openssl verifies a changed HTML part:\n%s", out)
	}
}
