package lookalike

import "testing"

func TestMatch(t *testing.T) {
	x := NewIndex([]string{"example-bank.example", "mail.tax-office.gov.uk", "paypal.com", "hsbc.co.uk", "ab.example", "acme.com"})
	tests := []struct {
		domain string
		known  string
		kind   Kind
		puny   bool
		mixed  bool
	}{
		{domain: "examp1e-bank.example", known: "example-bank.example", kind: Confusable},
		{domain: "xn--exmple-bank-zij.example", known: "example-bank.example", kind: Confusable, puny: true, mixed: true}, // Cyrillic а
		{domain: "еxample-bank.example", known: "example-bank.example", kind: Confusable, puny: true, mixed: true},        // typed as Unicode
		{domain: "paypa1.com", known: "paypal.com", kind: Confusable},
		{domain: "rnodern-paypal.com", kind: ""},
		{domain: "example-bank.net", known: "example-bank.example", kind: OtherSuffix},
		{domain: "tax-office.co.uk", known: "tax-office.gov.uk", kind: OtherSuffix},
		{domain: "example-bank-secure.example", known: "example-bank.example", kind: AddedWord},
		{domain: "secureexample-bank.com", known: "example-bank.example", kind: AddedWord},
		{domain: "paypal-support.com", known: "paypal.com", kind: AddedWord},
		{domain: "paypal.com.evil.example", known: "paypal.com", kind: Subdomain},
		{domain: "exampel-bank.example", known: "example-bank.example", kind: EditDistance},
		{domain: "example-banks.example", known: "example-bank.example", kind: EditDistance},
		{domain: "exmple-bank.example", known: "example-bank.example", kind: EditDistance},
		{domain: "paypol.com", known: "paypal.com", kind: EditDistance},
		// Quiet.
		{domain: "example-bank.example"},
		{domain: "news.example-bank.example"},
		{domain: "hsbc.co.uk"},
		{domain: "hsbd.co.uk"}, // 4 letters: too short for edit distance
		{domain: "ac.example"},
		{domain: "unrelated.example"},
		{domain: "example-farm.example"},
		{domain: "acme-bank.com"},  // another organization's name with an ordinary word
		{domain: "acme-group.net"}, // the same
		{domain: "acme-login.com", known: "acme.com", kind: AddedWord},
		{domain: "not a domain"},
		{domain: ""},
	}
	for _, tt := range tests {
		m, ok := x.Match(tt.domain)
		if ok != (tt.kind != "") || m.Known != tt.known || m.Kind != tt.kind {
			t.Errorf("Match(%q) = %+v, %v; want %s %s", tt.domain, m, ok, tt.kind, tt.known)
			continue
		}
		if ok && (m.Punycode != tt.puny || m.MixedScript != tt.mixed) {
			t.Errorf("Match(%q) punycode %v mixed %v; want %v %v", tt.domain, m.Punycode, m.MixedScript, tt.puny, tt.mixed)
		}
	}
}

func TestSkeleton(t *testing.T) {
	for _, pair := range [][2]string{{"examp1e", "example"}, {"g00gle", "google"}, {"rnodern", "modern"}, {"раураl", "paypal"}, {"ЕXAMPLE", "example"}} {
		if Skeleton(pair[0]) != Skeleton(pair[1]) {
			t.Errorf("Skeleton(%q) = %q, Skeleton(%q) = %q; want equal", pair[0], Skeleton(pair[0]), pair[1], Skeleton(pair[1]))
		}
	}
	if Skeleton("example") == Skeleton("exarnple-x") {
		t.Error("different names share a skeleton")
	}
	if UnicodeVersion == "" || len(prototypes) < 1000 {
		t.Errorf("confusables table: version %q, %d entries", UnicodeVersion, len(prototypes))
	}
}

func TestMixedScript(t *testing.T) {
	for s, want := range map[string]bool{"paypal": false, "раураl": true, "пример": false, "bank-1": false, "例子": false, "ex例": true} {
		if got := MixedScript(s); got != want {
			t.Errorf("MixedScript(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestDistance(t *testing.T) {
	for _, c := range []struct {
		a, b string
		d    int
	}{{"example", "exampel", 1}, {"example", "example", 0}, {"abc", "", 3}, {"kitten", "sitting", 3}} {
		if got := distance(c.a, c.b); got != c.d {
			t.Errorf("distance(%q, %q) = %d, want %d", c.a, c.b, got, c.d)
		}
	}
}
