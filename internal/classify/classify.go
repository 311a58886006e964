package classify

import (
	"crypto/x509"
	"fmt"
	"strings"

	"github.com/mailseal/mailseal/internal/sentence"
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
	Reason       string // why the level is what it is, for a person: Why in English
	// Why is Reason as sentence codes (package sentence), its clauses in order.
	Why []sentence.Text
}

// say is the sentence of code with args (package sentence holds the English of each code).
var say = sentence.New

// because sets c's reason to the clauses why.
func (c Classification) because(why ...sentence.Text) Classification {
	c.Why = why
	c.Reason = sentence.Join(why, "; ")
	return c
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
		return Classification{Level: LevelV1}.because(say("class_no_certificate"))
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
		reason := say("class_no_policy")
		if len(unreserved) > 0 {
			reason = say("class_no_reserved_policy", strings.Join(unreserved, ", "))
		}
		return Classification{Level: LevelV1}.because(reason)
	case 1:
		return classifyType(found[0], readSubject(cert))
	default:
		oids := make([]string, len(found))
		for i, r := range found {
			oids[i] = r.oid
		}
		return Classification{Level: LevelV1}.because(say("class_several_policies", fmt.Sprint(len(found)), strings.Join(oids, ", ")))
	}
}

// classifyType fills in what the one reserved policy r vouches for, or falls
// back to V1 when the subject lacks what that validation type must carry.
func classifyType(r reserved, s subject) Classification {
	c := Classification{Level: r.level, PolicyOID: r.oid, Generation: r.generation}
	what := []string{r.typeName, r.oid, r.generation}
	var notes []sentence.Text
	switch r.level {
	case LevelV1:
		if s.hasIdentity() {
			return c.because(say("class_v1", what...), say("class_v1_names_ignored"))
		}
		return c.because(say("class_v1", what...))
	case LevelV2, LevelV4:
		name, pseudonym, note := s.personalName(r.generation)
		c.Name, c.Pseudonym = name, pseudonym
		if note.Code != "" {
			notes = append(notes, note)
		}
	}
	if r.level == LevelV3 || r.level == LevelV4 {
		c.Organization, c.Country = s.first(OIDOrganization), s.country()
		if n := len(s.values(OIDOrganization)); n > 1 {
			notes = append(notes, say("class_several_organizations", fmt.Sprint(n)))
		}
	}
	if r.level == LevelV4 {
		c.Title = s.first(OIDTitle)
	}

	noPerson := (r.level == LevelV2 || r.level == LevelV4) && c.Name == ""
	noOrganization := (r.level == LevelV3 || r.level == LevelV4) && c.Organization == ""
	fallback := Classification{Level: LevelV1, PolicyOID: r.oid, Generation: r.generation}
	switch {
	case noPerson && noOrganization:
		return fallback.because(say("class_missing_person_organization", what...))
	case noPerson:
		return fallback.because(say("class_missing_person", what...))
	case noOrganization:
		return fallback.because(say("class_missing_organization", what...))
	}

	var reason sentence.Text
	switch r.level {
	case LevelV2:
		if c.Pseudonym {
			reason = say("class_v2_pseudonym", what...)
		} else {
			reason = say("class_v2", what...)
		}
	case LevelV3:
		reason = say("class_v3", what...)
	case LevelV4:
		reason = say("class_v4", what...)
	}
	return c.because(append([]sentence.Text{reason}, notes...)...)
}
