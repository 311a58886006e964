package memory

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/mailseal/mailseal/internal/classify"
)

// A file is read at each start and on import: one with times after now would keep its senders
// recent forever ("usually signs" never lapses) and first in line to stay when the memory is full.
func TestLoadReadsFutureTimesAsNow(t *testing.T) {
	bank := signed("alerts@example-bank.example", classify.LevelV3, bankOrg)
	m := build(t, []seen{{msg: bank, n: 5}})
	data, err := m.Marshal(now)
	if err != nil {
		t.Fatal(err)
	}
	future := strings.ReplaceAll(string(data), now.Add(-day).Format(time.RFC3339), "9999-01-01T00:00:00Z")
	if future == string(data) {
		t.Fatal("the file holds no last-seen time to change")
	}
	l, err := Load([]byte(future), now)
	if err != nil {
		t.Fatal(err) // a clock set back is no reason to lose the memory
	}
	for _, mb := range l.Mailboxes() {
		if mb.LastSeen.After(now) || mb.FirstSeen.After(now) {
			t.Errorf("%s: seen %v–%v, after now (%v)", mb.Address, mb.FirstSeen, mb.LastSeen, now)
		}
	}
	later := now.Add(200 * day)
	if ws := l.Check(unsigned("alerts@example-bank.example"), later); len(ws) != 0 {
		t.Errorf("200 days after its last message, the bank still 'usually signs': %v", ws)
	}
}

// Domain records outlive their mailboxes (they keep look-alikes known), but not without bound:
// Load refuses a file with more than 4 per sender, so a memory that grew past that would be set
// aside at the next start, every sender with it.
func TestObserveBoundsDomains(t *testing.T) {
	m := New()
	m.SetLimits(Limits{Mailboxes: 10, PerDomain: 200, Intermediates: 256, Expiry: DefaultLimits.Expiry})
	for i := range 100 {
		if !m.Observe(signed(fmt.Sprintf("a@d%d.example", i), classify.LevelV1, Identity{}), true, now.Add(time.Duration(i)*time.Minute)) {
			t.Fatalf("message %d was not learnt", i)
		}
	}
	if len(m.mailboxes) != 10 || len(m.domains) > 40 {
		t.Fatalf("%d mailboxes, %d domains; want 10 and at most 40", len(m.mailboxes), len(m.domains))
	}
	for i := 90; i < 100; i++ { // the domains of the senders kept stay
		if m.domains[fmt.Sprintf("d%d.example", i)] == nil {
			t.Errorf("d%d.example forgotten while its sender is remembered", i)
		}
	}
}

// A hostile import: every one is refused with ErrFormat, quickly, and nothing panics.
func TestLoadRefusesHostileImports(t *testing.T) {
	head := `{"format":"mailseal-memory","version":1,`
	for name, data := range map[string]string{
		"__proto__ key":      head + `"__proto__":{"mailboxes":[]}}`,
		"constructor key":    head + `"mailboxes":[{"constructor":1}]}`,
		"deeply nested":      head + `"x":` + strings.Repeat("[", 100000) + strings.Repeat("]", 100000) + `}`,
		"wrong type":         head + `"mailboxes":{"a":1}}`,
		"huge count":         head + `"mailboxes":[{"address":"a@b.example","count":1e300}]}`,
		"negative version":   `{"format":"mailseal-memory","version":-1}`,
		"version as string":  `{"format":"mailseal-memory","version":"1"}`,
		"null mailbox":       head + `"mailboxes":[null]}`,
		"certificate as int": head + `"mailboxes":[{"address":"a@b.example","certificate":7}]}`,
		"many seen":          head + `"seen":[` + strings.TrimSuffix(strings.Repeat(`"00000000000000000000000000000000",`, 5000), ",") + `]}`,
	} {
		start := time.Now()
		if _, err := Load([]byte(data), now); err == nil {
			t.Errorf("%s: loaded", name)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("%s: %v", name, d)
		}
	}
}
