package displayname

import (
	"reflect"
	"testing"
)

var (
	v1Eve   = Validated{Level: "V1", Email: "eve@evil.example"}
	v1Alice = Validated{Level: "V1", Email: "alice@example.com"}
	v2Alice = Validated{Level: "V2", Email: "alice@example.com", Name: "Alice Liddell"}
	v3Acme  = Validated{Level: "V3", Email: "sales@acme.example", Organization: "Acme Ltd"}
	v4Alice = Validated{Level: "V4", Email: "alice@acme.example", Name: "Alice Liddell", Organization: "Acme Ltd", Title: "Buyer"}
)

func TestCheck(t *testing.T) {
	cases := []struct {
		name    string
		display string
		v       Validated
		want    []Claim // nil: quiet
	}{
		// Another address or domain.
		{"address at V1", "boss@bank.com", v1Eve, []Claim{{KindAddress, "boss@bank.com"}}},
		{"address inside words", "Boss (boss@bank.com) via Bank", v1Eve, []Claim{{KindAddress, "boss@bank.com"}, {KindOrganization, "Boss (boss@bank.com) via Bank"}}},
		{"address at V4", "ceo@other.example", v4Alice, []Claim{{KindAddress, "ceo@other.example"}}},
		{"full-width at sign", "boss＠bank.com", v1Eve, []Claim{{KindAddress, "boss@bank.com"}}},
		{"domain", "bank.com", v1Eve, []Claim{{KindDomain, "bank.com"}}},
		{"domain beside a name", "Eve | paypal.com", v1Eve, []Claim{{KindDomain, "paypal.com"}}},

		// An organization or a person the certificate does not carry.
		{"organization at V1", "Acme Bank", v1Eve, []Claim{{KindOrganization, "Acme Bank"}}},
		{"legal form at V1", "Globex Corp.", v1Eve, []Claim{{KindOrganization, "Globex Corp."}}},
		{"organization role at V1", "PayPal Support", v1Eve, []Claim{{KindOrganization, "PayPal Support"}}},
		{"other organization at V2", "Acme Ltd", v2Alice, []Claim{{KindOrganization, "Acme Ltd"}}},
		{"other person at V2", "Bob Smith", v2Alice, []Claim{{KindPerson, "Bob Smith"}}},
		{"other organization at V3", "Globex Ltd", v3Acme, []Claim{{KindOrganization, "Globex Ltd"}}},
		{"person at V3", "Alice Liddell", v3Acme, []Claim{{KindPerson, "Alice Liddell"}}},
		{"other person at V4", "Bob Smith", v4Alice, []Claim{{KindPerson, "Bob Smith"}}},
		{"other organization at V4", "Alice Liddell, First National Bank", v4Alice, []Claim{{KindOrganization, "Alice Liddell, First National Bank"}}},

		// Unicode tricks.
		{"bidi override", "Alice \u202emoc.knab\u202c", v1Alice, []Claim{{KindUnicode, "bidi"}}},
		{"bidi isolate", "\u2067Alice\u2069", v1Alice, []Claim{{KindUnicode, "bidi"}}},
		{"invisible character", "Ali\u200bce", v1Alice, []Claim{{KindUnicode, "invisible"}}},
		{"look-alike of the signer's address", "аlice@example.com", v1Alice, []Claim{{KindUnicode, "look-alike"}}},
		{"look-alike of another domain", "bаnk.com", v1Eve, []Claim{{KindDomain, "bank.com"}, {KindUnicode, "look-alike"}}},

		// Quiet: what the certificate carries, or nothing at all.
		{"empty", "", v1Alice, nil},
		{"person's name at V1", "Alice Example", v1Alice, nil},
		{"person's name in Chinese at V1", "山田花子", Validated{Level: "V1", Email: "山田花子@例え.jp"}, nil},
		{"person's name in Cyrillic at V1", "Иван Петров", Validated{Level: "V1", Email: "ivan@example.ru"}, nil},
		{"own address at V1", "eve@evil.example", v1Eve, nil},
		{"own address in capitals", "Eve <EVE@EVIL.EXAMPLE>", v1Eve, nil},
		{"own domain", "Alice (example.com)", v1Alice, nil},
		{"own domain in Unicode, the certificate's in punycode", "Bücher (bücher.example)", Validated{Level: "V1", Email: "user@xn--bcher-kva.example"}, nil},
		{"own domain in punycode, the certificate's in Unicode", "xn--bcher-kva.example", Validated{Level: "V1", Email: "user@bücher.example"}, nil},
		{"own parent domain", "Acme", Validated{Level: "V1", Email: "a@mail.acme.example"}, nil},
		{"dotted name, not a domain", "Mr.Smith", v1Alice, nil},
		{"initials", "J. R. R. Tolkien", v1Alice, nil},
		{"role alone at V1", "Support", v1Alice, nil},
		{"person's own name at V2", "Alice Liddell", v2Alice, nil},
		{"first name at V2", "Alice", v2Alice, nil},
		{"initial and surname at V2", "A. Liddell", v2Alice, nil},
		{"name and surname reversed at V2", "Liddell, Alice", v2Alice, nil},
		{"accents dropped at V2", "Alíce Lìddell", v2Alice, nil},
		{"organization's own name at V3", "Acme Ltd", v3Acme, nil},
		{"organization without legal form at V3", "Acme", v3Acme, nil},
		{"organization and role at V3", "Acme Sales", v3Acme, nil},
		{"Support at V3", "Support", v3Acme, nil},
		{"a name beside a pseudonym at V2", "Alice Example", Validated{Level: "V2", Email: "alice@example.com", Name: "Dodo", Pseudonym: true}, nil},
		{"an organization beside a pseudonym at V2", "Acme Bank", Validated{Level: "V2", Email: "alice@example.com", Name: "Dodo", Pseudonym: true}, []Claim{{KindOrganization, "Acme Bank"}}},
		{"person's own name at V4", "Alice Liddell", v4Alice, nil},
		{"person and organization at V4", "Alice Liddell (Acme Ltd)", v4Alice, nil},
		{"organization at V4", "Acme", v4Alice, nil},
		{"first name and surname elsewhere at V4", "Alice Example", v4Alice, nil},
		{"zero-width joiner in an emoji", "Alice 👩\u200d💻", v1Alice, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := Check(c.display, c.v)
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("Check(%q, %s) = %v, want %v", c.display, c.v.Level, got, c.want)
			}
		})
	}
}

func TestIsDomain(t *testing.T) {
	for tok, want := range map[string]bool{
		"bank.com": true, "mail.bank.co.uk": true, "xn--bcher-kva.example": true, "acme.de": true,
		"mr.smith": false, "j.r.r.": false, "bank.": false, ".com": false, "a-.com": false, "1.5": false,
	} {
		if got := isDomain(tok); got != want {
			t.Errorf("isDomain(%q) = %v, want %v", tok, got, want)
		}
	}
}
