package address

import "testing"

func TestEqual(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want bool
		why  string
	}{
		{"alice@example.com", "alice@example.com", true, "identical"},
		{"Alice@Example.COM", "alice@example.com", true, "ASCII case is ignored in both parts"},
		{"alice+news@example.com", "alice@example.com", false, "+tags are significant"},
		{"a.lice@example.com", "alice@example.com", false, "dots are significant"},
		{"alice@example.com", "alice@example.org", false, "different domain"},
		{"alice@mail.example.com", "alice@example.com", false, "subdomain"},
		{"alice@bücher.example", "alice@xn--bcher-kva.example", true, "U-label equals A-label"},
		{"alice@BÜCHER.example", "alice@bücher.example", true, "UTS #46 maps case"},
		{"alice@ｅｘａｍｐｌｅ.com", "alice@example.com", true, "UTS #46 maps full-width letters, as DNS lookup would"},
		{"alice@\u0435xample.com", "alice@example.com", false, "Cyrillic е homograph"},
		{"alice@xn--xample-2of.com", "alice@example.com", false, "the homograph's A-label"},
		{"alice@\u0435xample.com", "alice@xn--xample-2of.com", true, "the homograph equals its own A-label"},
		{"a@straße.de", "a@strasse.de", false, "non-transitional: ß is not ss"},
		{"a@straße.de", "a@xn--strae-oqa.de", true, "non-transitional A-label of ß"},
		{"山田花子@example.com", "山田花子@example.com", true, "UTF-8 local part"},
		{"山田花子@example.com", "山田太郎@example.com", false, "different UTF-8 local part"},
		{"jos\u00e9@example.com", "jose\u0301@example.com", true, "NFC"},
		{"Ñandú@example.com", "ñandú@example.com", false, "no Unicode case folding"},
		{"\u212Aelvin@example.com", "kelvin@example.com", false, "Kelvin sign is not k"},
		{"ﬁle@example.com", "file@example.com", false, "no compatibility folding of the local part"},
		{`"alice"@example.com`, "alice@example.com", true, "quoting does not matter"},
		{`"alice liddell"@example.com`, "alice liddell@example.com", true, "quoted local part unquoted"},
		{`"a\"b"@example.com`, `a"b@example.com`, true, "quoted-pair"},
		{`"a@b"@example.com`, `"A@B"@EXAMPLE.com`, true, "split at the last @"},
		{`"a@b"@example.com`, "b@example.com", false, "the quoted @ is part of the local part"},
		{"a@[192.0.2.1]", "a@[192.0.2.1]", true, "domain literal"},
		{"a@[192.0.2.1]", "a@[192.0.2.2]", false, "different domain literal"},
		{"a@foo_bar.example", "A@FOO_BAR.example", true, "ASCII domain UTS #46 refuses compares as written"},
		{"a@foo_bar.example", "a@foobar.example", false, "underscore is significant"},
		{"a@\u200dexample.com", "a@\u200dexample.com", false, "non-ASCII domain UTS #46 refuses equals nothing"},
		{"a@example.com.", "a@example.com", false, "a trailing dot is another name"},
		{"alice", "alice", false, "no @"},
		{"@example.com", "@example.com", false, "empty local part"},
		{"a@", "a@", false, "empty domain"},
		{"", "", false, "empty"},
	} {
		if got := Equal(tc.a, tc.b); got != tc.want {
			t.Errorf("Equal(%q, %q) = %v, want %v: %s", tc.a, tc.b, got, tc.want, tc.why)
		}
		if got := Equal(tc.b, tc.a); got != tc.want {
			t.Errorf("Equal(%q, %q) = %v, want %v (reversed): %s", tc.b, tc.a, got, tc.want, tc.why)
		}
	}
}

func TestAddrSpec(t *testing.T) {
	for in, want := range map[string]string{
		"alice@example.com":   "alice@example.com",
		"a b@example.com":     `"a b"@example.com`,
		`a"b@example.com`:     `"a\"b"@example.com`,
		"a@b@example.com":     `"a@b"@example.com`,
		".a@example.com":      `".a"@example.com`,
		"山田花子@例え.jp":          "山田花子@例え.jp",
		"o'neil+x@example.ie": "o'neil+x@example.ie",
	} {
		if got := addrSpec(in); got != want {
			t.Errorf("addrSpec(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzEqual(f *testing.F) {
	f.Add("Alice@Example.com", "alice@example.com")
	f.Add("a@bücher.example", "a@xn--bcher-kva.example")
	f.Add(`"a@b"@[x@y]`, "a@[x@y]")
	f.Add("jos\u00e9@x", "jose\u0301@x")
	f.Fuzz(func(t *testing.T, a, b string) {
		if Equal(a, b) != Equal(b, a) {
			t.Errorf("Equal(%q, %q) is not symmetric", a, b)
		}
	})
}
