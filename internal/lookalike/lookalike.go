// Package lookalike tells whether a mail domain imitates one the reader already knows.
//
// Domains are compared by their registrable part (public suffix list: golang.org/x/net/publicsuffix),
// so mail.bank.example and bank.example are one domain. NewIndex takes the known domains once;
// Index.Match then answers in a few map lookups, whatever the number of known domains. A match
// says how the domain imitates the known one:
//
//   - confusable: the same UTS #39 skeleton (Unicode confusables, version UnicodeVersion), such
//     as examp1e-bank or an xn-- domain written with Cyrillic letters;
//   - other-suffix: the same name under another public suffix (bank.example.net);
//   - added-word: the name with a word such as "secure" or "support" added (bank-secure);
//   - subdomain: the name as a label in front of another domain (bank.example.evil.net);
//   - edit-distance: one letter added, dropped, changed or two swapped, for names of 5 letters
//     or more (exampel-bank).
//
// A domain that is itself known never matches: two real domains may look alike.
package lookalike

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/idna"
	"golang.org/x/net/publicsuffix"
	"golang.org/x/text/unicode/norm"
)

// Kind says how a domain imitates a known one.
type Kind string

const (
	Confusable   Kind = "confusable"
	OtherSuffix  Kind = "other-suffix"
	AddedWord    Kind = "added-word"
	Subdomain    Kind = "subdomain"
	EditDistance Kind = "edit-distance"
)

// Match is a domain found to imitate a known one.
type Match struct {
	Known string // the known registrable domain, ASCII (xn--) form
	Kind  Kind
	// Punycode is set when the domain is written in xn-- form: what a reader sees may be
	// other letters than the ones the mail client shows.
	Punycode bool
	// MixedScript is set when the domain's name mixes letters of several scripts.
	MixedScript bool
}

// minEditLength is the shortest known name compared by edit distance: shorter names are one
// letter apart from too many real domains.
const minEditLength = 5

// addedWords are what phishing domains put beside a real name: words about security, access,
// accounts and bills, and a top-level domain as a word. Ordinary words ("bank", "group", "mail", "shop") are left out: a real organization's
// domain is often another one's name with such a word (example-bank beside example).
var addedWords = []string{
	"secure", "security", "support", "login", "signin", "verify", "verification", "account",
	"accounts", "online", "service", "services", "update", "help", "helpdesk", "alert", "alerts",
	"official", "auth", "portal", "notice", "billing", "payment", "payments", "customer", "confirm",
	"unlock", "recovery", "password", "safety", "protect", "protection",
	// A top-level domain written into the name ("paypal-com.net"), and what a fake bill says.
	"com", "net", "org", "refund", "refunds", "invoice", "invoices", "id", "team", "my",
}

// addedSkeletons are addedWords as skeletons, which is how a name is compared with them: the
// skeleton of "payment" is "payrnent".
var addedSkeletons = func() []string {
	out := make([]string, len(addedWords))
	for i, w := range addedWords {
		out[i] = Skeleton(w)
	}
	return out
}()

// ErrDomain is returned for a domain that has no registrable part.
var ErrDomain = errors.New("lookalike: not a registrable domain")

// Domain is a mail domain split as the public suffix list splits it.
type Domain struct {
	Registrable string // eTLD+1, ASCII form: "example-bank.co.uk"
	Name        string // the registrable part's first label, as Unicode: "example-bank"
	Suffix      string // the public suffix: "co.uk"
	Labels      []string
	Punycode    bool
}

// Parse lowercases d, converts it to its ASCII form and splits it.
func Parse(d string) (Domain, error) {
	d = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(d)), ".")
	ascii, err := idna.Lookup.ToASCII(d)
	if err != nil || ascii == "" {
		return Domain{}, fmt.Errorf("%w: %q", ErrDomain, d)
	}
	reg, err := publicsuffix.EffectiveTLDPlusOne(ascii)
	if err != nil {
		return Domain{}, fmt.Errorf("%w: %q", ErrDomain, d)
	}
	suffix, _ := publicsuffix.PublicSuffix(ascii)
	name, _ := idna.ToUnicode(strings.TrimSuffix(reg, "."+suffix))
	return Domain{
		Registrable: reg,
		Name:        name,
		Suffix:      suffix,
		Labels:      strings.Split(ascii, "."),
		Punycode:    strings.Contains(ascii, "xn--"),
	}, nil
}

// Registrable is the registrable domain of d in ASCII form, or "" when it has none.
func Registrable(d string) string {
	p, err := Parse(d)
	if err != nil {
		return ""
	}
	return p.Registrable
}

// Skeleton is the UTS #39 skeleton of s with case folded: two strings with the same skeleton
// look alike.
func Skeleton(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(strings.ToLower(s)) {
		if p, ok := prototype(r); ok {
			b.WriteString(p)
		} else {
			b.WriteRune(r)
		}
	}
	return strings.ToLower(norm.NFD.String(b.String()))
}

func prototype(r rune) (string, bool) {
	i := sort.Search(len(prototypes), func(i int) bool { return prototypes[i].r >= r })
	if i < len(prototypes) && prototypes[i].r == r {
		return prototypes[i].s, true
	}
	return "", false
}

// MixedScript reports whether s holds letters of more than one script (Common and Inherited
// characters, digits and hyphens, go with any).
func MixedScript(s string) bool {
	var first *unicode.RangeTable
	for _, r := range s {
		if r < utf8.RuneSelf {
			if 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' {
				if first != nil && first != unicode.Latin {
					return true
				}
				first = unicode.Latin
			}
			continue
		}
		if !unicode.IsLetter(r) {
			continue
		}
		t := scriptOf(r)
		if t == nil {
			continue
		}
		if first == nil {
			first = t
		} else if t != first {
			return true
		}
	}
	return false
}

func scriptOf(r rune) *unicode.RangeTable {
	for _, t := range scripts {
		if unicode.Is(t, r) {
			return t
		}
	}
	return nil
}

// scripts are those a domain name's letters are compared across: the scripts of the
// confusables table's look-alike letters and the largest others. Naming them, rather than
// ranging over unicode.Scripts, keeps every other script's table out of the WebAssembly module.
var scripts = []*unicode.RangeTable{
	unicode.Latin, unicode.Greek, unicode.Cyrillic, unicode.Armenian, unicode.Georgian,
	unicode.Cherokee, unicode.Hebrew, unicode.Arabic, unicode.Devanagari, unicode.Bengali,
	unicode.Thai, unicode.Lao, unicode.Tifinagh, unicode.Coptic, unicode.Ethiopic,
	unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul,
	unicode.Canadian_Aboriginal, unicode.Lisu, unicode.Vai, unicode.Gujarati, unicode.Gurmukhi,
	unicode.Tamil, unicode.Telugu, unicode.Kannada, unicode.Malayalam, unicode.Sinhala,
	unicode.Myanmar, unicode.Khmer, unicode.Mongolian, unicode.Tibetan, unicode.Nko, unicode.Osage,
}

// Index holds the known domains, ready for Match.
type Index struct {
	known      map[string]bool     // registrable, ASCII
	byName     map[string][]string // name skeleton → registrable domains
	byDeletion map[string][]string // name skeleton with one character deleted → registrable
	names      map[string]string   // registrable → name skeleton
}

// NewIndex indexes the registrable parts of domains; ones without any are left out.
func NewIndex(domains []string) *Index {
	x := &Index{
		known:      map[string]bool{},
		byName:     map[string][]string{},
		byDeletion: map[string][]string{},
		names:      map[string]string{},
	}
	for _, d := range domains {
		x.Add(d)
	}
	return x
}

// Add indexes one more known domain.
func (x *Index) Add(domain string) {
	p, err := Parse(domain)
	if err != nil || x.known[p.Registrable] {
		return
	}
	x.known[p.Registrable] = true
	sk := Skeleton(p.Name)
	x.names[p.Registrable] = sk
	x.byName[sk] = append(x.byName[sk], p.Registrable)
	if len([]rune(sk)) >= minEditLength {
		for _, del := range deletions(sk) {
			x.byDeletion[del] = appendOnce(x.byDeletion[del], p.Registrable)
		}
	}
}

// Len is the number of known registrable domains.
func (x *Index) Len() int { return len(x.known) }

// Match tells whether domain imitates a known domain, trying the kinds in the order of the
// package doc. A known domain, or one without a registrable part, never matches.
func (x *Index) Match(domain string) (Match, bool) {
	p, err := Parse(domain)
	if err != nil || x.known[p.Registrable] {
		return Match{}, false
	}
	m, ok := x.match(p)
	if ok {
		m.Punycode, m.MixedScript = p.Punycode, MixedScript(p.Name)
	}
	return m, ok
}

func (x *Index) match(p Domain) (Match, bool) {
	var m Match
	sk := Skeleton(p.Name)
	if ks := x.byName[sk]; len(ks) > 0 {
		m.Known, m.Kind = ks[0], OtherSuffix
		for _, k := range ks {
			if strings.HasSuffix(k, "."+p.Suffix) && strings.Count(k, ".") == strings.Count(p.Registrable, ".") {
				m.Known, m.Kind = k, Confusable
				break
			}
		}
		return m, true
	}
	if k, ok := x.withoutAddedWord(sk); ok {
		m.Known, m.Kind = k, AddedWord
		return m, true
	}
	for _, label := range p.Labels[:len(p.Labels)-strings.Count(p.Registrable, ".")-1] {
		u, _ := idna.ToUnicode(label)
		if ks := x.byName[Skeleton(u)]; len(ks) > 0 && len([]rune(u)) >= 3 {
			m.Known, m.Kind = ks[0], Subdomain
			return m, true
		}
	}
	if k, ok := x.oneEditAway(sk); ok {
		m.Known, m.Kind = k, EditDistance
		return m, true
	}
	return Match{}, false
}

// withoutAddedWord finds a known name that sk is with words of addedWords before or after it.
func (x *Index) withoutAddedWord(sk string) (string, bool) {
	for _, w := range addedSkeletons {
		for _, rest := range []string{
			strings.TrimPrefix(sk, w+"-"), strings.TrimPrefix(sk, w),
			strings.TrimSuffix(sk, "-"+w), strings.TrimSuffix(sk, w),
		} {
			if rest == sk || len(rest) < 3 {
				continue
			}
			if ks := x.byName[strings.Trim(rest, "-")]; len(ks) > 0 {
				return ks[0], true
			}
		}
	}
	return "", false
}

// oneEditAway finds a known name at edit distance 1 from sk (insertion, deletion, substitution
// or transposition of neighbours), by the deletions both share.
func (x *Index) oneEditAway(sk string) (string, bool) {
	candidates := append([]string{}, x.byDeletion[sk]...) // sk is a known name with one added
	for _, del := range deletions(sk) {
		candidates = append(candidates, x.byName[del]...) // sk is a known name with one dropped
		candidates = append(candidates, x.byDeletion[del]...)
	}
	sort.Strings(candidates)
	for _, k := range candidates {
		if name := x.names[k]; len([]rune(name)) >= minEditLength && distance(sk, name) == 1 {
			return k, true
		}
	}
	return "", false
}

func deletions(s string) []string {
	r := []rune(s)
	out := make([]string, 0, len(r))
	for i := range r {
		out = append(out, string(r[:i])+string(r[i+1:]))
	}
	return out
}

// distance is the optimal string alignment distance between a and b: insertions, deletions,
// substitutions and transpositions of neighbours each cost 1.
func distance(a, b string) int {
	s, t := []rune(a), []rune(b)
	d := make([][]int, len(s)+1)
	for i := range d {
		d[i] = make([]int, len(t)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(s); i++ {
		for j := 1; j <= len(t); j++ {
			cost := 1
			if s[i-1] == t[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && s[i-1] == t[j-2] && s[i-2] == t[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(s)][len(t)]
}

func appendOnce(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

// Unicode is d as a person reads it: its xn-- labels decoded.
func Unicode(d string) string {
	u, err := idna.ToUnicode(d)
	if err != nil {
		return d
	}
	return u
}
