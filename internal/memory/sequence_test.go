package memory

import (
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/mailseal/mailseal/internal/classify"
	"github.com/mailseal/mailseal/internal/smime"
)

// TestVectorSequence opens the memory-* vectors of testdata/vectors in order, as a user would,
// through smime.Verify: the first seven teach the memory (the seventh only with the
// intermediate remembered from the others), each later one shows its warning.
func TestVectorSequence(t *testing.T) {
	dir := "../../testdata/vectors"
	rootPEM, err := os.ReadFile(filepath.Join(dir, "root.pem"))
	if err != nil {
		t.Fatal(err)
	}
	block, _ := pem.Decode(rootPEM)
	root, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	m := New()
	at := time.Date(2026, 6, 2, 9, 0, 0, 0, time.UTC) // the user reads the mail the day after
	for _, tc := range []struct {
		name   string
		status smime.Status
		learnt bool
		want   []Code
	}{
		{"memory-01-bank-statement", smime.StatusValid, true, nil},
		{"memory-02-bank-card", smime.StatusValid, true, nil},
		{"memory-03-bank-sign-in", smime.StatusValid, true, nil},
		{"memory-04-statements-may", smime.StatusValid, true, nil},
		{"memory-05-statements-june", smime.StatusValid, true, nil},
		{"memory-06-statements-july", smime.StatusValid, true, nil},
		{"memory-07-leaf-only", smime.StatusValid, true, nil},
		{"memory-08-unsigned-from-bank", smime.StatusUnsigned, false, []Code{UsuallySigns}},
		{"memory-09-unsigned-other-mailbox", smime.StatusUnsigned, false, []Code{DomainUsuallySigns}},
		{"memory-10-lower-level", smime.StatusValid, false, []Code{LowerLevel}},
		{"memory-11-lookalike", smime.StatusValid, false, []Code{LookalikeConfusable}},
		{"memory-12-claims-organization", smime.StatusUnsigned, false, []Code{ClaimsOrganization}},
	} {
		raw, err := os.ReadFile(filepath.Join(dir, tc.name+".eml"))
		if err != nil {
			t.Fatal(err)
		}
		r, err := smime.Verify(raw, smime.Options{Roots: []*x509.Certificate{root}, NoBundledRoots: true, Now: at, Intermediates: m.Intermediates()})
		if err != nil {
			t.Fatal(err)
		}
		if r.Status != tc.status {
			t.Fatalf("%s: status %s (%v), want %s", tc.name, r.Status, r.Reasons, tc.status)
		}
		msg := MessageOf(r)
		msg.ID = tc.name
		var got []Code
		for _, w := range m.Check(msg, at) {
			got = append(got, w.Code)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: warnings %v, want %v", tc.name, got, tc.want)
		}
		if learnt := m.Observe(msg, true, at); learnt != tc.learnt {
			t.Errorf("%s: learnt %v, want %v", tc.name, learnt, tc.learnt)
		}
		at = at.Add(time.Hour)
	}
	if mb := m.mailboxes["alerts@example-bank.example"]; mb == nil || mb.Count != 4 || mb.Level != classify.LevelV3 {
		t.Errorf("alerts@: %+v", mb)
	}
}
