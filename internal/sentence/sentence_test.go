package sentence

import (
	"strings"
	"testing"
)

func TestNewRendersItsEnglish(t *testing.T) {
	got := New("message_partial", "2").String()
	if got != "only part 2 of the message is signed" {
		t.Fatalf("got %q", got)
	}
	with := New("crl_set_aside", "CA").With(New("crl_delta")).String()
	if with != `the revocation list of "CA" was set aside; it is a delta list, not a complete one` {
		t.Fatalf("clauses: %q", with)
	}
}

func TestNewRefusesWhatTheTableDoesNotSay(t *testing.T) {
	for name, call := range map[string]func(){
		"unknown code":  func() { New("no_such_code") },
		"too few args":  func() { New("message_partial") },
		"too many args": func() { New("message_unsigned", "x") },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			call()
		}()
	}
}

// TestArgumentsAreNotTemplates: an argument holding "$1" (a name from a certificate) is
// printed as it is, never expanded again.
func TestArgumentsAreNotTemplates(t *testing.T) {
	if got := New("error", "$1 $$ $2").String(); got != "$1 $$ $2" {
		t.Fatalf("got %q", got)
	}
}

// TestTable: codes are names a locale file can use, and each template's arguments run from
// $1 without a gap, so a translation can place each one.
func TestTable(t *testing.T) {
	for _, e := range Table() {
		if strings.Trim(e.Code, "abcdefghijklmnopqrstuvwxyz0123456789_") != "" {
			t.Errorf("%s: a code is lower case letters, digits and _", e.Code)
		}
		for i := 1; i <= e.Args; i++ {
			if !strings.Contains(e.English, "$"+string(rune('0'+i))) {
				t.Errorf("%s: $%d is never used", e.Code, i)
			}
		}
	}
}

func TestMapReachesEveryClause(t *testing.T) {
	got := New("crl_set_aside", "a").With(New("crl_future", "b")).Map(strings.ToUpper)
	if got.Args[0] != "A" || got.Then[0].Args[0] != "B" {
		t.Fatalf("got %+v", got)
	}
}
