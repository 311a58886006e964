package trust

import (
	"bytes"
	"crypto/sha256"
	"crypto/x509"
	"encoding/binary"
	"sort"
	"sync"
	"time"
)

// A second message from the same sender should cost one signature and one hash, not a
// chain build: good results are kept, keyed by the certificates and the anchor set,
// together with the window in which every certificate of the chain is valid. A result
// answers only for a time inside its window, so the cache never hides an expiry and a
// certificate issued today is cached today. Results computed with CRLs are not kept
// (Validate).
var results = &resultCache{m: map[[32]byte]cachedResult{}}

const resultCacheSize = 1024

type cachedResult struct {
	r           Result
	from, until time.Time // the chain's common validity, inclusive
}

type resultCache struct {
	mu sync.Mutex
	m  map[[32]byte]cachedResult
}

func (c *resultCache) get(k [32]byte, at time.Time) (Result, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[k]
	if !ok || at.Before(e.from) || at.After(e.until) {
		return Result{}, false
	}
	return e.r, true
}

// put keeps a good result with the window in which its chain is valid.
func (c *resultCache) put(k [32]byte, r Result) {
	if r.Problem != OK || len(r.Chain) == 0 {
		return
	}
	e := cachedResult{r: r, from: r.Chain[0].NotBefore, until: r.Chain[0].NotAfter}
	for _, cert := range r.Chain[1:] {
		if cert.NotBefore.After(e.from) {
			e.from = cert.NotBefore
		}
		if cert.NotAfter.Before(e.until) {
			e.until = cert.NotAfter
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) >= resultCacheSize {
		clear(c.m) // simple and bounded; a busy reader refills it with what it still sees
	}
	c.m[k] = e
}

func cacheKey(s *Store, leaf *x509.Certificate, intermediates []*x509.Certificate) [32]byte {
	fps := make([][32]byte, 0, len(intermediates))
	for _, c := range intermediates {
		fps = append(fps, sha256.Sum256(c.Raw))
	}
	sort.Slice(fps, func(i, j int) bool { return bytes.Compare(fps[i][:], fps[j][:]) < 0 })
	h := sha256.New()
	h.Write(binary.BigEndian.AppendUint64(nil, s.id))
	leafFP := sha256.Sum256(leaf.Raw)
	h.Write(leafFP[:])
	for _, fp := range fps {
		h.Write(fp[:])
	}
	var k [32]byte
	copy(k[:], h.Sum(nil))
	return k
}
