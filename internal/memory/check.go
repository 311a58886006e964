package memory

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/idna"

	"github.com/mailseal/mailseal/internal/classify"
	"github.com/mailseal/mailseal/internal/lookalike"
	"github.com/mailseal/mailseal/internal/smime"
)

// Severity is how a warning is shown: Danger in place of the verdict's own look, Caution as
// a banner where there would be only the quiet chip, Note as a line in the details.
type Severity string

const (
	Danger  Severity = "danger"
	Caution Severity = "caution"
	Note    Severity = "note"
)

// Warning is one way a message breaks what the memory knows. Code names the sentence (words.go
// holds the English; the extension's locales every language), Args are what it quotes, in
// order, and Detail is the English sentence.
type Warning struct {
	Code     Code     `json:"code"`
	Severity Severity `json:"severity"`
	Args     []string `json:"args"`
	Detail   string   `json:"detail"`
}

func warning(c Code, args ...string) Warning {
	return Warning{Code: c, Severity: words[c].severity, Args: args, Detail: words[c].sentence(args)}
}

// Check compares msg with what the memory knows, at now. A sender's first message, a sender
// that never signed, and a message that matches its sender's history give no warning.
func (m *Memory) Check(msg Message, now time.Time) []Warning {
	var out []Warning
	addr := normalAddress(msg.From)
	domain := domainOf(addr)
	if target, ok := disguised(domain); ok {
		if _, expected := m.expectation(target); expected || m.domains[target] != nil {
			// Nothing else applies: the address is not the known one, yet reads as it.
			return []Warning{warning(LookalikeConfusable, escaped(domain), lookalike.Unicode(target))}
		}
	}
	reg := lookalike.Registrable(domain)
	if reg == "" {
		return nil
	}
	mb := m.mailboxes[addr]
	valid := msg.Status == smime.StatusValid && rank(msg.Level) > 0

	switch {
	case valid && mb != nil:
		switch {
		case rank(msg.Level) < rank(mb.Level):
			out = append(out, warning(LowerLevel, shown(mb), strconv.Itoa(mb.Count), string(mb.Level), string(msg.Level)))
		case rank(msg.Level) == rank(mb.Level) && !sameIdentity(mb.Level, mb.Identity, msg.Identity):
			out = append(out, warning(OtherIdentity, addr, shown(mb), shownAs(msg.Level, msg.Identity, addr)))
		case mb.Issuer != "" && msg.Issuer != "" && mb.Issuer != msg.Issuer && rank(msg.Level) == rank(mb.Level):
			out = append(out, warning(OtherCA, addr, mb.Issuer, msg.Issuer))
		}
	case msg.Status == smime.StatusUnsigned && mb != nil && m.usuallySigns(mb, now):
		out = append(out, warning(UsuallySigns, shown(mb), strconv.Itoa(mb.Count), string(mb.Level)))
	case msg.Status == smime.StatusUnsigned && mb == nil && !freeMail[reg]:
		if n, level := m.domainSigners(reg, now); n >= domainSigners {
			out = append(out, warning(DomainUsuallySigns, reg, strconv.Itoa(n), string(level)))
		}
	}

	if e, ok := m.expectation(domain); ok {
		switch {
		case !valid:
			out = append(out, warning(ExpectedSigned, e.Domain, string(e.Level)))
		case rank(msg.Level) < rank(e.Level):
			out = append(out, warning(ExpectedLevel, e.Domain, string(e.Level), string(msg.Level)))
		}
	}

	if mt, ok := m.index().Match(domain); ok && m.domains[reg] == nil {
		out = append(out, warning(lookalikeCode(mt), asciiDomain(domain), lookalike.Unicode(mt.Known)))
	} else if w, ok := m.claimedOrganization(msg, reg); ok {
		out = append(out, w)
	}
	return out
}

func lookalikeCode(mt lookalike.Match) Code {
	switch {
	case mt.MixedScript || mt.Punycode && mt.Kind == lookalike.Confusable:
		return LookalikeScript
	case mt.Kind == lookalike.Confusable:
		return LookalikeConfusable
	case mt.Kind == lookalike.OtherSuffix:
		return LookalikeSuffix
	case mt.Kind == lookalike.AddedWord:
		return LookalikeWord
	case mt.Kind == lookalike.Subdomain:
		return LookalikeSubdomain
	}
	return LookalikeEdit
}

func (m *Memory) usuallySigns(mb *Mailbox, now time.Time) bool {
	return mb.Count >= usuallySigns && now.Sub(mb.LastSeen) <= recent
}

// domainSigners counts the mailboxes of reg that usually sign at V3 or V4, and the lowest
// level among them.
func (m *Memory) domainSigners(reg string, now time.Time) (n int, level classify.Level) {
	for _, a := range m.byDomain[reg] {
		mb := m.mailboxes[a]
		if rank(mb.Level) >= 3 && m.usuallySigns(mb, now) {
			n++
			if level == "" || rank(mb.Level) < rank(level) {
				level = mb.Level
			}
		}
	}
	return n, level
}

func (m *Memory) expectation(domain string) (Expectation, bool) {
	for _, e := range m.expectations {
		if domain == e.Domain || strings.HasSuffix(domain, "."+e.Domain) {
			return e, true
		}
	}
	return Expectation{}, false
}

// index holds the domains a look-alike may imitate: those signed at V2 or above, and those
// administrators expect signed.
func (m *Memory) index() *lookalike.Index {
	if m.lookalikes == nil {
		var known []string
		for reg, d := range m.domains {
			if rank(d.BestLevel) >= 2 {
				known = append(known, reg)
			}
		}
		for _, e := range m.expectations {
			known = append(known, e.Domain)
		}
		m.lookalikes = lookalike.NewIndex(known)
	}
	return m.lookalikes
}

// claimedOrganization: the display name names an organization remembered from V3/V4 mail of
// other domains, and the message is not signed by that organization. A mailing list that
// rewrote From ("Name via List") gets no pass: the sender writes the whole name, " via " too,
// and a list that posts as a remembered organization from its own domain is worth the warning.
// A person's name via a list is quiet (only organizations are remembered here).
func (m *Memory) claimedOrganization(msg Message, reg string) (Warning, bool) {
	name := msg.DisplayName
	if name == "" {
		return Warning{}, false
	}
	if m.orgs == nil {
		m.orgs = map[string][]string{}
		for _, mb := range m.mailboxes {
			if rank(mb.Level) >= 3 {
				m.addOrganization(mb)
			}
		}
	}
	var ws []string
	for _, w := range wordsOf(name) {
		ws = append(ws, w.key)
	}
	if len(ws) > 12 {
		ws = ws[:12]
	}
	// Every run of consecutive words of the name, looked up: a few dozen map lookups, however
	// many organizations are remembered.
	for i := range ws {
		for j := i + 1; j <= len(ws); j++ {
			key := strings.Join(ws[i:j], "")
			domains := m.orgs[key]
			if len(domains) == 0 || slices.Contains(domains, reg) {
				continue
			}
			if msg.Status == smime.StatusValid && rank(msg.Level) >= 3 && orgKey(msg.Identity.Organization) == key {
				continue // validated for that very name, by its CA
			}
			return warning(ClaimsOrganization, name, lookalike.Unicode(domains[0]), msg.From), true
		}
	}
	return Warning{}, false
}

func (m *Memory) addOrganization(mb *Mailbox) {
	if key := orgKey(mb.Identity.Organization); key != "" {
		r := lookalike.Registrable(domainOf(mb.Address))
		if !slices.Contains(m.orgs[key], r) {
			m.orgs[key] = append(m.orgs[key], r)
		}
	}
}

// legalForms are left out of an organization's name when it is looked for in a display name.
var legalForms = map[string]bool{"ltd": true, "limited": true, "plc": true, "inc": true, "gmbh": true, "ag": true,
	"sa": true, "llc": true, "co": true, "corp": true, "corporation": true, "bv": true, "nv": true, "srl": true,
	"spa": true, "sas": true, "oy": true, "ab": true, "as": true, "kg": true, "se": true, "the": true}

// orgKey is an organization's name as the keys of its words without its legal form, run
// together, or "" when what is left is too short to look for.
func orgKey(org string) string {
	var key strings.Builder
	for _, w := range wordsOf(org) {
		if !legalForms[w.lower] {
			key.WriteString(w.key)
		}
	}
	if utf8.RuneCountInString(key.String()) < 4 {
		return ""
	}
	return key.String()
}

// word is a word of a name: lowercase, and its key, which reads as it reads: the UTS #39
// skeleton, with a capital I as the l it passes for.
type word struct{ lower, key string }

// wordsOf splits a name into words at what is neither letter nor digit, once the invisible
// characters are gone (a zero-width space inside "Pay\u200bPal" neither splits nor hides it).
// Keys are run together when looked up, so "Example Bank", "Example-Bank" and "ExampleBank"
// are the same name.
func wordsOf(s string) []word {
	s = withoutInvisible(s)
	var out []word
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.Is(unicode.Mn, r) }) {
		out = append(out, word{lower: strings.ToLower(w), key: lookalike.Skeleton(strings.ReplaceAll(w, "I", "l"))})
	}
	return out
}

// Shown is how a remembered sender's identity reads: what the banner showed for it.
func Shown(mb Mailbox) string { return shownAs(mb.Level, mb.Identity, mb.Address) }

func shown(mb *Mailbox) string { return Shown(*mb) }

func shownAs(l classify.Level, id Identity, addr string) string {
	org := id.Organization
	if id.Country != "" {
		org += " (" + id.Country + ")"
	}
	switch l {
	case classify.LevelV2:
		return id.Name
	case classify.LevelV3:
		return org
	case classify.LevelV4:
		return id.Name + ", " + org
	}
	return addr
}

// freeMail are domains where anyone gets a mailbox: that some of their users sign says
// nothing of the others.
var freeMail = map[string]bool{}

func init() {
	for _, d := range strings.Fields(`gmail.com googlemail.com outlook.com hotmail.com live.com msn.com
		yahoo.com ymail.com icloud.com me.com mac.com aol.com gmx.com gmx.de gmx.net web.de mail.com
		proton.me protonmail.com pm.me zoho.com yandex.ru yandex.com mail.ru qq.com 163.com 126.com
		fastmail.com tutanota.com posteo.de orange.fr free.fr laposte.net t-online.de libero.it`) {
		freeMail[d] = true
	}
}

// disguised reports the registrable domain that domain is written to pass for, when it is not
// written as that domain is written: with characters that domain lookup folds into others
// (fullwidth letters, an ideographic full stop) or drops (a soft hyphen), or with invisible
// format characters a domain cannot hold (a zero-width joiner). Such an address is not the
// known one, so no history of it applies, yet it reads as the known one.
func disguised(domain string) (string, bool) {
	if ascii, err := idna.Lookup.ToASCII(domain); err == nil {
		if u, err := idna.ToUnicode(ascii); err != nil || u == domain || ascii == domain {
			return "", false
		}
		reg := lookalike.Registrable(ascii)
		return reg, reg != ""
	}
	visible := withoutInvisible(domain)
	if visible == domain {
		return "", false
	}
	reg := lookalike.Registrable(visible)
	return reg, reg != ""
}

// withoutInvisible drops format characters (zero-width joiners and spaces, soft hyphens, bidi
// controls) and variation selectors: what a reader does not see.
func withoutInvisible(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.In(r, unicode.Cf, unicode.Variation_Selector) {
			return -1
		}
		return r
	}, s)
}

// escaped writes every character of d outside printable ASCII as U+XXXX in brackets, so that a
// warning shows what a disguised domain holds.
func escaped(d string) string {
	var b strings.Builder
	for _, r := range d {
		if r > 0x20 && r < 0x7f {
			b.WriteRune(r)
		} else {
			fmt.Fprintf(&b, "[U+%04X]", r)
		}
	}
	return b.String()
}

// asciiDomain is d in its xn-- form: a look-alike is quoted as what it is, not as what it
// imitates.
func asciiDomain(d string) string {
	if a, err := idna.Lookup.ToASCII(d); err == nil {
		return a
	}
	return d
}
