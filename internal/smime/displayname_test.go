package smime

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/mailseal/mailseal/internal/classify"
	"github.com/stretchr/testify/require"
)

func verifyVector(t *testing.T, name string) *Report {
	t.Helper()
	dir := filepath.Join(testdataDir(), "vectors")
	v := readVector(t, filepath.Join(dir, name+".eml"))
	r, err := Verify(v.message, vectorOptions(t, dir, v))
	require.NoError(t, err)
	return r
}

func checkNamed(r *Report, name string) *Check {
	for i := range r.Checks {
		if r.Checks[i].Name == name {
			return &r.Checks[i]
		}
	}
	return nil
}

// The report carries the From mailbox, and a display name claiming another address becomes a
// warning and a reason that name the signed address first, while the level stays.
func TestDisplayNameTrickReport(t *testing.T) {
	r := verifyVector(t, "valid-display-name-trick")
	if r.From == nil || *r.From != (Mailbox{Address: "eve@evil.example", DisplayName: "boss@bank.com"}) {
		t.Fatalf("from = %+v", r.From)
	}
	if r.Status != StatusValid || r.Level != classify.LevelV1 {
		t.Errorf("status %s level %s, want valid V1", r.Status, r.Level)
	}
	want := Warning{Kind: "display-name-address", Claim: "boss@bank.com",
		Detail: `signed by eve@evil.example, but the display name "boss@bank.com" shows another address, boss@bank.com`}
	if len(r.Warnings) != 1 || r.Warnings[0] != want {
		t.Errorf("warnings = %+v\nwant %+v", r.Warnings, want)
	}
	if len(r.Reasons) != 1 || r.Reasons[0] != want.Detail {
		t.Errorf("reasons = %q", r.Reasons)
	}
	if c := checkNamed(r, "display-name"); c == nil || c.OK {
		t.Errorf("display-name check = %+v, want a failed one", c)
	}
}

// A display name that is the validated person's own stays quiet, with a passing check.
func TestDisplayNameQuietReport(t *testing.T) {
	r := verifyVector(t, "level-v4-sponsor-title")
	if len(r.Warnings) != 0 {
		t.Errorf("warnings = %+v", r.Warnings)
	}
	if c := checkNamed(r, "display-name"); c == nil || !c.OK || !strings.Contains(c.Detail, `"Alice Liddell"`) {
		t.Errorf("display-name check = %+v", c)
	}
}

// A message that is not valid names no identity, so its display name gives no warning, but the
// report still says who the From field names.
func TestDisplayNameNotValid(t *testing.T) {
	r := verifyVector(t, "mismatch-from")
	if r.From == nil || r.From.Address == "" {
		t.Errorf("from = %+v", r.From)
	}
	if len(r.Warnings) != 0 || checkNamed(r, "display-name") != nil {
		t.Errorf("warnings %+v, checks %+v", r.Warnings, r.Checks)
	}
}
