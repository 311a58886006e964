package memory

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mailseal/mailseal/internal/classify"
	"github.com/mailseal/mailseal/internal/testpki"
)

func TestRoundTrip(t *testing.T) {
	pki := testpki.MustNew(t)
	m := build(t, []seen{{msg: signed("alerts@example-bank.example", classify.LevelV3, bankOrg), n: 4}})
	msg := signed("ana@bank.example", classify.LevelV2, Identity{Name: "Ana"})
	msg.CAs = [][]byte{pki.Intermediate.Raw}
	m.Observe(msg, true, now)
	m.Pin("ana@bank.example", true)
	data, l := reload(t, m)
	again, _ := l.Marshal(now)
	if !bytes.Equal(data, again) {
		t.Errorf("Load then Marshal changed the file:\n%s\n%s", data, again)
	}
	if ims := l.Intermediates(); len(ims) != 1 || !ims[0].Equal(pki.Intermediate) {
		t.Errorf("intermediates after loading: %d", len(ims))
	}
}

// reload is m written and read back, at now.
func reload(t *testing.T, m *Memory) ([]byte, *Memory) {
	t.Helper()
	data, err := m.Marshal(now)
	if err != nil {
		t.Fatal(err)
	}
	l, err := Load(data, now)
	if err != nil {
		t.Fatal(err)
	}
	return data, l
}

// TestLoadEveryVersion loads a file of every version from 1 on, as an earlier build wrote it
// (testdata/v<N>.json, never rewritten), and checks what it says survived the migrations.
func TestLoadEveryVersion(t *testing.T) {
	for v := 1; v <= Version; v++ {
		data, err := os.ReadFile(filepath.Join("testdata", "v"+string(rune('0'+v))+".json"))
		if err != nil {
			t.Fatalf("version %d: %v (each version keeps a file of its own)", v, err)
		}
		m, err := Load(data, now)
		if err != nil {
			t.Fatalf("version %d: %v", v, err)
		}
		mb := m.mailboxes["alerts@example-bank.example"]
		if mb == nil || mb.Level != classify.LevelV3 || mb.Count != 20 || mb.Identity.Organization != "Example Bank Ltd" || !mb.Pinned {
			t.Fatalf("version %d: %+v", v, mb)
		}
		if ws := m.Check(unsigned("alerts@example-bank.example"), now); len(ws) != 1 || ws[0].Code != UsuallySigns {
			t.Errorf("version %d: %v", v, ws)
		}
	}
}

func TestLoadRefuses(t *testing.T) {
	good, err := os.ReadFile("testdata/v1.json")
	if err != nil {
		t.Fatal(err)
	}
	edit := func(f func(map[string]any)) string {
		var v map[string]any
		json.Unmarshal(good, &v)
		f(v)
		b, _ := json.Marshal(v)
		return string(b)
	}
	mailbox := func(key string, val any) string {
		return edit(func(v map[string]any) { v["mailboxes"].([]any)[0].(map[string]any)[key] = val })
	}
	for _, tc := range []struct{ name, data, want string }{
		{"not JSON", "{", "not a mailseal memory"},
		{"another format", `{"format":"x","version":1}`, "format"},
		{"a newer version", edit(func(v map[string]any) { v["version"] = Version + 1 }), "newer mailseal"},
		{"no version", edit(func(v map[string]any) { delete(v, "version") }), "no version"},
		{"an unknown field", edit(func(v map[string]any) { v["extra"] = 1 }), "unknown field"},
		{"a bad level", mailbox("level", "V9"), "sender 1: level"},
		{"an address not lowercase", mailbox("address", "Alerts@example-bank.example"), "lowercase"},
		{"not an address", mailbox("address", "alerts"), "lowercase"},
		{"a zero count", mailbox("count", 0), "count"},
		{"times out of order", mailbox("firstSeen", "2030-01-01T00:00:00Z"), "out of order"},
		{"a certificate that is not DER", mailbox("certificate", "aGVsbG8="), "DER"},
		{"a huge name", mailbox("identity", map[string]any{"organization": strings.Repeat("x", 300)}), "too long"},
		{"a mailbox without its domain", edit(func(v map[string]any) { v["domains"] = []any{} }), "domain"},
		{"a domain listed twice", edit(func(v map[string]any) { d := v["domains"].([]any); v["domains"] = append(d, d[0]) }), "twice"},
		{"a sender listed twice", edit(func(v map[string]any) { d := v["mailboxes"].([]any); v["mailboxes"] = append(d, d[0]) }), "twice"},
		{"an intermediate that is not a CA", edit(func(v map[string]any) {
			v["intermediates"] = []any{map[string]any{"certificate": "MAMCAQE=", "lastSeen": "2026-05-01T00:00:00Z"}}
		}), "intermediate 1"},
		{"a bad message ID", edit(func(v map[string]any) { v["seen"] = []any{"xyz"} }), "message ID 1"},
		{"too large", `{"format":"mailseal-memory","version":1,"x":"` + strings.Repeat("x", MaxFileSize) + `"}`, "larger than"},
	} {
		_, err := Load([]byte(tc.data), now)
		if err == nil || !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one with %q", tc.name, err, tc.want)
		}
	}
}
