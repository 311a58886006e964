package classify

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// DefaultMax is the display cap CleanText applies when max is zero or negative.
const DefaultMax = 128

// maxMarks caps a run of combining marks on one base character. Real scripts
// stack a few (Vietnamese, Thai, Tibetan); "Zalgo" text stacks dozens to draw
// over the lines around it, which in a banner means over the verdict.
const maxMarks = 8

// CleanText makes a certificate string safe to show as plain text: NFC, no
// control or format characters (C0, C1, zero-width, bidi overrides and
// isolates, BOM, tag characters: everything in Unicode categories Cc and Cf),
// white space of any kind collapsed to one space and trimmed, at most maxMarks
// combining marks in a row, and at most max runes (DefaultMax when max <= 0),
// the last of them an ellipsis when the text was cut. Invalid UTF-8 becomes
// U+FFFD. CleanText(CleanText(s, n), n) == CleanText(s, n).
//
// Format characters go because a bidi override can make "moc.knab@" read as
// "@bank.com" and a zero-width space can split a name so that two different
// strings look the same; white space is collapsed so that line breaks and
// runs of spaces cannot push a forged line into view.
func CleanText(s string, max int) string {
	if max <= 0 {
		max = DefaultMax
	}
	if plainASCII(s, max) {
		return s // nothing to drop, fold, normalise or cut
	}
	return cleanRunes(s, max)
}

// cleanRunes is CleanText without the shortcut for plain ASCII.
func cleanRunes(s string, max int) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	var b strings.Builder
	b.Grow(len(s))
	space, marks := false, 0
	// Controls are dropped before NFC so that a format character placed
	// between a letter and its combining mark cannot keep them apart.
	for _, r := range s {
		switch {
		case isBlank(r):
			space, marks = true, 0
			continue
		case unicode.In(r, unicode.Cc, unicode.Cf):
			continue
		case unicode.In(r, unicode.Mn, unicode.Me):
			if marks++; marks > maxMarks {
				continue
			}
		default:
			marks = 0
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return truncate(norm.NFC.String(b.String()), max)
}

// plainASCII reports whether CleanText would return s unchanged because it is printable ASCII
// of at most max bytes, with single spaces between words and none at either end: most reports'
// sentences and most certificate names, which then skip the rune loop and NFC.
func plainASCII(s string, max int) bool {
	if len(s) > max || strings.HasPrefix(s, " ") || strings.HasSuffix(s, " ") || strings.Contains(s, "  ") {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

// isBlank reports white space and the letters that render as nothing at all
// (Hangul fillers, the braille blank), which would otherwise pass as letters.
func isBlank(r rune) bool {
	switch r {
	case '\u115F', '\u1160', '\u3164', '\uFFA0', '\u2800':
		return true
	}
	return unicode.IsSpace(r)
}

// truncate cuts s to max runes, the last an ellipsis, at a character boundary.
func truncate(s string, max int) string {
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	n := 0
	for i := range s {
		if n == max-1 {
			return strings.TrimRight(s[:i], " ") + "…"
		}
		n++
	}
	return s
}
