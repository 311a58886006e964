package cms

import (
	"crypto"
	"crypto/x509"
	"runtime"
	"sync"
)

// Prehash starts hashing content in the background, once for each digest algorithm the
// signers name, and returns a Backend whose Hash answers from those digests. The work
// that does not depend on the digest (building the signer's chain) can then run while the
// content is hashed: on another core natively, and on the browser's crypto thread in
// WebAssembly, where a digest through WebCrypto otherwise leaves Go idle. Pass the
// returned Backend and the same content slice to Verify; any other Hash call goes to b.
func (sd *SignedData) Prehash(content []byte, b Backend) Backend {
	if b == nil {
		b = GoBackend{}
	}
	p := &prehashed{Backend: b, content: content, digests: map[crypto.Hash]*pendingDigest{}}
	for i := range sd.Signers {
		h, _, err := digestHash(sd.Signers[i].DigestAlgorithm)
		if err != nil || p.digests[h] != nil {
			continue
		}
		d := &pendingDigest{}
		d.wg.Add(1)
		p.digests[h] = d
		go func() {
			defer d.wg.Done()
			d.sum, d.err = b.Hash(h, content)
		}()
	}
	// On a single thread (WebAssembly) a new goroutine runs only when this one yields: let
	// the digests reach the point where they wait for the platform, so that they run while
	// the caller goes on.
	runtime.Gosched()
	return p
}

// SignerCertificate returns the certificate SignerInfo i names, or nil when the message
// does not carry it.
func (sd *SignedData) SignerCertificate(i int) *x509.Certificate {
	if i < 0 || i >= len(sd.Signers) {
		return nil
	}
	return sd.findCertificate(&sd.Signers[i])
}

type prehashed struct {
	Backend
	content []byte
	digests map[crypto.Hash]*pendingDigest // written only by Prehash
}

type pendingDigest struct {
	wg  sync.WaitGroup
	sum []byte
	err error
}

func (p *prehashed) Hash(h crypto.Hash, data []byte) ([]byte, error) {
	if d := p.digests[h]; d != nil && sameBytes(data, p.content) {
		d.wg.Wait()
		return d.sum, d.err
	}
	return p.Backend.Hash(h, data)
}

// sameBytes reports whether a and b are the same slice of the same memory.
func sameBytes(a, b []byte) bool {
	if len(a) != len(b) {
		return false
	}
	return len(a) == 0 || &a[0] == &b[0]
}
