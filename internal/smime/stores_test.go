package smime

import (
	"testing"

	"github.com/mailseal/mailseal/internal/roots"
	"github.com/mailseal/mailseal/internal/trust"
)

func TestStoreForReusesAStoreOnlyForTheSameAnchors(t *testing.T) {
	bundled, parsed := roots.BundledDER(), roots.Bundled()
	if len(parsed) < 2 {
		t.Fatal("no bundled roots")
	}
	a, b := parsed[:1], parsed[1:2]

	if storeFor(bundled, nil, nil) != storeFor(bundled, nil, nil) {
		t.Error("the bundled store was built twice")
	}
	if storeFor(nil, a, nil) != storeFor(nil, a, nil) {
		t.Error("the store for the same given roots was built twice")
	}
	if storeFor(nil, a, nil) == storeFor(nil, b, nil) {
		t.Error("different given roots share a store")
	}
	if storeFor(nil, a, nil) == storeFor(bundled, a, nil) {
		t.Error("a store without the bundled roots is reused with them")
	}

	given, user := storeFor(nil, a, nil), storeFor(nil, nil, a)
	if given == user {
		t.Fatal("a root given by an administrator and the same root added by the user share a store")
	}
	if k := given.Kind(a[0]); k != trust.AnchorGiven {
		t.Errorf("given root is %q", k)
	}
	if k := user.Kind(a[0]); k != trust.AnchorUser {
		t.Errorf("user root is %q", k)
	}
}
