package trust

import (
	"bytes"
	"crypto/sha256"
	"crypto/x509"
	"sort"
	"sync"
	"time"
)

// A second message from the same sender should cost one signature and one hash, not a
// chain build: good results are kept, keyed by the certificates, the anchor set, the
// CRLs and the day of the validation time. A result is kept only when every certificate
// of its chain is valid for that whole day, so the day key can never hide an expiry.
var results = &resultCache{m: map[[32]byte]Result{}}

const resultCacheSize = 1024

type resultCache struct {
	mu sync.Mutex
	m  map[[32]byte]Result
}

func (c *resultCache) get(k [32]byte) (Result, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	r, ok := c.m[k]
	return r, ok
}

func (c *resultCache) put(k [32]byte, r Result) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) >= resultCacheSize {
		clear(c.m) // simple and bounded; a busy reader refills it with what it still sees
	}
	c.m[k] = r
}

func cacheKey(s *Store, leaf *x509.Certificate, intermediates []*x509.Certificate, at time.Time, crls [][]byte) [32]byte {
	fps := make([][32]byte, 0, len(intermediates))
	for _, c := range intermediates {
		fps = append(fps, sha256.Sum256(c.Raw))
	}
	sort.Slice(fps, func(i, j int) bool { return bytes.Compare(fps[i][:], fps[j][:]) < 0 })
	h := sha256.New()
	h.Write(s.id[:])
	leafFP := sha256.Sum256(leaf.Raw)
	h.Write(leafFP[:])
	for _, fp := range fps {
		h.Write(fp[:])
	}
	h.Write([]byte(at.UTC().Format("2006-01-02")))
	for _, crl := range crls {
		fp := sha256.Sum256(crl)
		h.Write(fp[:])
	}
	var k [32]byte
	copy(k[:], h.Sum(nil))
	return k
}

func validAllDay(chain []*x509.Certificate, at time.Time) bool {
	start := at.UTC().Truncate(24 * time.Hour)
	end := start.Add(24*time.Hour - time.Nanosecond)
	for _, c := range chain {
		if c.NotBefore.After(start) || c.NotAfter.Before(end) {
			return false
		}
	}
	return true
}
