package address

import (
	"fmt"
	"strings"
	"testing"
)

func TestMailboxes(t *testing.T) {
	header := "From: a@example.com\r\n" +
		"To: Bob <bob@example.com>, =?utf-8?q?Ren=C3=A9e?= <renee@example.com>\r\n" +
		"Cc: undisclosed-recipients:;\r\n" +
		"To: (team) carol@example.com\r\n" +
		"Reply-To: <<not an address\r\n" +
		"To: \"D\xe4ve\" <dave@example.com>, \"x\" <m\xe4x@example.com>\r\n"
	got, err := Mailboxes([]byte(header), "To", 10)
	if err != nil {
		t.Fatal(err)
	}
	want := []Mailbox{{"Bob", "bob@example.com"}, {"Renée", "renee@example.com"}, {"", "carol@example.com"}, {"D\uFFFDve", "dave@example.com"}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("To = %v, want %v (an address with bytes that are not UTF-8 is left out)", got, want)
	}
	if got, _ := Mailboxes([]byte(header), "To", 2); len(got) != 2 {
		t.Errorf("max 2 gave %d mailboxes", len(got))
	}
	for _, name := range []string{"Cc", "Reply-To", "Bcc"} {
		if got, err := Mailboxes([]byte(header), name, 10); err != nil || len(got) != 0 {
			t.Errorf("%s = %v, %v; want none (an empty group, a field that does not parse, no field)", name, got, err)
		}
	}
	if _, err := Mailboxes([]byte("To a@example.com\r\n"), "To", 10); err == nil {
		t.Error("a header line without a colon gave no error")
	}
}

func TestMailboxesBoundsAHostileList(t *testing.T) {
	header := "To: " + strings.Repeat("x@example.com, ", 100000) + "y@example.com\r\n"
	got, err := Mailboxes([]byte(header), "To", 100)
	if err != nil || len(got) != 100 {
		t.Fatalf("got %d mailboxes, %v; want 100", len(got), err)
	}
}

func TestDecodeText(t *testing.T) {
	for in, want := range map[string]string{
		"Quarterly figures":                                    "Quarterly figures",
		"=?utf-8?B?5a2j5bqm5oql5ZGK?=":                         "季度报告",
		"=?ISO-8859-1?Q?Gr=FC=DFe?= aus =?utf-8?q?K=C3=B6ln?=": "Grüße aus Köln",
		"=?utf-8?q?unterminated":                               "=?utf-8?q?unterminated",
	} {
		if got := DecodeText(in); got != want {
			t.Errorf("DecodeText(%q) = %q, want %q", in, got, want)
		}
	}
}
