package classify

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
)

var oidEmailAttr = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 1}

func subj(a ...pkix.AttributeTypeAndValue) []pkix.AttributeTypeAndValue { return a }

var (
	mailboxSubject = subj(attr(OIDCommonName, "hanako.yamada@example.com"), attr(oidEmailAttr, "hanako.yamada@example.com"))
	personSubject  = subj(attr(OIDGivenName, "Hanako"), attr(OIDSurname, "Yamada"), attr(OIDCommonName, "YAMADA Hanako"))
	orgSubject     = subj(attr(OIDCountry, "JP"), attr(OIDOrganizationID, "LEIXG-AEYE00EKXESVZUUEBP67"), attr(OIDOrganization, "Acme Industries, Ltd."))
	sponsorSubject = subj(attr(OIDCountry, "JP"), attr(OIDOrganizationID, "LEIXG-AEYE00EKXESVZUUEBP67"), attr(OIDOrganization, "Acme Industries, Ltd."),
		attr(OIDGivenName, "Hanako"), attr(OIDSurname, "Yamada"), attr(OIDCommonName, "YAMADA Hanako"), attr(OIDTitle, "Buyer"))
)

type classifyCase struct {
	name   string
	p      profile
	want   Classification // Reason is checked with reason, not equality
	reason string         // a substring the reason must contain
}

// generationCases covers every validation type in every generation.
func generationCases() []classifyCase {
	var cases []classifyCase
	for gen, genName := range map[string]string{"1": "legacy", "2": "multipurpose", "3": "strict"} {
		for _, c := range []struct {
			typ     string
			subject []pkix.AttributeTypeAndValue
			want    Classification
			reason  string
		}{
			{"1", mailboxSubject, Classification{Level: LevelV1}, "control of the address only"},
			{"4", personSubject, Classification{Level: LevelV2, Name: "YAMADA Hanako"}, "validated the person's name"},
			{"2", orgSubject, Classification{Level: LevelV3, Organization: "Acme Industries, Ltd.", Country: "JP"}, "validated the organization"},
			{"3", sponsorSubject, Classification{Level: LevelV4, Name: "YAMADA Hanako", Organization: "Acme Industries, Ltd.", Country: "JP", Title: "Buyer"}, "the organization that sponsors them"},
		} {
			oid := "2.23.140.1.5." + c.typ + "." + gen
			w := c.want
			w.PolicyOID, w.Generation = oid, genName
			cases = append(cases, classifyCase{name: oid, p: profile{policies: []string{oid}, subject: c.subject}, want: w, reason: c.reason})
		}
	}
	return cases
}

func TestClassify(t *testing.T) {
	long := strings.Repeat("Acme ", 1000)
	cases := append(generationCases(), []classifyCase{
		{name: "pseudonym matching the CN", p: profile{[]string{"2.23.140.1.5.4.3"}, subj(attr(OIDPseudonym, "Dodo"), attr(OIDCommonName, "Dodo"))},
			want: Classification{Level: LevelV2, PolicyOID: "2.23.140.1.5.4.3", Generation: "strict", Name: "Dodo", Pseudonym: true}, reason: "behind the pseudonym"},
		{name: "pseudonym wins over a CN in another case", p: profile{[]string{"2.23.140.1.5.4.3"}, subj(attr(OIDPseudonym, "Yamada Hanako"), attr(OIDCommonName, "YAMADA Hanako"))},
			want: Classification{Level: LevelV2, PolicyOID: "2.23.140.1.5.4.3", Generation: "strict", Name: "Yamada Hanako", Pseudonym: true}, reason: "pseudonym"},
		{name: "pseudonym mixed with a given name", p: profile{[]string{"2.23.140.1.5.4.2"}, subj(attr(OIDPseudonym, "Yamada"), attr(OIDGivenName, "Hanako"), attr(OIDCommonName, "YAMADA Hanako"))},
			want: Classification{Level: LevelV2, PolicyOID: "2.23.140.1.5.4.2", Generation: "multipurpose", Name: "Yamada", Pseudonym: true}, reason: "mixes a pseudonym"},
		{name: "sponsor with pseudonym", p: profile{[]string{"2.23.140.1.5.3.2"}, subj(attr(OIDOrganization, "Acme"), attr(OIDPseudonym, "Agent 7"))},
			want: Classification{Level: LevelV4, PolicyOID: "2.23.140.1.5.3.2", Generation: "multipurpose", Name: "Agent 7", Pseudonym: true, Organization: "Acme"}, reason: "sponsor-validated"},
		{name: "CJK CN", p: profile{[]string{"2.23.140.1.5.4.2"}, subj(attr(OIDGivenName, "伟"), attr(OIDSurname, "张"), attr(OIDCommonName, "张伟"))},
			want: Classification{Level: LevelV2, PolicyOID: "2.23.140.1.5.4.2", Generation: "multipurpose", Name: "张伟"}},
		{name: "CJK CN only, legacy", p: profile{[]string{"2.23.140.1.5.4.1"}, subj(attr(OIDCommonName, "张伟"))},
			want: Classification{Level: LevelV2, PolicyOID: "2.23.140.1.5.4.1", Generation: "legacy", Name: "张伟"}},
		{name: "CJK given and surname without CN: family name first", p: profile{[]string{"2.23.140.1.5.4.3"}, subj(attr(OIDGivenName, "花子"), attr(OIDSurname, "山田"))},
			want: Classification{Level: LevelV2, PolicyOID: "2.23.140.1.5.4.3", Generation: "strict", Name: "山田花子"}},
		{name: "Latin given and surname without CN", p: profile{[]string{"2.23.140.1.5.4.3"}, subj(attr(OIDSurname, "Liddell"), attr(OIDGivenName, "Alice"))},
			want: Classification{Level: LevelV2, PolicyOID: "2.23.140.1.5.4.3", Generation: "strict", Name: "Alice Liddell"}},
		{name: "Latin surname, CN in surname-comma-given form", p: profile{[]string{"2.23.140.1.5.4.3"}, subj(attr(OIDSurname, "Liddell"), attr(OIDGivenName, "Alice"), attr(OIDCommonName, "Liddell, Alice"))},
			want: Classification{Level: LevelV2, PolicyOID: "2.23.140.1.5.4.3", Generation: "strict", Name: "Liddell, Alice"}},
		{name: "CN that is an email and no other name", p: profile{[]string{"2.23.140.1.5.4.1"}, subj(attr(OIDCommonName, "hanako.yamada+alt@example.com"))},
			want: Classification{Level: LevelV1, PolicyOID: "2.23.140.1.5.4.1", Generation: "legacy"}, reason: "names no person"},
		{name: "CN that is an email beside given and surname", p: profile{[]string{"2.23.140.1.5.4.2"}, subj(attr(OIDCommonName, "h@example.com"), attr(OIDGivenName, "Hanako"), attr(OIDSurname, "Yamada"))},
			want: Classification{Level: LevelV2, PolicyOID: "2.23.140.1.5.4.2", Generation: "multipurpose", Name: "Hanako Yamada"}},
		{name: "mailbox in the surname is dropped", p: profile{[]string{"2.23.140.1.5.3.3"}, subj(attr(OIDOrganization, "Acme"), attr(OIDSurname, "Yamada@example.com"), attr(OIDGivenName, "Hanako"), attr(OIDCommonName, "YAMADA Hanako"))},
			want: Classification{Level: LevelV4, PolicyOID: "2.23.140.1.5.3.3", Generation: "strict", Name: "Hanako", Organization: "Acme"}, reason: "does not match givenName/surname"},
		{name: "mailbox as pseudonym is no name", p: profile{[]string{"2.23.140.1.5.4.3"}, subj(attr(OIDPseudonym, "boss@bank.example"), attr(OIDCommonName, "boss@bank.example"))},
			want: Classification{Level: LevelV1, PolicyOID: "2.23.140.1.5.4.3", Generation: "strict"}, reason: "names no person"},
		{name: "CN adding a job to the name", p: profile{[]string{"2.23.140.1.5.4.2"}, subj(attr(OIDGivenName, "Hanako"), attr(OIDSurname, "Yamada"), attr(OIDCommonName, "Hanako Yamada, CEO of Example Bank"))},
			want: Classification{Level: LevelV2, PolicyOID: "2.23.140.1.5.4.2", Generation: "multipurpose", Name: "Hanako Yamada"}, reason: "does not match givenName/surname"},
		{name: "insignificant CN", p: profile{[]string{"2.23.140.1.5.4.3"}, subj(attr(OIDGivenName, "Hanako"), attr(OIDSurname, "Yamada"), attr(OIDCommonName, "."))},
			want: Classification{Level: LevelV2, PolicyOID: "2.23.140.1.5.4.3", Generation: "strict", Name: "Hanako Yamada"}},
		{name: "multipurpose with the name only in the CN", p: profile{[]string{"2.23.140.1.5.4.2"}, subj(attr(OIDCommonName, "YAMADA Hanako"))},
			want: Classification{Level: LevelV2, PolicyOID: "2.23.140.1.5.4.2", Generation: "multipurpose", Name: "YAMADA Hanako"}, reason: "only in the commonName"},
		{name: "individual with a prohibited O shows no organization", p: profile{[]string{"2.23.140.1.5.4.1"}, subj(attr(OIDOrganization, "Prohibited Org"), attr(OIDCommonName, "YAMADA Hanako"), attr(OIDTitle, "Dr."))},
			want: Classification{Level: LevelV2, PolicyOID: "2.23.140.1.5.4.1", Generation: "legacy", Name: "YAMADA Hanako"}},
		{name: "mailbox with O and a name shows the address only", p: profile{[]string{"2.23.140.1.5.1.2"}, subj(attr(OIDOrganization, "Example Bank"), attr(OIDCommonName, "Bank Security Team"))},
			want: Classification{Level: LevelV1, PolicyOID: "2.23.140.1.5.1.2", Generation: "multipurpose"}, reason: "not validated for this type and are not shown"},
		{name: "organization without O", p: profile{[]string{"2.23.140.1.5.2.3"}, subj(attr(OIDCommonName, "Acme"), attr(OIDCountry, "JP"))},
			want: Classification{Level: LevelV1, PolicyOID: "2.23.140.1.5.2.3", Generation: "strict"}, reason: "names no organizationName: shown as address only"},
		{name: "sponsor without O", p: profile{[]string{"2.23.140.1.5.3.3"}, personSubject},
			want: Classification{Level: LevelV1, PolicyOID: "2.23.140.1.5.3.3", Generation: "strict"}, reason: "no organizationName"},
		{name: "sponsor without a person", p: profile{[]string{"2.23.140.1.5.3.3"}, orgSubject},
			want: Classification{Level: LevelV1, PolicyOID: "2.23.140.1.5.3.3", Generation: "strict"}, reason: "names no person"},
		{name: "sponsor without anything", p: profile{[]string{"2.23.140.1.5.3.1"}, mailboxSubject},
			want: Classification{Level: LevelV1, PolicyOID: "2.23.140.1.5.3.1", Generation: "legacy"}, reason: "no person (no personal name in commonName, no givenName/surname, no pseudonym) and no organizationName"},
		{name: "sponsor without title", p: profile{[]string{"2.23.140.1.5.3.2"}, sponsorSubject[:6]},
			want: Classification{Level: LevelV4, PolicyOID: "2.23.140.1.5.3.2", Generation: "multipurpose", Name: "YAMADA Hanako", Organization: "Acme Industries, Ltd.", Country: "JP"}},
		{name: "two reserved policies", p: profile{[]string{"2.23.140.1.5.3.3", "2.23.140.1.5.2.3"}, sponsorSubject},
			want: Classification{Level: LevelV1}, reason: "carries 2 reserved S/MIME policies (2.23.140.1.5.3.3, 2.23.140.1.5.2.3): non-conformant, shown as address only"},
		{name: "two reserved policies of the same type", p: profile{[]string{"2.23.140.1.5.2.2", "2.23.140.1.5.2.3"}, orgSubject},
			want: Classification{Level: LevelV1}, reason: "carries 2 reserved"},
		{name: "no reserved policy", p: profile{[]string{"1.3.6.1.4.1.6449.1.2.1.3.5"}, sponsorSubject},
			want: Classification{Level: LevelV1}, reason: "no CA/B Forum S/MIME policy: only the address is validated"},
		{name: "no policies at all", p: profile{nil, sponsorSubject},
			want: Classification{Level: LevelV1}, reason: "no CA/B Forum S/MIME policy: only the address is validated"},
		{name: "TLS OV policy", p: profile{[]string{"2.23.140.1.2.2"}, orgSubject},
			want: Classification{Level: LevelV1}, reason: "no CA/B Forum S/MIME policy"},
		{name: "unreserved arcs under the S/MIME prefix", p: profile{[]string{"2.23.140.1.5.4.4", "2.23.140.1.5.5.1", "2.23.140.1.5.2.2.1", "2.23.140.1.5.3"}, sponsorSubject},
			want: Classification{Level: LevelV1}, reason: "(2.23.140.1.5.4.4, 2.23.140.1.5.5.1, 2.23.140.1.5.2.2.1, 2.23.140.1.5.3 under the S/MIME arc but not a reserved policy)"},
		{name: "CA-specific policy beside a reserved one", p: profile{[]string{"1.3.6.1.4.1.44494.2.4.5.2", "2.23.140.1.5.2.2", "2.23.140.1.5.99.1"}, orgSubject},
			want: Classification{Level: LevelV3, PolicyOID: "2.23.140.1.5.2.2", Generation: "multipurpose", Organization: "Acme Industries, Ltd.", Country: "JP"}},
		{name: "country XX is no country", p: profile{[]string{"2.23.140.1.5.2.2"}, subj(attr(OIDCountry, "XX"), attr(OIDOrganization, "Acme"))},
			want: Classification{Level: LevelV3, PolicyOID: "2.23.140.1.5.2.2", Generation: "multipurpose", Organization: "Acme"}},
		{name: "lower-case country is malformed", p: profile{[]string{"2.23.140.1.5.2.2"}, subj(attr(OIDCountry, "us"), attr(OIDOrganization, "Acme"))},
			want: Classification{Level: LevelV3, PolicyOID: "2.23.140.1.5.2.2", Generation: "multipurpose", Organization: "Acme"}},
		{name: "two organization names", p: profile{[]string{"2.23.140.1.5.2.2"}, subj(attr(OIDOrganization, "Acme"), attr(OIDOrganization, "Example Bank"))},
			want: Classification{Level: LevelV3, PolicyOID: "2.23.140.1.5.2.2", Generation: "multipurpose", Organization: "Acme"}, reason: "2 organizationName attributes: showing the first"},
		{name: "HTML is kept as text", p: profile{[]string{"2.23.140.1.5.2.3"}, subj(attr(OIDOrganization, `<img src=x onerror="alert(1)"> & Co`))},
			want: Classification{Level: LevelV3, PolicyOID: "2.23.140.1.5.2.3", Generation: "strict", Organization: `<img src=x onerror="alert(1)"> & Co`}},
		{name: "bidi override removed", p: profile{[]string{"2.23.140.1.5.4.3"}, subj(attr(OIDPseudonym, "Alice\u202Emoc.knab"))},
			want: Classification{Level: LevelV2, PolicyOID: "2.23.140.1.5.4.3", Generation: "strict", Name: "Alicemoc.knab", Pseudonym: true}},
		{name: "zero-width characters removed", p: profile{[]string{"2.23.140.1.5.2.3"}, subj(attr(OIDOrganization, "Pay\u200bPal\u2060 \ufeffInc"))},
			want: Classification{Level: LevelV3, PolicyOID: "2.23.140.1.5.2.3", Generation: "strict", Organization: "PayPal Inc"}},
		{name: "a name that is only a zero-width space is no name", p: profile{[]string{"2.23.140.1.5.4.1"}, subj(attr(OIDCommonName, "\u200b"))},
			want: Classification{Level: LevelV1, PolicyOID: "2.23.140.1.5.4.1", Generation: "legacy"}, reason: "names no person"},
		{name: "line breaks in a title collapse", p: profile{[]string{"2.23.140.1.5.3.3"}, subj(attr(OIDOrganization, "Acme"), attr(OIDCommonName, "Alice"), attr(OIDTitle, "Buyer\r\n\r\nV4 · boss@bank.example"))},
			want: Classification{Level: LevelV4, PolicyOID: "2.23.140.1.5.3.3", Generation: "strict", Name: "Alice", Organization: "Acme", Title: "Buyer V4 · boss@bank.example"}},
		{name: "5,000-character organization", p: profile{[]string{"2.23.140.1.5.2.3"}, subj(attr(OIDOrganization, long))},
			want: Classification{Level: LevelV3, PolicyOID: "2.23.140.1.5.2.3", Generation: "strict", Organization: strings.TrimSpace(long[:DefaultMax-1]) + "…"}},
	}...)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := Classify(mint(t, tc.p))
			if !strings.Contains(got.Reason, tc.reason) || got.Reason == "" {
				t.Errorf("reason %q does not say %q", got.Reason, tc.reason)
			}
			if gen := tc.want.Generation; gen != "" && got.Level == tc.want.Level && !strings.Contains(got.Reason, gen) {
				t.Errorf("reason %q does not name the generation %q", got.Reason, gen)
			}
			got.Reason, got.Why = "", nil
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Classify:\n got %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

func TestClassifyLongOrganizationIsCapped(t *testing.T) {
	got := Classify(mint(t, profile{[]string{"2.23.140.1.5.2.3"}, subj(attr(OIDOrganization, strings.Repeat("é", 5000)))}))
	if n := utf8.RuneCountInString(got.Organization); n != DefaultMax || !strings.HasSuffix(got.Organization, "…") {
		t.Errorf("organization has %d runes, ends %q; want %d ending in an ellipsis", n, got.Organization[len(got.Organization)-8:], DefaultMax)
	}
}

func TestClassifyNil(t *testing.T) {
	if got := Classify(nil); got.Level != LevelV1 || got.Reason == "" {
		t.Errorf("Classify(nil) = %+v", got)
	}
}

// A certificate built by hand (no DER) has only PolicyIdentifiers.
func TestClassifyPolicyIdentifiersOnly(t *testing.T) {
	cert := &x509.Certificate{
		PolicyIdentifiers: []asn1.ObjectIdentifier{{2, 23, 140, 1, 5, 2, 1}},
		Subject:           pkix.Name{Names: orgSubject},
	}
	got := Classify(cert)
	if got.Level != LevelV3 || got.Generation != "legacy" || got.Organization != "Acme Industries, Ltd." {
		t.Errorf("Classify = %+v", got)
	}
}

func TestParseReserved(t *testing.T) {
	for oid, want := range map[string]Level{
		"2.23.140.1.5.1.1": LevelV1, "2.23.140.1.5.1.3": LevelV1,
		"2.23.140.1.5.4.1": LevelV2, "2.23.140.1.5.4.2": LevelV2,
		"2.23.140.1.5.2.3": LevelV3, "2.23.140.1.5.3.2": LevelV4,
		"2.23.140.1.5.1.0": "", "2.23.140.1.5.1.4": "", "2.23.140.1.5.0.1": "", "2.23.140.1.5.5.1": "",
		"2.23.140.1.5.1": "", "2.23.140.1.5.1.2.1": "", "2.23.140.1.5.1.02": "", "2.23.140.1.5.11.1": "",
		"12.23.140.1.5.1.1": "", "2.23.140.1.2.2": "", "": "",
	} {
		r, ok := parseReserved(oid)
		if ok != (want != "") || r.level != want {
			t.Errorf("parseReserved(%q) = %v, %v; want %v", oid, r.level, ok, want)
		}
	}
}

// A certificate built in code may fill the Subject's fields and no Names.
func TestClassifySubjectFieldsOnly(t *testing.T) {
	cert := &x509.Certificate{
		PolicyIdentifiers: []asn1.ObjectIdentifier{{2, 23, 140, 1, 5, 3, 3}},
		Subject:           pkix.Name{Organization: []string{"Acme"}, Country: []string{"GB"}, CommonName: "Alice Liddell"},
	}
	want := Classification{Level: LevelV4, PolicyOID: "2.23.140.1.5.3.3", Generation: "strict", Name: "Alice Liddell", Organization: "Acme", Country: "GB"}
	got := Classify(cert)
	got.Reason, got.Why = "", nil
	assert.Equal(t, want, got, "Classify")
}
