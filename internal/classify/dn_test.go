package classify

import (
	"crypto/x509/pkix"
	"encoding/asn1"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestDistinguishedName(t *testing.T) {
	oid := func(s ...int) asn1.ObjectIdentifier { return asn1.ObjectIdentifier(s) }
	name := pkix.RDNSequence{
		{{Type: oid(2, 5, 4, 6), Value: "GB"}},
		{{Type: oid(2, 5, 4, 10), Value: "Acme, Widgets Ltd"}},
		{{Type: oid(2, 5, 4, 97), Value: "NTRGB-12345678"}},
		{{Type: oid(2, 5, 4, 42), Value: "Erin"}, {Type: oid(2, 5, 4, 4), Value: "Walsh"}},
		{{Type: oid(2, 5, 4, 12), Value: "Finance Director"}},
		{{Type: oid(1, 2, 840, 113549, 1, 9, 1), Value: "erin@acme.example"}},
		{{Type: oid(2, 5, 4, 3), Value: " #1 张伟"}},
		{{Type: oid(1, 2, 3, 4), Value: 7}},
	}
	der, err := asn1.Marshal(name)
	require.NoError(t, err)
	want := `1.2.3.4=#020107, CN=\ #1 张伟, emailAddress=erin@acme.example, title=Finance Director, ` +
		`givenName=Erin+SN=Walsh, organizationIdentifier=NTRGB-12345678, O=Acme\, Widgets Ltd, C=GB`
	if got := DistinguishedName(der); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	for _, bad := range [][]byte{nil, {0x30}, {0x04, 0x00}, append(der, 0)} {
		if got := DistinguishedName(bad); got != "" {
			t.Errorf("%x: %q, want empty", bad, got)
		}
	}
}
