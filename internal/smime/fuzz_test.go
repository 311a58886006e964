package smime

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/mailseal/mailseal/internal/classify"
	"github.com/mailseal/mailseal/internal/fuzzlimit"
	"github.com/stretchr/testify/require"
)

// FuzzVerify feeds arbitrary bytes to Verify. Whatever comes in, a Report with a status,
// a banner and (unless valid) a reason must come out, without a panic, within fuzzlimit. The seeds are the
// sample messages in testdata, so `go test` runs them as ordinary tests.
func FuzzVerify(f *testing.F) {
	for _, pattern := range []string{"vectors/*.eml", "openssl/*.eml"} {
		files, _ := filepath.Glob(filepath.Join(testdataDir(), pattern))
		for _, file := range files {
			if data, err := os.ReadFile(file); err == nil {
				f.Add(data)
			}
		}
	}
	f.Add([]byte("From: a@example.com\r\n\r\nhello"))
	f.Add([]byte("Content-Type: application/pkcs7-mime; smime-type=signed-data\r\nContent-Transfer-Encoding: base64\r\n\r\nMIAGCSqGSIb3DQEHAqCAMIACAQEx"))
	f.Add([]byte("Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\"; boundary=b\r\n\r\n--b\r\n\r\nx\r\n--b\r\nContent-Type: application/pkcs7-signature\r\n\r\n0\x80\r\n--b--\r\n"))
	opts := Options{Now: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)}
	f.Fuzz(func(t *testing.T, raw []byte) {
		var r *Report
		var err error
		fuzzlimit.Run(t, func() { r, err = Verify(raw, opts) })
		require.NoError(t, err, "Verify returned an error for message input")
		if r.Status == "" || r.Banner == "" {
			t.Fatalf("empty status or banner: %+v", r)
		}
		if r.Status != StatusValid && len(r.Reasons) == 0 {
			t.Fatalf("status %s without a reason", r.Status)
		}
		if r.Level != classify.LevelNone && r.Status != StatusValid {
			t.Fatalf("level %s on a %s report", r.Level, r.Status)
		}
	})
}

// Truncating a real signed message anywhere must give a verdict, never a panic or a valid.
func TestTruncatedMessages(t *testing.T) {
	dir := filepath.Join(corpusDir(t), "thunderbird", "smime")
	for _, name := range []string{"alice.dsig.SHA256.multipart.eml", "alice.sig.SHA256.opaque.eml"} {
		raw, err := os.ReadFile(filepath.Join(dir, name))
		require.NoError(t, err)
		for cut := 0; cut < len(raw)-40; cut += 7 {
			r, err := Verify(raw[:cut], Options{})
			require.NoError(t, err)
			if r.Status == StatusValid {
				t.Fatalf("%s cut at %d of %d is valid", name, cut, len(raw))
			}
		}
	}
}
