package classify

import (
	"math/rand"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestCleanText(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		max      int
		want     string
	}{
		{"plain", "Acme Industries, Ltd.", 0, "Acme Industries, Ltd."},
		{"NFC", "Cafe\u0301", 0, "Café"},
		{"NFC across a removed format character", "e\u200b\u0301", 0, "é"},
		{"C0 controls", "a\x00b\x07c\x1bd\x7f", 0, "abcd"},
		{"C1 controls", "a\u0080b\u009bc", 0, "abc"},
		{"line breaks and tabs are spaces", "a\r\nb\tc\vd\fe\u0085f", 0, "a b c d e f"},
		{"Unicode spaces collapse", "a\u00a0\u2003\u3000b\u2028\u2029c", 0, "a b c"},
		{"zero-width", "P\u200ba\u200cy\u200dP\u2060a\ufeffl", 0, "PayPal"},
		{"bidi embeddings and overrides", "\u202aa\u202bb\u202cc\u202dd\u202ee", 0, "abcde"},
		{"bidi isolates and marks", "\u2066a\u2067b\u2068c\u2069d\u200ee\u200ff\u061cg", 0, "abcdefg"},
		{"soft hyphen and tag characters", "a\u00adb\U000E0041c", 0, "abc"},
		{"invisible letters are blank", "a\u3164b\u2800c\u115fd", 0, "a b c d"},
		{"trim", "  \t a b \n ", 0, "a b"},
		{"empty", "", 0, ""},
		{"only format characters", "\u200b\u202e\ufeff", 0, ""},
		{"invalid UTF-8", "a\xffb", 0, "a\ufffdb"},
		{"HTML is text", "<b>x</b>&amp;", 0, "<b>x</b>&amp;"},
		{"CJK", "山田　花子", 0, "山田 花子"},
		{"ZWNJ goes even in Persian: the letters stay", "می‌خواهم", 0, "میخواهم"},
		{"cap", "abcdefgh", 5, "abcd…"},
		{"cap exact", "abcde", 5, "abcde"},
		{"cap does not end in a space", "abc defgh", 5, "abc…"},
		{"cap of one", "abc", 1, "…"},
		{"cap counts runes", "山田花子さん", 4, "山田花…"},
		{"combining marks capped", "a" + strings.Repeat("\u0336", 40) + "b", 0, "a" + strings.Repeat("\u0336", maxMarks) + "b"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := CleanText(tc.in, tc.max); got != tc.want {
				t.Errorf("CleanText(%q, %d) = %q, want %q", tc.in, tc.max, got, tc.want)
			}
		})
	}
}

func TestCleanTextDefaultCap(t *testing.T) {
	got := CleanText(strings.Repeat("x", 1000), 0)
	if utf8.RuneCountInString(got) != DefaultMax || !strings.HasSuffix(got, "…") {
		t.Errorf("got %d runes", utf8.RuneCountInString(got))
	}
}

func FuzzCleanText(f *testing.F) {
	for _, s := range []string{"", "a\u202eb", "e\u0301", " a  b ", strings.Repeat("\u0336", 20), "\xff\xfe", "山田\u3000花子"} {
		f.Add(s, 0)
		f.Add(s, 3)
	}
	f.Fuzz(func(t *testing.T, s string, max int) {
		if max > 1000 || max < -1 {
			max = 0
		}
		got := CleanText(s, max)
		checkClean(t, got, max)
		if again := CleanText(got, max); again != got {
			t.Errorf("not idempotent: %q -> %q -> %q", s, got, again)
		}
	})
}

// checkClean fails t when s is not something CleanText could have returned.
func checkClean(t *testing.T, s string, max int) {
	t.Helper()
	if max <= 0 {
		max = DefaultMax
	}
	if !utf8.ValidString(s) {
		t.Errorf("invalid UTF-8 in %q", s)
	}
	if n := utf8.RuneCountInString(s); n > max {
		t.Errorf("%d runes > %d in %q", n, max, s)
	}
	if strings.TrimSpace(s) != s || strings.Contains(s, "  ") {
		t.Errorf("untrimmed or doubled space in %q", s)
	}
	for _, r := range s {
		if unicode.In(r, unicode.Cc, unicode.Cf) || (unicode.IsSpace(r) && r != ' ') {
			t.Errorf("%U left in %q", r, s)
		}
	}
}

// TestPlainASCIIShortcutChangesNothing: wherever CleanText skips its work for plain ASCII, the
// full path would have returned the same string.
func TestPlainASCIIShortcutChangesNothing(t *testing.T) {
	r := rand.New(rand.NewSource(7))
	alphabet := []byte(" \t\x00\x7f~!aZ09.,-  ")
	shortcuts := 0
	for range 200000 {
		b := make([]byte, r.Intn(12))
		for i := range b {
			b[i] = alphabet[r.Intn(len(alphabet))]
		}
		s, max := string(b), 1+r.Intn(12)
		if plainASCII(s, max) {
			shortcuts++
			if got := cleanRunes(s, max); got != s {
				t.Fatalf("CleanText(%q, %d): shortcut gives it unchanged, the full path %q", s, max, got)
			}
		}
	}
	if shortcuts == 0 {
		t.Fatal("the shortcut was never taken")
	}
}
