package cms

import (
	"bytes"
	"crypto"
	"errors"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

// countingBackend counts Hash calls by the length of what it hashes.
type countingBackend struct {
	GoBackend
	mu     sync.Mutex
	hashed map[int]int
}

func (c *countingBackend) Hash(h crypto.Hash, data []byte) ([]byte, error) {
	c.mu.Lock()
	c.hashed[len(data)]++
	c.mu.Unlock()
	return c.GoBackend.Hash(h, data)
}

// TestPrehashGivesVerifysVerdict: with the digests started early, Verify gives the same
// results, hashes the content once per algorithm, and a changed byte still fails.
func TestPrehashGivesVerifysVerdict(t *testing.T) {
	content := bytes.Repeat([]byte("Pay 100 EUR to account 1.\r\n"), 4000)
	signers := []Signer{signer(t, "rsa2048"), signer(t, "p384")}
	der, err := Sign(content, signers[:1], SignOptions{Detached: true})
	require.NoError(t, err)
	der384, err := Sign(content, signers[1:], SignOptions{Detached: true, Hash: crypto.SHA384})
	require.NoError(t, err)
	for _, d := range [][]byte{der, der384} {
		sd, err := Parse(d)
		require.NoError(t, err)
		b := &countingBackend{hashed: map[int]int{}}
		rs, err := sd.Verify(content, sd.Prehash(content, b))
		if err != nil || rs[0].Err != nil {
			t.Fatalf("prehashed verify: %v %v", err, rs[0].Err)
		}
		if n := b.hashed[len(content)]; n != 1 {
			t.Errorf("content hashed %d times, want 1", n)
		}
		tampered := bytes.Clone(content)
		tampered[len(tampered)/2] ^= 1
		rs, err = sd.Verify(tampered, sd.Prehash(tampered, b))
		if err != nil || !errors.Is(rs[0].Err, ErrSignature) {
			t.Errorf("tampered content: %v %v", err, rs[0].Err)
		}
		// A digest started for other bytes is never the answer.
		rs, err = sd.Verify(tampered, sd.Prehash(content, b))
		if err != nil || !errors.Is(rs[0].Err, ErrSignature) {
			t.Errorf("digest of other bytes used: %v %v", err, rs[0].Err)
		}
	}
	sd, _ := Parse(der)
	if c := sd.SignerCertificate(0); c == nil || !bytes.Equal(c.Raw, signers[0].Certificate.Raw) {
		t.Error("SignerCertificate(0) is not the signer's certificate")
	}
	if sd.SignerCertificate(1) != nil || sd.SignerCertificate(-1) != nil {
		t.Error("SignerCertificate out of range is not nil")
	}
}
