package classify

import "testing"

func TestBanner(t *testing.T) {
	const email = "hanako.yamada@example.com"
	for _, tc := range []struct {
		name string
		c    Classification
		want string
	}{
		{"V1", Classification{Level: LevelV1},
			"V1 · hanako.yamada@example.com · Email Validated, Identity Not Validated"},
		{"V1 ignores fields a hand-built value carries", Classification{Level: LevelV1, Name: "Boss", Organization: "Bank"},
			"V1 · hanako.yamada@example.com · Email Validated, Identity Not Validated"},
		{"V2", Classification{Level: LevelV2, Name: "YAMADA Hanako"},
			"V2 · hanako.yamada@example.com · YAMADA Hanako, Identity Validated"},
		{"V2 pseudonym", Classification{Level: LevelV2, Name: "Dodo", Pseudonym: true},
			"V2 · hanako.yamada@example.com · Dodo (pseudonym), Identity Validated"},
		{"V2 never shows an organization", Classification{Level: LevelV2, Name: "Hanako", Organization: "Acme", Title: "CEO"},
			"V2 · hanako.yamada@example.com · Hanako, Identity Validated"},
		{"V3 with country", Classification{Level: LevelV3, Organization: "Acme Industries, Ltd.", Country: "JP"},
			"V3 · hanako.yamada@example.com · Acme Industries, Ltd. (JP), Identity Validated and Trusted"},
		{"V3 without country", Classification{Level: LevelV3, Organization: "Acme"},
			"V3 · hanako.yamada@example.com · Acme, Identity Validated and Trusted"},
		{"V3 never shows a name", Classification{Level: LevelV3, Organization: "Acme", Name: "Boss"},
			"V3 · hanako.yamada@example.com · Acme, Identity Validated and Trusted"},
		{"V4", Classification{Level: LevelV4, Name: "YAMADA Hanako", Organization: "Acme", Country: "JP", Title: "Buyer"},
			"V4 · hanako.yamada@example.com · YAMADA Hanako, Acme (JP), Buyer, Identity Validated and Trusted"},
		{"V4 without title", Classification{Level: LevelV4, Name: "YAMADA Hanako", Organization: "Acme"},
			"V4 · hanako.yamada@example.com · YAMADA Hanako, Acme, Identity Validated and Trusted"},
		{"V4 pseudonym", Classification{Level: LevelV4, Name: "Agent 7", Pseudonym: true, Organization: "Acme"},
			"V4 · hanako.yamada@example.com · Agent 7 (pseudonym), Acme, Identity Validated and Trusted"},
		{"V3 without organization falls back", Classification{Level: LevelV3},
			"V1 · hanako.yamada@example.com · Email Validated, Identity Not Validated"},
		{"V4 without name falls back", Classification{Level: LevelV4, Organization: "Acme", Title: "CEO"},
			"V1 · hanako.yamada@example.com · Email Validated, Identity Not Validated"},
		{"unknown level falls back", Classification{Level: "V9", Name: "x"},
			"V1 · hanako.yamada@example.com · Email Validated, Identity Not Validated"},
		{"no level, no banner", Classification{Name: "x"}, ""},
		{"fields are cleaned again", Classification{Level: LevelV4, Name: "Ali\u202Ece\n", Organization: "Ac\u200bme", Title: "\x00CEO", Country: "J\u200bP"},
			"V4 · hanako.yamada@example.com · Alice, Acme (JP), CEO, Identity Validated and Trusted"},
		{"a name that cleans to nothing falls back", Classification{Level: LevelV2, Name: "\u200b\u202e"},
			"V1 · hanako.yamada@example.com · Email Validated, Identity Not Validated"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Banner(tc.c, email); got != tc.want {
				t.Errorf("Banner:\n got %q\nwant %q", got, tc.want)
			}
		})
	}
}

func TestBannerCleansTheAddress(t *testing.T) {
	got := Banner(Classification{Level: LevelV1}, "moc.evil\u202e@bank.example\r\n")
	if want := "V1 · moc.evil@bank.example · Email Validated, Identity Not Validated"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
