// Package displayname decides whether the display name of a From mailbox claims an identity
// that the signer's certificate does not carry: another address or domain, an organization or a
// person the certificate did not validate, or Unicode that changes how the name reads.
//
// Mail clients show the display name in large type and the address small, or not at all; a
// free mailbox-validated certificate for eve@evil.example signs a message from
// "boss@bank.com" <eve@evil.example> just as validly as the bank's own. Check is the one call:
// it compares the name with what the certificate validated (Validated, filled from the
// signer's level) and returns one Claim per trick it found, or none. It does not cry wolf: the
// signer's own name, the validated organization's name, a role such as "Support" beside it,
// and at V1 a plain person's name all pass.
package displayname

import (
	"strings"
	"unicode"

	"golang.org/x/net/idna"
	"golang.org/x/text/unicode/norm"
)

// Validated is what the certificate vouches for: its address, and by level a person's name
// (V2, V4), an organization (V3, V4) and a title (V4). Level is "V1" to "V4". Pseudonym says
// that Name is a pseudonym: the CA validated the person behind it but does not show who, so a
// person's name in the display name may well be theirs and is no claim.
type Validated struct {
	Level        string
	Email        string
	Name         string
	Pseudonym    bool
	Organization string
	Title        string
}

// Kind is the class of a claim.
type Kind string

const (
	KindAddress      Kind = "address"      // the name is, or contains, another email address
	KindDomain       Kind = "domain"       // the name contains a domain other than the signer's
	KindOrganization Kind = "organization" // the name names an organization not validated
	KindPerson       Kind = "person"       // the name names a person not validated
	KindUnicode      Kind = "unicode"      // bidi controls, invisible characters, look-alike letters
)

// Claim is one thing the display name claims that the certificate does not carry. Text is
// what it claimed, ready to quote: an address, a domain, the name itself, or for KindUnicode
// which trick ("bidi", "invisible" or "look-alike").
type Claim struct {
	Kind Kind
	Text string
}

// Check returns what name, a From display name with encoded words decoded, claims beyond v.
func Check(name string, v Validated) []Claim {
	var out []Claim
	add := func(k Kind, text string) {
		for _, c := range out {
			if c.Kind == k && c.Text == text {
				return
			}
		}
		out = append(out, Claim{k, text})
	}
	for _, trick := range hiddenCharacters(name) {
		add(KindUnicode, trick)
	}
	visible := strings.Map(func(r rune) rune {
		if unicode.In(r, unicode.Cc, unicode.Cf) {
			return -1
		}
		return r
	}, name)
	plain := strings.ToLower(norm.NFKC.String(visible))
	if strings.TrimSpace(plain) == "" {
		return out
	}
	signer := unicodeDomain(skeleton(strings.ToLower(norm.NFKC.String(v.Email))))
	signerDomain := signer[strings.LastIndexByte(signer, '@')+1:]
	var rest []string // the tokens that are neither an address nor a domain
	for _, tok := range tokens(plain) {
		look := unicodeDomain(skeleton(tok))
		// Only an address or a domain can imitate the signer's; a name in Cyrillic or Greek is
		// just a name.
		lookAlike := strings.ContainsFunc(tok, func(r rune) bool { _, ok := lookAlikes[r]; return ok })
		switch {
		case isAddress(look):
			if look != signer {
				add(KindAddress, look)
			}
		case isDomain(look):
			if d := strings.TrimSuffix(look, "."); !related(d, signerDomain) {
				add(KindDomain, d)
			}
		default:
			rest = append(rest, tok)
			continue
		}
		if lookAlike {
			add(KindUnicode, "look-alike")
		}
	}
	if k, claimed := identityClaim(words(strings.Join(rest, " ")), v); claimed {
		add(k, cleanName(visible))
	}
	return out
}

// identityClaim decides whether the words of the name (addresses and domains taken out) name an
// organization or a person the certificate does not carry.
func identityClaim(ws []string, v Validated) (Kind, bool) {
	significant := without(ws, stopWords, roleWords, legalForms)
	if len(significant) == 0 {
		return "", false // only roles and connectives: "Support", "The Team"
	}
	orgLike := organizationLooking(ws)
	kind := KindPerson
	if orgLike {
		kind = KindOrganization
	}
	name := words(v.Name)
	org := without(words(v.Organization), legalForms)
	switch v.Level {
	case "V2":
		// A person validated: another organization is a claim; another first name (a
		// nickname, a name in another script) is not, unless nothing at all is shared.
		return kind, orgLike || !v.Pseudonym && !sharesAny(significant, name)
	case "V3":
		// An organization validated: any other name, a person's included, is a claim.
		return kind, !subset(significant, org)
	case "V4":
		validated := append(append(append([]string{}, name...), org...), words(v.Title)...)
		if orgLike {
			return kind, !subset(without(significant, setOf(name)), org)
		}
		return kind, !v.Pseudonym && !sharesAny(significant, validated)
	default:
		// V1: only the address was validated; a person's name is the sender's own business,
		// an organization's is a claim the certificate cannot back.
		return kind, orgLike
	}
}

// organizationLooking reports whether the words name an organization: a legal form ("Ltd",
// "GmbH"), an institution ("Bank", "Ministry"), or a role of one beside a name ("Acme Support").
func organizationLooking(ws []string) bool {
	for _, w := range ws {
		if legalForms[w] || institutions[w] {
			return true
		}
	}
	hasRole, others := false, 0
	for _, w := range ws {
		switch {
		case organizationRoles[w]:
			hasRole = true
		case !stopWords[w] && !roleWords[w]:
			others++
		}
	}
	return hasRole && others > 0
}

// unicodeDomain writes the domain of an address or a domain in Unicode, as skeleton folds it:
// "xn--bcher-kva.example" and "bücher.example" are one domain.
func unicodeDomain(s string) string {
	at := strings.LastIndexByte(s, '@') + 1
	if !strings.Contains(s[at:], "xn--") {
		return s
	}
	u, err := idna.Lookup.ToUnicode(s[at:])
	if err != nil {
		return s
	}
	return s[:at] + skeleton(u)
}

// related reports whether d is the signer's domain, a parent of it or a subdomain of it.
func related(d, signer string) bool {
	return d == signer || strings.HasSuffix(signer, "."+d) || strings.HasSuffix(d, "."+signer)
}

// cleanName is the name as a reader sees it: one space between words, nothing invisible.
func cleanName(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > 128 {
		s = string(r[:127]) + "…"
	}
	return s
}
