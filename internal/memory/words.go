package memory

import (
	"fmt"
	"strings"
)

// Code names a memory warning's sentence. The extension's locales hold each as the message
// "memory_<code with - as _>", with the warning's Args as $1, $2, …; TestEveryCodeHasWords keeps
// them in step with this table.
type Code string

const (
	UsuallySigns        Code = "memory-usually-signs"
	LowerLevel          Code = "memory-lower-level"
	OtherIdentity       Code = "memory-other-identity"
	OtherCA             Code = "memory-other-ca"
	DomainUsuallySigns  Code = "memory-domain-usually-signs"
	ExpectedSigned      Code = "memory-expected-signed"
	ExpectedLevel       Code = "memory-expected-level"
	LookalikeConfusable Code = "memory-lookalike-confusable"
	LookalikeScript     Code = "memory-lookalike-script"
	LookalikeSuffix     Code = "memory-lookalike-suffix"
	LookalikeWord       Code = "memory-lookalike-word"
	LookalikeSubdomain  Code = "memory-lookalike-subdomain"
	LookalikeEdit       Code = "memory-lookalike-edit"
	ClaimsOrganization  Code = "memory-claims-organization"
)

type wording struct {
	severity Severity
	en       string // with %[n]s for Args[n-1]
}

func (w wording) sentence(args []string) string {
	a := make([]any, len(args))
	for i, s := range args {
		a[i] = s
	}
	return fmt.Sprintf(w.en, a...)
}

// Args returns how many arguments the sentence quotes.
func (c Code) Args() int { return strings.Count(words[c].en, "%[") }

// words is the English of every code, and how it is shown.
var words = map[Code]wording{
	UsuallySigns:        {Danger, "%[1]s signed its previous %[2]s messages at %[3]s; this one is not signed"},
	LowerLevel:          {Danger, "%[1]s signed its previous %[2]s messages at %[3]s; this one is signed at only %[4]s"},
	OtherIdentity:       {Danger, "%[1]s signed before as %[2]s; this certificate is for %[3]s"},
	OtherCA:             {Note, "%[1]s signed before with a certificate from %[2]s; this one, for the same identity, is from %[3]s"},
	DomainUsuallySigns:  {Caution, "Mail from %[1]s is usually signed (%[2]s of its senders sign at %[3]s or above); this message from another of its addresses is not signed"},
	ExpectedSigned:      {Danger, "Your administrator expects mail from %[1]s to be signed at %[2]s or above; this message is not"},
	ExpectedLevel:       {Danger, "Your administrator expects mail from %[1]s to be signed at %[2]s or above; this message is signed at only %[3]s"},
	LookalikeConfusable: {Danger, "The sender's domain %[1]s is written to look like %[2]s, which you know from signed mail"},
	LookalikeScript:     {Danger, "The sender's domain %[1]s uses letters of another script to look like %[2]s, which you know from signed mail"},
	LookalikeSuffix:     {Danger, "The sender's domain %[1]s has the name of %[2]s, which you know from signed mail, under another ending"},
	LookalikeWord:       {Danger, "The sender's domain %[1]s adds a word to %[2]s, which you know from signed mail"},
	LookalikeSubdomain:  {Danger, "The sender's domain %[1]s begins with %[2]s, which you know from signed mail, but belongs to someone else"},
	LookalikeEdit:       {Danger, "The sender's domain %[1]s is one letter away from %[2]s, which you know from signed mail"},
	ClaimsOrganization:  {Danger, "The sender's name “%[1]s” names an organization you know from signed mail from %[2]s, but this message comes from %[3]s"},
}
