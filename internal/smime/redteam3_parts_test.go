package smime_test

import (
	"strings"
	"testing"

	"github.com/mailseal/mailseal/internal/smime"
)

// Red team: an attachment's name in a decrypted message is the sender's to choose, and the
// decrypt window shows it as the link to save the part. A right-to-left override makes
// "invoice<RLO>fdp.exe" read "invoiceexe.pdf" (the <bdi> the window puts it in isolates its
// direction from the text around it, not the override inside it); a name with a path, or
// control characters, is no name to save a file under. Parts gives names safe to show: no
// control or format characters, no directories, bounded.
func TestPartsNamesAreSafeToShow(t *testing.T) {
	content := strings.Join([]string{
		"Content-Type: multipart/mixed; boundary=b",
		"",
		"--b",
		"Content-Type: text/plain",
		"",
		"See the attachments.",
		"--b",
		"Content-Type: application/pdf",
		"Content-Disposition: attachment; filename*=UTF-8''invoice%E2%80%AEfdp.exe",
		"",
		"MZ",
		"--b",
		"Content-Type: application/octet-stream",
		"Content-Disposition: attachment; filename=\"../../.config/autostart/x.desktop\"",
		"",
		"x",
		"--b",
		"Content-Type: application/octet-stream",
		"Content-Disposition: attachment; filename*=UTF-8''C%3A%5CUsers%5CPublic%5Crun%07.bat",
		"",
		"x",
		"--b",
		"Content-Type: application/octet-stream; name=\"" + strings.Repeat("a", 5000) + ".txt\"",
		"",
		"x",
		"--b--",
		"",
	}, "\r\n")
	parts, err := smime.Parts([]byte(content))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"", "invoicefdp.exe", "x.desktop", "run.bat"}
	for i, p := range parts {
		if i < len(want) && p.Name != want[i] {
			t.Errorf("part %d: name %q, want %q", i, p.Name, want[i])
		}
	}
	if n := len([]rune(parts[4].Name)); n > 255 {
		t.Errorf("a name of %d characters", n)
	}
}
