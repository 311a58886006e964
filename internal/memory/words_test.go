package memory

import (
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestEveryCodeHasWords: every warning has a sentence in every locale of the extension, quoting
// as many arguments as the warning carries.
func TestEveryCodeHasWords(t *testing.T) {
	placeholder := regexp.MustCompile(`\$([1-9])`)
	for _, locale := range []string{"en", "zh_CN"} {
		data, err := os.ReadFile("../../extension/_locales/" + locale + "/messages.json")
		if err != nil {
			t.Fatal(err)
		}
		var messages map[string]struct{ Message string }
		if err := json.Unmarshal(data, &messages); err != nil {
			t.Fatal(err)
		}
		for code := range words {
			key := strings.ReplaceAll(string(code), "-", "_")
			msg, ok := messages[key]
			if !ok {
				t.Errorf("%s: no message %s", locale, key)
				continue
			}
			n := 0
			for _, m := range placeholder.FindAllStringSubmatch(msg.Message, -1) {
				n = max(n, int(m[1][0]-'0'))
			}
			if en := regexp.MustCompile(`%\[([1-9])\]s`).ReplaceAllString(words[code].en, "$$$1"); locale == "en" && msg.Message != en {
				t.Errorf("en: %s is %q in the locale, %q in words.go", key, msg.Message, en)
			}
			if n != code.Args() {
				t.Errorf("%s: %s quotes $1..$%d, the warning has %d arguments", locale, key, n, code.Args())
			}
		}
	}
}
