package keys_test

import (
	"bytes"
	"crypto/ecdsa"
	"errors"
	"testing"
	"time"

	"github.com/mailseal/mailseal/internal/keys"
	"github.com/stretchr/testify/require"
)

func TestSession(t *testing.T) {
	fixture, id := p256(t, "heidi@example.com")
	now := time.Now()
	session, key, err := keys.NewSession(id, now.Add(time.Hour), now)
	require.NoError(t, err)
	got, err := keys.OpenSession(session, key, now.Add(59*time.Minute))
	require.NoError(t, err)
	checkIdentity(t, got, fixture)
	if len(key) != keys.SessionKeySize || bytes.Contains(session, id.Key.(*ecdsa.PrivateKey).D.Bytes()) {
		t.Fatal("the session holds the private key in clear, or its key is not 32 bytes")
	}
	again, key2, _ := keys.NewSession(id, now.Add(time.Hour), now)
	if bytes.Equal(key, key2) || bytes.Equal(session[:30], again[:30]) {
		t.Fatal("two sessions share a key or a nonce")
	}
}

// Every way a session can fail to give its identity is ErrLocked, never a panic; a session key
// of the wrong size is a plain error (the caller's mistake).
func TestSessionLocked(t *testing.T) {
	_, id := p256(t, "ivan@example.com")
	now := time.Now()
	session, key, err := keys.NewSession(id, now.Add(time.Hour), now)
	require.NoError(t, err)
	flip := func(b []byte, i int) []byte { b = bytes.Clone(b); b[i] ^= 1; return b }
	for name, tc := range map[string]struct {
		session, key []byte
		at           time.Time
	}{
		"after the lock": {session, key, now.Add(time.Hour)},
		"other key":      {session, flip(key, 0), now},
		// lockAt sits right after magic and version: moving it later must not extend the session.
		"extended lock time": {flip(session, 9), key, now},
		"flipped ciphertext": {flip(session, len(session)-5), key, now},
		"flipped magic":      {flip(session, 0), key, now},
		"cut short":          {session[:len(session)-1], key, now},
		"trailing byte":      {append(bytes.Clone(session), 0), key, now},
		"empty":              {nil, key, now},
	} {
		if _, err := keys.OpenSession(tc.session, tc.key, tc.at); !errors.Is(err, keys.ErrLocked) {
			t.Errorf("%s: %v, want ErrLocked", name, err)
		}
	}
	for i := range session {
		if _, err := keys.OpenSession(session[:i], key, now); !errors.Is(err, keys.ErrLocked) {
			t.Fatalf("cut at %d: %v", i, err)
		}
	}
	if _, err := keys.OpenSession(session, key[:16], now); err == nil || errors.Is(err, keys.ErrLocked) {
		t.Errorf("a 16-byte key: %v, want a plain error", err)
	}
	for _, lockAt := range []time.Time{now, now.Add(-time.Minute), now.Add(keys.MaxSessionLife + time.Minute)} {
		if _, _, err := keys.NewSession(id, lockAt, now); err == nil {
			t.Errorf("lock at %v from now: made a session", lockAt.Sub(now))
		}
	}
}
