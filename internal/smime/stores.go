package smime

import (
	"crypto/sha256"
	"crypto/x509"
	"sync"

	"github.com/mailseal/mailseal/internal/trust"
)

// Chain results are cached per trust store (trust.Store.Validate), and building one
// reads the subjects of 88 roots; the extension passes the same administrator and
// user roots with every message, so stores are kept by the fingerprints of the
// anchors they were built from, and a second message from a sender finds its chain.
var stores = &storeCache{m: map[[32]byte]*trust.Store{}}

const storeCacheSize = 16

type storeCache struct {
	mu sync.Mutex
	m  map[[32]byte]*trust.Store
}

// storeFor returns the trust store for these anchors, building it on first use.
// bundled is either the bundled roots or nil, so a flag stands for it in the key.
func storeFor(bundled [][]byte, given, user []*x509.Certificate) *trust.Store {
	h := sha256.New()
	if len(bundled) > 0 {
		h.Write([]byte{1})
	} else {
		h.Write([]byte{0})
	}
	for _, set := range [][]*x509.Certificate{given, user} {
		for _, c := range set {
			fp := sha256.Sum256(c.Raw)
			h.Write(fp[:])
		}
		h.Write([]byte{'|'}) // the same root given or added by the user is not the same store
	}
	var key [32]byte
	copy(key[:], h.Sum(nil))

	stores.mu.Lock()
	defer stores.mu.Unlock()
	if s, ok := stores.m[key]; ok {
		return s
	}
	if len(stores.m) >= storeCacheSize {
		clear(stores.m)
	}
	s := trust.NewStore(bundled, given, user)
	stores.m[key] = s
	return s
}
