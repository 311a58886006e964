package smime

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mailseal/mailseal/internal/fuzzlimit"
	"github.com/mailseal/mailseal/internal/testpki"
	"github.com/stretchr/testify/require"
)

// TestHostileKeysEndQuickly: a certificate with an RSA key beyond 8192 bits or an exponent
// beyond 2^32 is refused before any arithmetic, with sixteen signers.
func TestHostileKeysEndQuickly(t *testing.T) {
	pki := testpki.MustNew(t)
	for _, key := range []struct{ bits, e int }{{65536, 1<<31 - 1}, {262144, 65537}, {4096, 1<<32 + 1}} {
		msg, err := pki.HugeKeyMessage(key.bits, key.e, 16)
		require.NoError(t, err)
		start := fuzzlimit.CPUTime()
		r := verifyWith(t, pki, msg, Options{Now: testpki.Epoch.Add(time.Hour)})
		took := fuzzlimit.CPUTime() - start
		t.Logf("%d-bit key, e=%d, 16 signers (%d KB): %s in %v", key.bits, key.e, len(msg)>>10, r.Status, took)
		if r.Status != StatusUnsupported || !strings.Contains(joined(r), "RSA key too large") {
			t.Errorf("%d bits, e=%d: %s %q", key.bits, key.e, r.Status, joined(r))
		}
		if took > 100*time.Millisecond {
			t.Errorf("%d bits, e=%d: took %v", key.bits, key.e, took)
		}
	}
}

// TestChainBuildingIsBounded: sixty intermediates named as the signer's issuer, each with
// an 8192-bit key its signature has the size for, cost at most a few checks (about 40 ms;
// 885 ms when x509.Verify was given all sixty; the bound leaves room for a busy machine).
func TestChainBuildingIsBounded(t *testing.T) {
	pki := testpki.MustNew(t)
	msg, err := pki.ChainBombMessage(60)
	require.NoError(t, err)
	start := fuzzlimit.CPUTime()
	r := verifyWith(t, pki, msg, Options{Now: testpki.Epoch.Add(time.Hour)})
	took := fuzzlimit.CPUTime() - start // CPU, not wall: a busy machine does not move it
	t.Logf("60 intermediates (%d KB): %s in %v", len(msg)>>10, r.Status, took)
	if took > 250*time.Millisecond {
		t.Errorf("took %v", took)
	}
	if r.Status != StatusUntrusted {
		t.Errorf("%s %q", r.Status, joined(r))
	}
}

// TestAttachedMessagesShareOneBudget: 40^3 attached messages (one of them signed) end in
// under a second with a report under 1 MB that says what was skipped.
func TestAttachedMessagesShareOneBudget(t *testing.T) {
	msg, err := testpki.MustNew(t).NestedMessage(40, 3)
	require.NoError(t, err)
	start := fuzzlimit.CPUTime()
	r, err := Verify(msg, Options{Now: testpki.Epoch.Add(time.Hour)})
	require.NoError(t, err)
	took := fuzzlimit.CPUTime() - start // CPU, not wall: a busy machine does not move it
	out, _ := json.Marshal(r)
	t.Logf("%d KB message: %v, report %d KB, skipped %q", len(msg)>>10, took, len(out)>>10, r.Skipped)
	if took > time.Second || len(out) > 1<<20 {
		t.Errorf("%d KB message: %v, report %d KB", len(msg)>>10, took, len(out)>>10)
	}
	if !strings.Contains(strings.Join(r.Skipped, " "), "not verified") {
		t.Errorf("skipped: %q", r.Skipped)
	}
}

// TestMixedScriptSignerIsNamedInReasons: a validly signed message from billing@pаypal.com
// (Cyrillic а) is valid for that address, shown beside its A-label form, with the label named.
func TestMixedScriptSignerIsNamedInReasons(t *testing.T) {
	dir := filepath.Join(testdataDir(), "vectors")
	v := readVector(t, filepath.Join(dir, "valid-smtputf8-mixed-script.eml"))
	r, err := Verify(v.message, vectorOptions(t, dir, v))
	require.NoError(t, err)
	if r.Status != StatusValid || !strings.Contains(r.Signer.Email, "xn--pypal-4ve.com") ||
		!strings.Contains(joined(r), `the domain label "pаypal" mixes Cyrillic and Latin letters`) {
		t.Errorf("%s %q, %q", r.Status, r.Signer.Email, joined(r))
	}
}
