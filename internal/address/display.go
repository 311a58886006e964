package address

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"unicode"

	"golang.org/x/net/idna"
)

// Display returns addr as a reader should see it. When its domain is internationalised,
// the Unicode form comes first and the A-label form beside it in parentheses,
// "user@bücher.example (user@xn--bcher-kva.example)", so that a look-alike letter
// (billing@pаypal.com with a Cyrillic а) shows as the different domain it is
// (billing@xn--pypal-4ve.com). Other addresses are returned as they are.
func Display(addr string) string {
	local, domain, ok := split(addr)
	if !ok {
		return addr
	}
	ascii, err := domainProfile.ToASCII(domain)
	if err != nil || !strings.Contains(ascii, "xn--") {
		return addr
	}
	unicodeForm, err := idna.Display.ToUnicode(ascii)
	if err != nil {
		unicodeForm = domain
	}
	return fmt.Sprintf("%s@%s (%s@%s)", local, unicodeForm, local, ascii)
}

// MixedScripts describes each part of addr (the local part and each label of the domain,
// in Unicode form) whose letters come from more than one script, such as "pаypal" with a
// Cyrillic а among Latin letters. Han with Hiragana and Katakana, with Bopomofo, or with
// Hangul, each with Latin, are the combinations UTS #39 calls highly restrictive and are
// not reported.
func MixedScripts(addr string) []string {
	local, domain, ok := split(addr)
	if !ok {
		return nil
	}
	if ascii, err := domainProfile.ToASCII(domain); err == nil {
		if u, err := idna.Display.ToUnicode(ascii); err == nil {
			domain = u
		}
	}
	var out []string
	check := func(what, part string) {
		if scripts := scriptsOf(part); mixed(scripts) {
			out = append(out, fmt.Sprintf("%s %q mixes %s letters", what, part, strings.Join(scripts, " and ")))
		}
	}
	check("the local part", unquote(local))
	for _, label := range strings.Split(domain, ".") {
		check("the domain label", label)
	}
	return out
}

// scriptsOf lists the scripts of the letters in s, sorted; digits, marks and punctuation have none.
func scriptsOf(s string) []string {
	var scripts []string
	for _, r := range s {
		if r < 0x80 {
			if 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' {
				scripts = addScript(scripts, "Latin")
			}
			continue
		}
		if !unicode.IsLetter(r) {
			continue
		}
		name := "another"
		for _, sc := range scriptTables {
			if unicode.Is(sc.table, r) {
				name = sc.name
				break
			}
		}
		scripts = addScript(scripts, name)
	}
	sort.Strings(scripts)
	return scripts
}

// scriptTables are the scripts an address is told apart by: those of the confusable letters
// (UTS #39) and of the languages whose addresses mailseal has seen. A letter of any other
// script counts as "another", so it still makes a label mixed. The list is short on purpose:
// unicode.Scripts would link every table into the WebAssembly module (40 KB gzip).
var scriptTables = []struct {
	name  string
	table *unicode.RangeTable
}{
	{"Latin", unicode.Latin}, {"Cyrillic", unicode.Cyrillic}, {"Greek", unicode.Greek},
	{"Armenian", unicode.Armenian}, {"Georgian", unicode.Georgian}, {"Cherokee", unicode.Cherokee},
	{"Hebrew", unicode.Hebrew}, {"Arabic", unicode.Arabic}, {"Devanagari", unicode.Devanagari},
	{"Thai", unicode.Thai}, {"Han", unicode.Han}, {"Hiragana", unicode.Hiragana},
	{"Katakana", unicode.Katakana}, {"Hangul", unicode.Hangul}, {"Bopomofo", unicode.Bopomofo},
}

func addScript(scripts []string, name string) []string {
	if slices.Contains(scripts, name) {
		return scripts
	}
	return append(scripts, name)
}

// restrictive are the script sets UTS #39 §5.2 allows in one identifier beside one script.
var restrictive = [][]string{
	{"Han", "Hiragana", "Katakana", "Latin"},
	{"Bopomofo", "Han", "Latin"},
	{"Hangul", "Han", "Latin"},
}

func mixed(scripts []string) bool {
	if len(scripts) < 2 {
		return false
	}
	for _, allowed := range restrictive {
		if !slices.ContainsFunc(scripts, func(s string) bool { return !slices.Contains(allowed, s) }) {
			return false
		}
	}
	return true
}
