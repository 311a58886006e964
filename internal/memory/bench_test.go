package memory

import (
	"fmt"
	"testing"
	"time"

	"github.com/mailseal/mailseal/internal/classify"
)

// Filled makes a memory of n senders over n/4 domains, as a heavy user's would be.
func filled(n int) *Memory {
	m := New()
	for i := range n {
		m.Observe(signed(fmt.Sprintf("sender%d@org%d-bank.example", i, i/4), classify.LevelV3,
			Identity{Organization: fmt.Sprintf("Org %d Ltd", i/4), Country: "GB"}), true, now.Add(-time.Duration(n-i)*time.Minute))
	}
	return m
}

// BenchmarkCheck is one lookup against 10,000 remembered senders: a look-alike (the most work).
func BenchmarkCheck(b *testing.B) {
	m := filled(10000)
	msg := named(unsigned("alerts@org77-bamk.example"), "Org 12 Ltd")
	m.Check(msg, now) // builds the indexes once, as the first message after a start does
	b.ResetTimer()
	for b.Loop() {
		if len(m.Check(msg, now)) == 0 {
			b.Fatal("no warning")
		}
	}
}
