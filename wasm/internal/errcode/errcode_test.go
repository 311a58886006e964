package errcode

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"regexp"
	"slices"
	"testing"

	"github.com/mailseal/mailseal/internal/compose"
	"github.com/mailseal/mailseal/internal/keys"
	"github.com/stretchr/testify/require"
)

// The checked-in union is what the table generates: a row added without `go generate` fails here.
func TestTypeScriptIsGenerated(t *testing.T) {
	got, err := os.ReadFile("../../../extension/types/errors.d.ts")
	require.NoError(t, err)
	if !bytes.Equal(got, TypeScript()) {
		t.Fatalf("extension/types/errors.d.ts differs from the table; run `go generate ./wasm/internal/errcode`\n--- want\n%s", TypeScript())
	}
}

func TestOf(t *testing.T) {
	for err, want := range map[error]Code{
		keys.ErrBadPassword:                                               BadPassword,
		fmt.Errorf("keys: import: %w", keys.ErrNoKey):                     NoKey,
		&keys.Refusal{Problem: keys.ProblemExpired, Reason: "it expired"}: Refused,
		fmt.Errorf("%w: the unlock period is over", keys.ErrLocked):       Locked,
		fmt.Errorf("compose: %w", compose.ErrFromMismatch):                FromMismatch,
		fmt.Errorf("%w: reason", compose.ErrSenderCannotDecrypt):          SenderCannotDecrypt,
		errors.New("something nobody anticipated"):                        "",
	} {
		if got := Of(err); got != want {
			t.Errorf("Of(%v) = %q, want %q", err, got, want)
		}
	}
}

func TestCodes(t *testing.T) {
	all := All()
	if len(all) < 16 || all[0] != Malformed || all[len(all)-1] != SenderCannotDecrypt {
		t.Fatalf("table: %v", all)
	}
	seen := map[Code]bool{}
	for _, c := range all {
		if seen[c] || !regexp.MustCompile(`^ERR_[A-Z0-9_]+$`).MatchString(string(c)) {
			t.Errorf("code %q is repeated or not ERR_UPPER_CASE", c)
		}
		seen[c] = true
	}
	// loader.js names the codes it rejects with itself; each must be in the table.
	loader, err := os.ReadFile("../../loader.js")
	require.NoError(t, err)
	for _, m := range regexp.MustCompile(`"(ERR_[A-Z_]+)"`).FindAllSubmatch(loader, -1) {
		if !slices.Contains(all, Code(m[1])) {
			t.Errorf("loader.js names %s, which the table does not have", m[1])
		}
	}
}
