package smime

import (
	"github.com/mailseal/mailseal/internal/classify"
	"github.com/mailseal/mailseal/internal/displayname"
	"github.com/mailseal/mailseal/internal/sentence"
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
		o.check("display-name", true, say("display_name_ok", o.From.DisplayName))
		return
	}
	var details []sentence.Text
	for _, c := range claims {
		w := Warning{Kind: "display-name-" + string(c.Kind), Claim: classify.CleanText(c.Text, classify.DefaultMax)}
		why := displayNameSentence(s.Email, o.From.DisplayName, w.Claim, c.Kind)
		w.Detail = classify.CleanText(why.String(), maxReasonLength)
		o.Warnings = append(o.Warnings, w)
		o.reason(why)
		details = append(details, why)
	}
	o.check("display-name", false, details[0].With(details[1:]...))
}

// displayNameSentence says what the display name claimed, after the address that really signed.
func displayNameSentence(signer, name, claim string, k displayname.Kind) sentence.Text {
	switch k {
	case displayname.KindAddress:
		return say("display_name_address", signer, name, claim)
	case displayname.KindDomain:
		return say("display_name_domain", signer, name, claim)
	case displayname.KindOrganization:
		return say("display_name_organization", signer, name)
	case displayname.KindPerson:
		return say("display_name_person", signer, name)
	}
	switch claim {
	case "bidi":
		return say("display_name_bidi", signer)
	case "invisible":
		return say("display_name_invisible", signer)
	default:
		return say("display_name_lookalike", signer)
	}
}
