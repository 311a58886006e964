package classify

import (
	"crypto/x509"
	"fmt"
	"strings"
)

// Level is the identity level a certificate's validation type supports; a
// valid smime.Report carries it as the level of its signature.
type Level string

const (
	LevelNone Level = ""
	LevelV1   Level = "V1" // mailbox-validated: the address only
	LevelV2   Level = "V2" // individual-validated: a person's name
	LevelV3   Level = "V3" // organization-validated: an organization
	LevelV4   Level = "V4" // sponsor-validated: a person within an organization
)

// Classification is what a signer certificate lets mailseal show, if its
// chain ends at an anchor trusted for email. Fields outside the level's
// validation type are empty, and every field is already CleanText-ed.
type Classification struct {
	Level        Level
	PolicyOID    string // the one reserved BR policy found, "" if none or several
	Generation   string // "legacy", "multipurpose", "strict" or ""
	Name         string // V2 and V4 only
	Pseudonym    bool   // Name is a pseudonym, not a legal name
	Organization string // V3 and V4 only
	Country      string // V3 and V4 only, an ISO 3166-1 alpha-2 code
	Title        string // V4 only, when the certificate has one
	Reason       string // why the level is what it is, for a person
}

// reservedPrefix is the CA/B Forum arc of the S/MIME BR policies (§7.1.6.1).
const reservedPrefix = "2.23.140.1.5."

// validationTypes maps the validation-type arc of a reserved policy to what it means.
var validationTypes = map[string]struct {
	level Level
	name  string // the BR's own name for the validation type
}{
	"1": {LevelV1, "mailbox-validated"},
	"2": {LevelV3, "organization-validated"},
	"3": {LevelV4, "sponsor-validated"},
	"4": {LevelV2, "individual-validated"},
}

var generations = map[string]string{"1": "legacy", "2": "multipurpose", "3": "strict"}

// reserved is one reserved S/MIME BR policy, parsed.
type reserved struct {
	oid        string
	level      Level
	typeName   string
	generation string
}

// parseReserved reports whether oid is one of the twelve reserved S/MIME BR
// policies 2.23.140.1.5.<type>.<generation>. Longer or other arcs under
// 2.23.140.1.5 are not: they are not in the BR, so they validate nothing.
func parseReserved(oid string) (reserved, bool) {
	rest, ok := strings.CutPrefix(oid, reservedPrefix)
	if !ok {
		return reserved{}, false
	}
	typ, gen, ok := strings.Cut(rest, ".")
	vt, okType := validationTypes[typ]
	g, okGen := generations[gen]
	if !ok || !okType || !okGen {
		return reserved{}, false
	}
	return reserved{oid: oid, level: vt.level, typeName: vt.name, generation: g}, true
}

// policyOIDs lists the certificate's policies in dotted form, each once.
// Policies holds every OID since Go 1.22; PolicyIdentifiers is the fallback
// for certificates built by hand without it.
func policyOIDs(cert *x509.Certificate) []string {
	var oids []string
	seen := map[string]bool{}
	add := func(s string) {
		if !seen[s] {
			seen[s] = true
			oids = append(oids, s)
		}
	}
	for _, p := range cert.Policies {
		add(p.String())
	}
	if len(cert.Policies) == 0 {
		for _, p := range cert.PolicyIdentifiers {
			add(p.String())
		}
	}
	return oids
}

// Classify reads the signer certificate's reserved policy and subject and
// says which level it supports and what may be shown at that level. It does
// not look at the chain: the caller shows the level only when the chain ends
// at an anchor trusted for email, and the address only after it matched From.
func Classify(cert *x509.Certificate) Classification {
	if cert == nil {
		return Classification{Level: LevelV1, Reason: "no certificate: only the address can be shown"}
	}
	var found []reserved
	var unreserved []string
	for _, oid := range policyOIDs(cert) {
		if r, ok := parseReserved(oid); ok {
			found = append(found, r)
		} else if strings.HasPrefix(oid, reservedPrefix) {
			unreserved = append(unreserved, oid)
		}
	}
	switch len(found) {
	case 0:
		reason := "no CA/B Forum S/MIME policy: only the address is validated"
		if len(unreserved) > 0 {
			reason = fmt.Sprintf("no CA/B Forum S/MIME policy (%s under the S/MIME arc but not a reserved policy): only the address is validated",
				strings.Join(unreserved, ", "))
		}
		return Classification{Level: LevelV1, Reason: reason}
	case 1:
		return classifyType(found[0], readSubject(cert))
	default:
		oids := make([]string, len(found))
		for i, r := range found {
			oids[i] = r.oid
		}
		return Classification{Level: LevelV1, Reason: fmt.Sprintf(
			"carries %s reserved S/MIME policies (%s): non-conformant, shown as address only",
			count(len(found)), strings.Join(oids, ", "))}
	}
}

// classifyType fills in what the one reserved policy r vouches for, or falls
// back to V1 when the subject lacks what that validation type must carry.
func classifyType(r reserved, s subject) Classification {
	c := Classification{Level: r.level, PolicyOID: r.oid, Generation: r.generation}
	what := fmt.Sprintf("%s (%s, %s)", r.typeName, r.oid, r.generation)
	var notes []string
	switch r.level {
	case LevelV1:
		c.Reason = what + ": the CA validated control of the address only"
		if s.hasIdentity() {
			c.Reason += "; the names in the subject are not validated for this type and are not shown"
		}
		return c
	case LevelV2, LevelV4:
		name, pseudonym, note := s.personalName(r.generation)
		c.Name, c.Pseudonym = name, pseudonym
		if note != "" {
			notes = append(notes, note)
		}
	}
	if r.level == LevelV3 || r.level == LevelV4 {
		c.Organization, c.Country = s.first(OIDOrganization), s.country()
		if n := len(s.values(OIDOrganization)); n > 1 {
			notes = append(notes, fmt.Sprintf("%s organizationName attributes: showing the first", count(n)))
		}
	}
	if r.level == LevelV4 {
		c.Title = s.first(OIDTitle)
	}

	var missing []string
	if (r.level == LevelV2 || r.level == LevelV4) && c.Name == "" {
		missing = append(missing, "no person (no personal name in commonName, no givenName/surname, no pseudonym)")
	}
	if (r.level == LevelV3 || r.level == LevelV4) && c.Organization == "" {
		missing = append(missing, "no organizationName")
	}
	if len(missing) > 0 {
		return Classification{Level: LevelV1, PolicyOID: r.oid, Generation: r.generation, Reason: fmt.Sprintf(
			"%s policy but the certificate names %s: shown as address only", what, strings.Join(missing, " and "))}
	}

	switch r.level {
	case LevelV2:
		if c.Pseudonym {
			c.Reason = what + ": the CA validated the person behind the pseudonym"
		} else {
			c.Reason = what + ": the CA validated the person's name"
		}
	case LevelV3:
		c.Reason = what + ": the CA validated the organization"
	case LevelV4:
		c.Reason = what + ": the CA validated the person and the organization that sponsors them"
	}
	for _, n := range notes {
		c.Reason += "; " + n
	}
	return c
}

// count spells small numbers for reasons a person reads.
func count(n int) string {
	if words := []string{"no", "one", "two", "three", "four"}; n < len(words) {
		return words[n]
	}
	return fmt.Sprint(n)
}
