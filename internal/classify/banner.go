package classify

import "strings"

// Banner is the identity line for a trusted signature: the level, the
// certificate's address, then what the level's validation type vouches for.
//
//	V1 · alice@example.com · Email Validated, Identity Not Validated
//	V2 · alice@example.com · Alice Liddell, Identity Validated
//	V2 · alice@example.com · Dodo (pseudonym), Identity Validated
//	V3 · sales@acme.example · Acme Ltd (GB), Identity Validated and Trusted
//	V4 · alice@acme.example · Alice Liddell, Acme Ltd (GB), Buyer, Identity Validated and Trusted
//
// email is the certificate address that matched From. Every field is
// cleaned again, so a Classification built by hand cannot smuggle control
// characters in. A level that lacks its fields (a hand-built V3 without an
// organization) falls back to the V1 text; LevelNone gives "": an
// untrusted signature has no identity banner.
func Banner(c Classification, email string) string {
	email = CleanText(email, 2*DefaultMax)
	name := CleanText(c.Name, DefaultMax)
	if name != "" && c.Pseudonym {
		name += " (pseudonym)"
	}
	org := CleanText(c.Organization, DefaultMax)
	if country := CleanText(c.Country, 2); org != "" && country != "" {
		org += " (" + country + ")"
	}
	title := CleanText(c.Title, DefaultMax)

	var identity []string
	var claim string
	switch c.Level {
	case LevelNone:
		return ""
	case LevelV2:
		identity, claim = []string{name}, "Identity Validated"
	case LevelV3:
		identity, claim = []string{org}, "Identity Validated and Trusted"
	case LevelV4:
		identity, claim = []string{name, org}, "Identity Validated and Trusted"
		if title != "" {
			identity = append(identity, title)
		}
	}
	for _, f := range identity {
		if f == "" {
			identity, claim = nil, ""
		}
	}
	if claim == "" {
		return "V1 · " + email + " · Email Validated, Identity Not Validated"
	}
	return string(c.Level) + " · " + email + " · " + strings.Join(identity, ", ") + ", " + claim
}
