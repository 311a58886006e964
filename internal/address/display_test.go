package address

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestDisplay(t *testing.T) {
	for in, want := range map[string]string{
		"alice@example.com":          "alice@example.com",
		"billing@p\u0430ypal.com":    "billing@p\u0430ypal.com (billing@xn--pypal-4ve.com)",
		"user@xn--bcher-kva.example": "user@bücher.example (user@xn--bcher-kva.example)",
		"山田花子@例え.jp":                 "山田花子@例え.jp (山田花子@xn--r8jz45g.jp)",
		"not an address":             "not an address",
	} {
		if got := Display(in); got != want {
			t.Errorf("Display(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMixedScripts(t *testing.T) {
	for in, want := range map[string]string{
		"billing@p\u0430ypal.com":  `the domain label "pаypal" mixes Cyrillic and Latin letters`,
		"p\u0430ul@example.com":    `the local part "pаul" mixes Cyrillic and Latin letters`,
		"user@xn--pypal-4ve.com":   `the domain label "pаypal" mixes Cyrillic and Latin letters`,
		"alice@example.com":        "",
		"山田花子@例え.jp":               "", // Han and Hiragana: one Japanese identifier
		"jos\u00e9@bücher.example": "",
		"ivan@пример.рф":           "",
	} {
		got := strings.Join(MixedScripts(in), "; ")
		assert.Equal(t, want, got, "MixedScripts(%q)", in)
	}
}
