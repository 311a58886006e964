package interop

import (
	"bytes"
	"crypto/sha1"
	"encoding/pem"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mailseal/mailseal/internal/compose"
	"github.com/mailseal/mailseal/internal/keys/keystest"
	"github.com/mailseal/mailseal/internal/testpki"
	"github.com/stretchr/testify/require"
	"software.sslmate.com/src/go-pkcs12"
)

// signAt is when every fixture message is signed; the peers verify at (or near) it
// so that the fixture certificates never expire under them.
var signAt = testpki.Epoch.Add(50 * time.Hour)

// cli is the mailseal binary TestMain builds.
var cli string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "mailseal-interop-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	cli = filepath.Join(dir, "mailseal")
	if out, err := exec.Command("go", "build", "-o", cli, "../../cmd/mailseal").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "building the CLI: %v\n%s", err, out)
		os.Exit(2)
	}
	var missing []string
	for _, peer := range []string{"openssl", "gpgsm", "gpg-agent", "cmsutil", "certutil", "pk12util"} {
		if _, err := exec.LookPath(peer); err != nil {
			missing = append(missing, peer)
		}
	}
	if len(missing) > 0 {
		fmt.Fprintf(os.Stderr, "interop: SKIPPING peers whose binaries are missing: %s\n", strings.Join(missing, ", "))
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// signed is one message mailseal signed, and how.
type signed struct {
	name   string
	raw    []byte
	opaque bool
}

// identity is a fixture signer with its PKCS #12 file on disk.
type identity struct {
	fixture *testpki.Identity
	p12     string
	pwFile  string
}

func newIdentity(t *testing.T, dir string, prof testpki.Profile) *identity {
	t.Helper()
	id := testpki.MustNew(t).MustIssue(t, prof)
	p12 := filepath.Join(dir, string(prof.Key)+".p12")
	pw := filepath.Join(dir, string(prof.Key)+".pw")
	os.WriteFile(p12, keystest.PKCS12(t, id, "interop pw", pkcs12.Modern), 0o600)
	os.WriteFile(pw, []byte("interop pw\n"), 0o600)
	return &identity{fixture: id, p12: p12, pwFile: pw}
}

// draft has everything the peers must cope with: non-ASCII text that needs
// quoted-printable, HTML, a binary and a text attachment, a reply's headers.
func draft(from string) compose.Draft {
	return compose.Draft{
		From: "Zoë Ågren <" + from + ">", To: "Bob <bob@example.org>", Subject: "Grüße — 日本語の件名",
		Date: signAt, InReplyTo: "parent@example.org", References: []string{"parent@example.org"},
		Text: "Grüße aus Köln! Ünïcödé, 日本語, emoji 🎉.\n\nFrom now on: lines with trailing space   \n.\n" +
			strings.Repeat("A long line that will need soft line breaks. ", 5) + "\n",
		HTML: "<html><body><p>Grüße aus <b>Köln</b> — 日本語</p></body></html>\n",
		Attachments: []compose.Attachment{
			{Filename: "Bericht-ü.pdf", Data: append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte{0, 1, 2, 0xfe, 0xff}, 400)...)},
			{Filename: "notes.txt", ContentType: "text/plain; charset=utf-8", Data: []byte("naïve notes\n")},
		},
	}
}

// eightBit is a complete message as a client saves it, for `mailseal sign`.
func eightBit(from string) []byte {
	return []byte(strings.Join([]string{
		"From: Zoë <" + from + ">", "To: bob@example.org", "Subject: =?utf-8?q?CLI_Gr=C3=BC=C3=9Fe?=",
		"Date: Wed, 03 Jun 2026 02:00:00 +0000", "MIME-Version: 1.0",
		"Content-Type: multipart/mixed; boundary=b1", "",
		"--b1", "Content-Type: multipart/alternative; boundary=b2", "",
		"--b2", "Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: 8bit", "",
		"Grüße aus der Kommandozeile.  ", "From here: 日本語.",
		"--b2", "Content-Type: text/html; charset=utf-8", "Content-Transfer-Encoding: 8bit", "",
		"<p>Grüße aus der <i>Kommandozeile</i></p>",
		"--b2--",
		"--b1", "Content-Type: application/octet-stream", "Content-Transfer-Encoding: binary",
		"Content-Disposition: attachment; filename=blob.bin", "", "\x00\x01\x02\xff binary",
		"--b1--", "",
	}, "\n"))
}

func writePEM(t *testing.T, name string, ders ...[]byte) {
	t.Helper()
	var out []byte
	for _, d := range ders {
		out = append(out, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: d})...)
	}
	require.NoError(t, os.WriteFile(name, out, 0o600))
}

func sha1Colons(der []byte) string {
	sum := sha1.Sum(der)
	parts := make([]string, len(sum))
	for i, b := range sum {
		parts[i] = fmt.Sprintf("%02X", b)
	}
	return strings.Join(parts, ":")
}
