package displayname

import (
	"slices"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// hiddenCharacters names the invisible tricks in s: bidi controls, which reorder what follows
// them ("moc.knab@" read as "@bank.com"), and invisible characters, which make two different
// names look the same. Zero-width joiners and non-joiners are left alone: scripts and emoji
// need them.
func hiddenCharacters(s string) []string {
	var out []string
	bidi, invisible := false, false
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Bidi_Control, r):
			bidi = true
		case r == '\u200b' || r == '\u2060' || r == '\ufeff' || r == '\u00ad' || r == '\u180e' || (r >= 0xe0000 && r <= 0xe007f):
			invisible = true
		}
	}
	if bidi {
		out = append(out, "bidi")
	}
	if invisible {
		out = append(out, "invisible")
	}
	return out
}

// lookAlikes maps Cyrillic and Greek letters that a reader takes for Latin ones (after NFKC and
// lower-casing, which already fold full-width forms such as "＠" and "ｂ").
var lookAlikes = map[rune]rune{
	'а': 'a', 'в': 'b', 'е': 'e', 'к': 'k', 'м': 'm', 'н': 'h', 'о': 'o', 'р': 'p', 'с': 'c',
	'т': 't', 'у': 'y', 'х': 'x', 'і': 'i', 'ј': 'j', 'ѕ': 's', 'һ': 'h', 'ԁ': 'd', 'ԛ': 'q',
	'ԝ': 'w', 'ɡ': 'g', 'ı': 'i', 'ο': 'o', 'α': 'a', 'ν': 'v', 'ι': 'i', 'κ': 'k', 'ρ': 'p',
	'τ': 't', 'υ': 'u', 'χ': 'x', 'ε': 'e', 'β': 'b', 'η': 'n', 'μ': 'u', 'ω': 'w',
	'։': ':', '٫': ',', '۔': '.', '｡': '.', '。': '.',
}

// skeleton folds look-alike letters to the Latin ones they imitate and drops accents, so that
// "bаnk.com" with a Cyrillic а, and "Häberling" against "Haberling", compare equal.
func skeleton(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		if l, ok := lookAlikes[r]; ok {
			r = l
		}
		b.WriteRune(r)
	}
	return norm.NFC.String(b.String())
}

// tokens splits a name at white space and at the punctuation that surrounds an address in a
// display name: quotes, brackets, commas.
func tokens(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune(`"'<>()[]{},;|`, r)
	})
}

// isAddress reports whether tok looks like an address: something, "@", a dotted domain.
func isAddress(tok string) bool {
	local, domain, ok := strings.Cut(tok, "@")
	return ok && local != "" && isDomain(domain)
}

// isDomain reports whether tok is a dotted name ending in a top-level domain a reader would
// take for one: a common generic one, a two-letter country code, or a reserved test name. A
// dotted name such as "Mr.Smith" or "J.R.R." is not one.
func isDomain(tok string) bool {
	tok = strings.TrimSuffix(tok, ".")
	labels := strings.Split(tok, ".")
	if len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if l == "" || strings.HasPrefix(l, "-") || strings.HasSuffix(l, "-") {
			return false
		}
		for _, r := range l {
			if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-' {
				return false
			}
		}
	}
	tld := labels[len(labels)-1]
	if strings.HasPrefix(tld, "xn--") || topLevel[tld] {
		return true
	}
	return len(tld) == 2 && tld[0] >= 'a' && tld[0] <= 'z' && tld[1] >= 'a' && tld[1] <= 'z' && len(labels[0]) > 1
}

var topLevel = set("com net org edu gov mil int info biz io co app dev online site shop store " +
	"xyz top club email mail bank finance money pay cloud tech news live pro name mobi " +
	"example test invalid localhost")

// words splits a name into lower-case words of letters and digits, accents and look-alikes
// folded, initials ("J.") dropped.
func words(s string) []string {
	s = skeleton(strings.ToLower(norm.NFKC.String(s)))
	var out []string
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		if len([]rune(w)) > 1 || !isLatin(w) {
			out = append(out, w)
		}
	}
	return out
}

func isLatin(w string) bool {
	for _, r := range w {
		if r > unicode.MaxASCII {
			return false
		}
	}
	return true
}

// Word lists, lower case. A role names a function, not anyone: "Support" says nothing about
// who signed. Legal forms and institutions make a name an organization's.
var (
	stopWords = set("the of and at for from on behalf via by de del la le von van der den du di da &")
	roleWords = set("support team service services sales info information help helpdesk desk customer customers " +
		"care office admin administrator administration noreply no reply notifications notification news " +
		"newsletter contact hr it payroll finance billing accounts accounting security department dept " +
		"mr mrs ms miss dr prof sir madam ceo cfo cto director manager assistant secretary")
	organizationRoles = set("support team service services helpdesk billing payroll security accounts " +
		"department dept administration customer")
	legalForms = set("ltd limited inc incorporated llc llp plc gmbh ag sa sas sarl srl bv nv pty corp " +
		"corporation co company kg oy spa gbr ug kk lp lda")
	institutions = set("bank banking bancorp government ministry university college council agency police " +
		"insurance holdings holding group foundation association institute authority revenue tax " +
		"treasury federal national royal court embassy hospital clinic")
)

func set(s string) map[string]bool { return setOf(strings.Fields(s)) }

func setOf(ws []string) map[string]bool {
	m := map[string]bool{}
	for _, w := range ws {
		m[w] = true
	}
	return m
}

// without returns the words of ws in none of the sets.
func without(ws []string, sets ...map[string]bool) []string {
	var out []string
next:
	for _, w := range ws {
		for _, s := range sets {
			if s[w] {
				continue next
			}
		}
		out = append(out, w)
	}
	return out
}

func subset(ws, of []string) bool {
	for _, w := range ws {
		if !slices.Contains(of, w) {
			return false
		}
	}
	return true
}

func sharesAny(ws, of []string) bool {
	for _, w := range ws {
		if slices.Contains(of, w) {
			return true
		}
	}
	return false
}
