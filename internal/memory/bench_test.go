package memory

import (
	"encoding/json"
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

// heavyFile is the file of a heavy user, as bench/memory.mjs makes it: n senders over n/4
// domains, each with a 1.2 KB certificate.
func heavyFile(tb testing.TB, n int) []byte {
	der := append([]byte{0x30, 0x82, 0x04, 0xb0}, make([]byte, 1200)...)
	levels := []classify.Level{classify.LevelV1, classify.LevelV2, classify.LevelV3, classify.LevelV4}
	f := file{Format: formatName, Version: Version, Mailboxes: []Mailbox{}, Domains: []Domain{}, Intermediates: []Intermediate{}}
	for i := range n {
		d := i / 4
		level := levels[d%4]
		id := Identity{}
		switch level {
		case classify.LevelV2:
			id.Name = fmt.Sprintf("Person %d", i)
		case classify.LevelV3, classify.LevelV4:
			id.Organization, id.Country = fmt.Sprintf("Org %d Ltd", d), "GB"
		}
		f.Mailboxes = append(f.Mailboxes, Mailbox{Address: fmt.Sprintf("sender%d@org%d-bank.example", i, d), Level: level,
			Identity: id, Certificate: der, Issuer: "CN=Bench CA", FirstSeen: now.Add(-200 * 24 * time.Hour),
			LastSeen: now.Add(-time.Duration(n-i) * time.Minute), Count: 5})
		if i%4 == 0 {
			f.Domains = append(f.Domains, Domain{Domain: fmt.Sprintf("org%d-bank.example", d), BestLevel: level, Mailboxes: 4, LastSeen: now})
		}
	}
	data, err := json.Marshal(f)
	if err != nil {
		tb.Fatal(err)
	}
	return data
}

// BenchmarkLoad reads the file of 10,000 senders a heavy user's extension loads at each start.
func BenchmarkLoad(b *testing.B) {
	data := heavyFile(b, 10000)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		m, err := Load(data, now)
		if err != nil || len(m.mailboxes) != 10000 {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoadStored reads the same memory in the stored form, as the extension does.
func BenchmarkLoadStored(b *testing.B) {
	m, err := Load(heavyFile(b, 10000), now)
	if err != nil {
		b.Fatal(err)
	}
	data, err := m.MarshalStored(now)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		m, err := Load(data, now)
		if err != nil || len(m.mailboxes) != 10000 {
			b.Fatal(err)
		}
	}
}
