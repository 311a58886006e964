package smime

import (
	"fmt"
	"strings"

	"github.com/mailseal/mailseal/internal/classify"
	"github.com/mailseal/mailseal/internal/displayname"
)

// checkDisplayName compares the From display name of a valid, levelled report with what the
// certificate validated (package displayname) and turns each claim it does not carry into a
// warning and a reason. The status and the level stay: the signature is good, only the name
// the reader sees first is not what was signed. It also leaves the display name in From cleaned
// for display, whatever the status.
func (o *outcome) checkDisplayName() {
	if o.From == nil {
		return
	}
	raw := o.From.DisplayName
	o.From.DisplayName = classify.CleanText(raw, classify.DefaultMax)
	o.From.Address = classify.CleanText(o.From.Address, 2*classify.DefaultMax)
	if o.Status != StatusValid || o.Level == classify.LevelNone || o.Signer == nil || raw == "" {
		return
	}
	s := o.Signer
	claims := displayname.Check(raw, displayname.Validated{
		Level: string(o.Level), Email: s.Email, Name: s.Name, Pseudonym: s.Pseudonym, Organization: s.Organization, Title: s.Title,
	})
	if len(claims) == 0 {
		o.check("display-name", true, fmt.Sprintf("the From display name %q claims nothing the certificate does not carry", o.From.DisplayName))
		return
	}
	var details []string
	for _, c := range claims {
		w := Warning{Kind: "display-name-" + string(c.Kind), Claim: classify.CleanText(c.Text, classify.DefaultMax)}
		w.Detail = classify.CleanText(displayNameSentence(s.Email, o.From.DisplayName, w.Claim, c.Kind), maxReasonLength)
		o.Warnings = append(o.Warnings, w)
		o.Reasons = append(o.Reasons, w.Detail)
		details = append(details, w.Detail)
	}
	o.check("display-name", false, strings.Join(details, "; "))
}

// displayNameSentence says what the display name claimed, after the address that really signed.
func displayNameSentence(signer, name, claim string, k displayname.Kind) string {
	prefix := "signed by " + signer + ", but the display name "
	switch k {
	case displayname.KindAddress:
		return prefix + fmt.Sprintf("%q shows another address, %s", name, claim)
	case displayname.KindDomain:
		return prefix + fmt.Sprintf("%q names another domain, %s", name, claim)
	case displayname.KindOrganization:
		return prefix + fmt.Sprintf("%q names an organization the certificate does not validate", name)
	case displayname.KindPerson:
		return prefix + fmt.Sprintf("%q names a person the certificate does not validate", name)
	}
	switch claim {
	case "bidi":
		return prefix + "holds bidirectional control characters, which change the order it reads in"
	case "invisible":
		return prefix + "holds invisible characters, which make different names look the same"
	default:
		return prefix + "uses look-alike letters of another script to imitate an address or a domain"
	}
}
