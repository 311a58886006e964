package compose_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/mailseal/mailseal/internal/compose"
	"github.com/mailseal/mailseal/internal/testpki"
	"github.com/stretchr/testify/require"
)

// BenchmarkSign measures SignDetached (digest, signature, base64) and Build plus
// SignDetached for a 1 KB text message and a 5 MB one (text and a binary attachment).
func BenchmarkSign(b *testing.B) {
	sizes := []struct {
		name string
		size int
	}{{"1KB", 1 << 10}, {"5MB", 5 << 20}}
	for _, kt := range []testpki.KeyType{testpki.RSA2048, testpki.P256} {
		for _, sz := range sizes {
			d := draft()
			d.Text = strings.Repeat("Grüße, a line of text for the benchmark.\n", sz.size/43+1)[:sz.size/2]
			d.HTML = ""
			d.Attachments = []compose.Attachment{{Filename: "data.bin", Data: bytes.Repeat([]byte{0, 1, 2, 0xff}, sz.size/8)}}
			id, _ := identity(b, kt, "zoe@example.com")
			m, err := compose.Build(d)
			require.NoError(b, err)
			b.Run(string(kt)+"/"+sz.name+"/sign", func(b *testing.B) {
				b.SetBytes(int64(len(m.Entity)))
				for b.Loop() {
					if _, err := compose.SignDetached(m, id, at); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run(string(kt)+"/"+sz.name+"/build+sign", func(b *testing.B) {
				for b.Loop() {
					m, err := compose.Build(d)
					require.NoError(b, err)
					if _, err := compose.SignDetached(m, id, at); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
