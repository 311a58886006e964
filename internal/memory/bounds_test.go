package memory

import (
	"fmt"
	"testing"
	"time"

	"github.com/mailseal/mailseal/internal/classify"
)

func TestBounds(t *testing.T) {
	m := New()
	m.SetLimits(Limits{Mailboxes: 5, PerDomain: 3, Intermediates: 2, Expiry: 2 * 365 * day})
	bank := signed("alerts@example-bank.example", classify.LevelV3, bankOrg)
	m.Observe(bank, true, now.Add(-100*day))
	if err := m.Pin(bank.From, true); err != nil {
		t.Fatal(err)
	}
	// One domain floods: the per-domain cap keeps it to 3, least recently seen out first.
	for i := range 6 {
		m.Observe(signed(fmt.Sprintf("n%d@spam.example", i), classify.LevelV1, Identity{}), true, now.Add(time.Duration(i)*time.Minute))
	}
	if got := len(m.byDomain["spam.example"]); got != 3 {
		t.Errorf("spam.example keeps %d mailboxes, want 3", got)
	}
	if m.mailboxes["n0@spam.example"] != nil || m.mailboxes["n5@spam.example"] == nil {
		t.Error("the per-domain cap did not evict the least recently seen")
	}
	// Many domains: the total cap evicts the least recently seen, never the pinned bank.
	for i := range 4 {
		m.Observe(signed(fmt.Sprintf("x@d%d.example", i), classify.LevelV1, Identity{}), true, now.Add(time.Hour+time.Duration(i)*time.Minute))
	}
	if m.Len() != 5 || m.mailboxes[bank.From] == nil {
		t.Errorf("%d remembered (want 5), bank kept: %v", m.Len(), m.mailboxes[bank.From] != nil)
	}
	if m.mailboxes["x@d3.example"] == nil || m.mailboxes["n3@spam.example"] != nil {
		t.Error("the total cap did not evict the least recently seen")
	}
	// The evicted domain's record stays: its best level still guards against look-alikes.
	if m.domains["spam.example"] == nil {
		t.Error("an evicted mailbox's domain was forgotten")
	}
}

func TestExpiry(t *testing.T) {
	m := New()
	old := now.Add(-2*365*day - day)
	m.Observe(signed("old@a.example", classify.LevelV3, bankOrg), true, old)
	m.Observe(signed("pinned@b.example", classify.LevelV3, bankOrg), true, old)
	m.Observe(signed("recent@c.example", classify.LevelV3, bankOrg), true, now.Add(-2*365*day+day))
	if err := m.Pin("pinned@b.example", true); err != nil {
		t.Fatal(err)
	}
	_, l := reload(t, m)
	if l.mailboxes["old@a.example"] != nil || l.domains["a.example"] != nil {
		t.Error("an entry unseen for two years was kept")
	}
	if l.mailboxes["pinned@b.example"] == nil || l.mailboxes["recent@c.example"] == nil {
		t.Error("a pinned or recent entry expired")
	}
}

func TestPinForget(t *testing.T) {
	m := build(t, []seen{{msg: signed("alerts@example-bank.example", classify.LevelV3, bankOrg), n: 3}})
	if err := m.Pin("nobody@example.com", true); err == nil {
		t.Error("pinned an unknown sender")
	}
	if m.Forget("nobody@example.com") || !m.Forget("Alerts@example-bank.example") || m.Len() != 0 {
		t.Error("Forget")
	}
	m = build(t, []seen{{msg: signed("alerts@example-bank.example", classify.LevelV3, bankOrg), n: 3}})
	if err := m.SetExpectations([]Expectation{{"bank.example", classify.LevelV3}}); err != nil {
		t.Fatal(err)
	}
	m.ForgetAll()
	if m.Len() != 0 || len(m.domains) != 0 || len(m.expectations) != 1 {
		t.Errorf("ForgetAll: %d senders, %d domains, %d expectations", m.Len(), len(m.domains), len(m.expectations))
	}
}

func TestSetExpectationsRefusesBadInput(t *testing.T) {
	for _, e := range []Expectation{{"", classify.LevelV3}, {"com", classify.LevelV3}, {"bank.example", "V9"}, {"bank.example", ""}} {
		if err := New().SetExpectations([]Expectation{e}); err == nil {
			t.Errorf("accepted %+v", e)
		}
	}
}
