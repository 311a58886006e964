package main

import (
	"github.com/mailseal/mailseal/internal/classify"
	"github.com/mailseal/mailseal/internal/smime"
)

// headline is the first line `mailseal verify` prints: for a valid signature, the severity word
// the extension's banner shows, then the core's banner sentence. What was validated decides the
// word: a person or an organization (V2–V4) is "Verified"; the address alone (V1) is only
// "Address confirmed"; a display name claiming more than the certificate carries makes any
// level "Check the sender" (the reasons say what it claimed). Every other status's banner
// already starts with its own words.
func headline(r *smime.Report) string {
	if r.Status != smime.StatusValid || r.Level == classify.LevelNone {
		return r.Banner
	}
	switch {
	case len(r.Warnings) > 0:
		return "Check the sender: " + r.Banner
	case r.Level == classify.LevelV1:
		return "Address confirmed: " + r.Banner
	default:
		return "Verified: " + r.Banner
	}
}
