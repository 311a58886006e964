package address

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestFromHeader(t *testing.T) {
	for _, tc := range []struct {
		name   string
		header string
		want   Mailbox
		err    error
	}{
		{"plain", "From: alice@example.com\r\nTo: bob@example.com\r\n", Mailbox{"", "alice@example.com"}, nil},
		{"display name", "From: Alice Liddell <alice@example.com>\r\n", Mailbox{"Alice Liddell", "alice@example.com"}, nil},
		{"LF line ends", "Subject: x\nFrom: <alice@example.com>\n", Mailbox{"", "alice@example.com"}, nil},
		{"folded", "From: \"Liddell, Alice\"\r\n <alice@example.com>\r\n", Mailbox{"Liddell, Alice", "alice@example.com"}, nil},
		{"folded with a tab", "From: Alice\r\n\t<alice@example.com>\r\n", Mailbox{"Alice", "alice@example.com"}, nil},
		{"lower-case field name", "from: alice@example.com\r\n", Mailbox{"", "alice@example.com"}, nil},
		{"RFC 2047 Q", "From: =?UTF-8?Q?Ren=C3=A9e?= <renee@example.com>\r\n", Mailbox{"Renée", "renee@example.com"}, nil},
		{"RFC 2047 B", "From: =?utf-8?B?5bGx55Sw6Iqx5a2Q?= <hanako@example.jp>\r\n", Mailbox{"山田花子", "hanako@example.jp"}, nil},
		{"RFC 2047 Latin-1", "From: =?ISO-8859-1?Q?J=F6rg?= <joerg@example.de>\r\n", Mailbox{"Jörg", "joerg@example.de"}, nil},
		{"RFC 2047 unknown charset still gives the address", "From: =?x-unknown?Q?abc?= <a@example.com>\r\n", Mailbox{"abc", "a@example.com"}, nil},
		{"quoted address as display name", "From: \"boss@bank.example\" <eve@evil.example>\r\n", Mailbox{"boss@bank.example", "eve@evil.example"}, nil},
		{"encoded address as display name", "From: =?utf-8?q?boss=40bank.example?= <eve@evil.example>\r\n", Mailbox{"boss@bank.example", "eve@evil.example"}, nil},
		{"comment", "From: eve@evil.example (boss@bank.example)\r\n", Mailbox{"boss@bank.example", "eve@evil.example"}, nil},
		{"comments before and after the display name", "From: (hi (nested \\) )) Eve (there) <eve@evil.example>\r\n", Mailbox{"Eve", "eve@evil.example"}, nil},
		{"comment before the address", "From: (boss@bank.example) eve@evil.example\r\n", Mailbox{"", "eve@evil.example"}, nil},
		{"group with one mailbox", "From: Team: alice@example.com;\r\n", Mailbox{"", "alice@example.com"}, nil},
		{"UTF-8 local part and domain", "From: 山田花子 <山田花子@例え.jp>\r\n", Mailbox{"山田花子", "山田花子@例え.jp"}, nil},
		{"quoted local part stays quoted", "From: \"alice liddell\"@example.com\r\n", Mailbox{"", `"alice liddell"@example.com`}, nil},
		{"quoted dot-atom local part is written plainly", "From: \"alice\"@example.com\r\n", Mailbox{"", "alice@example.com"}, nil},
		{"white space before the colon", "From : alice@example.com\r\n", Mailbox{"", "alice@example.com"}, nil},
		{"mbox separator line", "From alice@example.com Sat Jan  1 00:00:00 2026\r\nFrom: bob@example.com\r\n", Mailbox{"", "bob@example.com"}, nil},
		{"header ends at the blank line", "From: alice@example.com\r\n\r\nFrom: eve@evil.example\r\n", Mailbox{"", "alice@example.com"}, nil},

		{"no From", "To: bob@example.com\r\n", Mailbox{}, ErrNoFrom},
		{"empty header", "", Mailbox{}, ErrNoFrom},
		{"empty From", "From: \r\n", Mailbox{}, ErrNoFrom},
		{"empty group", "From: undisclosed-recipients:;\r\n", Mailbox{}, ErrNoFrom},
		{"From only after the blank line", "To: b@example.com\r\n\r\nFrom: eve@evil.example\r\n", Mailbox{}, ErrNoFrom},
		{"two From fields", "From: alice@example.com\r\nTo: b@example.com\r\nFrom: eve@evil.example\r\n", Mailbox{}, ErrSeveralFrom},
		{"two From fields, different case", "From: alice@example.com\r\nFROM: eve@evil.example\r\n", Mailbox{}, ErrSeveralFrom},
		{"second From with white space before the colon", "From: alice@example.com\r\nFrom : eve@evil.example\r\n", Mailbox{}, ErrSeveralFrom},
		{"first-line From with white space is not an mbox line", "From : eve@evil.example\r\nFrom: alice@example.com\r\n", Mailbox{}, ErrSeveralFrom},
		{"two mailboxes", "From: alice@example.com, eve@evil.example\r\n", Mailbox{}, ErrSeveralFrom},
		{"group with two mailboxes", "From: Team: alice@example.com, eve@evil.example;\r\n", Mailbox{}, ErrSeveralFrom},
		{"unquoted address as display name", "From: boss@bank.example <eve@evil.example>\r\n", Mailbox{}, ErrMalformed},
		{"two angle addresses", "From: <alice@example.com> <eve@evil.example>\r\n", Mailbox{}, ErrMalformed},
		{"encoded word as the address", "From: =?utf-8?q?boss=40bank.example?=\r\n", Mailbox{}, ErrMalformed},
		{"no domain", "From: alice\r\n", Mailbox{}, ErrMalformed},
		{"unbalanced comment", "From: (boss@bank.example eve@evil.example\r\n", Mailbox{}, ErrMalformed},
		// RFC 5322 allows CFWS between the atoms of an addr-spec; net/mail does
		// not, and refusing is the safe side.
		{"comment inside the addr-spec", "From: Eve <eve(hi)@evil.example>\r\n", Mailbox{}, ErrMalformed},
		{"invalid UTF-8", "From: \xff@example.com\r\n", Mailbox{}, ErrMalformed},
		{"line without a colon", "Subject: x\r\nbroken line\r\nFrom: alice@example.com\r\n", Mailbox{}, ErrMalformed},
		{"starts with a continuation", " x\r\nFrom: alice@example.com\r\n", Mailbox{}, ErrMalformed},
		{"field name with a space", "X Y: z\r\nFrom: alice@example.com\r\n", Mailbox{}, ErrMalformed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := FromHeader([]byte(tc.header))
			if !errors.Is(err, tc.err) || (tc.err != nil) != (err != nil) {
				t.Fatalf("FromHeader error = %v, want %v", err, tc.err)
			}
			if err != nil && !strings.HasPrefix(err.Error(), "address: ") {
				t.Errorf("error %q lacks the package prefix", err)
			}
			assert.Equal(t, tc.want, got, "FromHeader")
		})
	}
}

func TestSenderHeader(t *testing.T) {
	for _, tc := range []struct {
		name   string
		header string
		want   Mailbox
		ok     bool
		err    error
	}{
		{"none", "From: alice@example.com\r\n", Mailbox{}, false, nil},
		{"one", "From: alice@example.com\r\nSender: Secretary <sec@example.com>\r\n", Mailbox{"Secretary", "sec@example.com"}, true, nil},
		{"two fields", "Sender: a@example.com\r\nsender: b@example.com\r\n", Mailbox{}, false, ErrSeveralSender},
		{"two mailboxes", "Sender: a@example.com, b@example.com\r\n", Mailbox{}, false, ErrSeveralSender},
		{"malformed", "Sender: a@\r\n", Mailbox{}, false, ErrMalformed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok, err := SenderHeader([]byte(tc.header))
			if !errors.Is(err, tc.err) || (tc.err != nil) != (err != nil) || ok != tc.ok || got != tc.want {
				t.Errorf("SenderHeader = %+v, %v, %v; want %+v, %v, %v", got, ok, err, tc.want, tc.ok, tc.err)
			}
		})
	}
}

func FuzzFromHeader(f *testing.F) {
	for _, s := range []string{
		"From: alice@example.com\r\n",
		"From: \"boss@bank.example\" <eve@evil.example>\r\n",
		"From: =?utf-8?B?5bGx55Sw6Iqx5a2Q?= <hanako@example.jp>\r\n",
		"From: Team: a@example.com, b@example.com;\r\n",
		"From : a@example.com\r\nFROM: b@example.com\r\n",
		"From x\r\nFrom: a@[1.2.3.4]\r\n\r\nbody",
		"From: \"a\\\"b\"@example.com (c) \r\n\t",
		"From: 山田花子 <山田花子@例え.jp>\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, header []byte) {
		m, err := FromHeader(header)
		if err != nil {
			if !errors.Is(err, ErrNoFrom) && !errors.Is(err, ErrSeveralFrom) && !errors.Is(err, ErrMalformed) {
				t.Errorf("unexpected error kind: %v", err)
			}
			return
		}
		if _, _, ok := split(m.Address); !ok {
			t.Errorf("address %q has no local part and domain", m.Address)
		}
		// The address as written must parse back to itself.
		again, err := FromHeader([]byte("From: <" + m.Address + ">\r\n"))
		if err != nil || again.Address != m.Address {
			t.Errorf("address %q does not parse back: %+v, %v", m.Address, again, err)
		}
	})
}

func TestFromHeaderWithRaw8BitName(t *testing.T) {
	m, err := FromHeader([]byte("From: \"Armin H\xe4berling\" <arminha@student.ethz.ch>\r\n"))
	if err != nil || m.Address != "arminha@student.ethz.ch" {
		t.Fatalf("got %+v, %v", m, err)
	}
	if m, err := FromHeader([]byte("From: \"Eva\" <ev\xe4@example.com>\r\n")); !errors.Is(err, ErrMalformed) {
		t.Fatalf("an address with raw 8-bit bytes was accepted: %+v %v", m, err)
	}
}
