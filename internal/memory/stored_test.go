package memory

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mailseal/mailseal/internal/classify"
	"github.com/mailseal/mailseal/internal/fuzzlimit"
	"github.com/mailseal/mailseal/internal/testpki"
)

// storedMemory has something in every field the stored form writes.
func storedMemory(t testing.TB) *Memory {
	pki := testpki.MustNew(t)
	m := New()
	bank := signed("alerts@example-bank.example", classify.LevelV3, bankOrg)
	for i := range 4 {
		bank.ID = "msg-" + strconv.Itoa(i)
		m.Observe(bank, true, now.Add(-day*30+day*7*time.Duration(i)))
	}
	ana := signed("ana@bank.example", classify.LevelV4, Identity{Name: "Ana", Pseudonym: true, Organization: "Bank", Country: "GB", Title: "Clerk"})
	ana.CAs = [][]byte{pki.Intermediate.Raw}
	m.Observe(ana, true, now.Add(-time.Hour+123*time.Nanosecond))
	if err := m.Pin("ana@bank.example", true); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestStoredRoundTrip(t *testing.T) {
	m := storedMemory(t)
	stored, err := m.MarshalStored(now)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(stored, []byte("mailseal-memory-stored 1\n")) {
		t.Fatalf("the stored form begins %q", stored[:min(len(stored), 40)])
	}
	l, err := Load(stored, now)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := l.MarshalStored(now)
	if !bytes.Equal(stored, again) {
		t.Error("Load then MarshalStored changed the stored form")
	}
	// The same memory as the JSON file says it: nothing lost on the way, down to the nanosecond.
	want, _ := m.Marshal(now)
	got, _ := l.Marshal(now)
	if !bytes.Equal(want, got) {
		t.Errorf("the stored form lost something:\n%s\n%s", want, got)
	}
	if len(l.seen) != 4 || len(l.Intermediates()) != 1 || !l.mailboxes["ana@bank.example"].Pinned || !l.mailboxes["ana@bank.example"].Identity.Pseudonym {
		t.Errorf("seen %d, intermediates %d, ana %+v", len(l.seen), len(l.Intermediates()), l.mailboxes["ana@bank.example"])
	}
	// And it answers as the memory it came from.
	if ws := l.Check(unsigned("alerts@example-bank.example"), now); len(ws) != 1 || ws[0].Code != UsuallySigns {
		t.Errorf("after the stored form: %v", ws)
	}
}

// A file of every JSON version, stored and loaded again, is the memory the JSON file was.
func TestStoredFromEveryVersion(t *testing.T) {
	for v := 1; v <= Version; v++ {
		data, err := os.ReadFile("testdata/v" + strconv.Itoa(v) + ".json")
		if err != nil {
			t.Fatal(err)
		}
		fromJSON, err := Load(data, now)
		if err != nil {
			t.Fatal(err)
		}
		stored, err := fromJSON.MarshalStored(now)
		if err != nil {
			t.Fatal(err)
		}
		fromStored, err := Load(stored, now)
		if err != nil {
			t.Fatalf("version %d: %v", v, err)
		}
		a, _ := fromJSON.Marshal(now)
		b, _ := fromStored.Marshal(now)
		if !bytes.Equal(a, b) {
			t.Errorf("version %d through the stored form:\n%s\n%s", v, a, b)
		}
	}
}

// storedBody is the stored form's body of m, decoded.
func storedBody(t testing.TB, m *Memory) []byte {
	stored, err := m.MarshalStored(now)
	if err != nil {
		t.Fatal(err)
	}
	_, body, _ := bytes.Cut(stored, []byte("\n"))
	raw, err := base64.StdEncoding.DecodeString(string(body))
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

func wrapStored(version string, body []byte) []byte {
	return []byte("mailseal-memory-stored " + version + "\n" + base64.StdEncoding.EncodeToString(body))
}

func TestStoredRefuses(t *testing.T) {
	body := storedBody(t, storedMemory(t))
	// A body of one domain and one sender, to change one field of at a time.
	var w writer
	entry := func(address string, level classify.Level, flags byte, cert []byte, sec int64) []byte {
		w = writer{}
		w.count(1)
		w.str("example.com")
		w.level(classify.LevelV4)
		w.count(1)
		w.time(now)
		w.count(1)
		w.str(address)
		w.b = append(w.b, byte(rank(level)))
		w.b = append(w.b, flags)
		for range 4 {
			w.str("")
		}
		w.bytes(cert)
		w.str("CN=CA")
		w.time(now.Add(-day))
		w.b = binary.AppendVarint(w.b, sec) // last seen
		w.b = append(w.b, 0)
		w.count(1)
		w.count(0)
		w.count(0)
		return w.b
	}
	goodCert := cert(1)
	nowSec := now.Unix()
	if _, err := Load(wrapStored("1", entry("a@example.com", classify.LevelV1, 0, goodCert, nowSec)), now); err != nil {
		t.Fatalf("the good entry: %v", err)
	}
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"no version", []byte("mailseal-memory-stored \n"), "no version"},
		{"no line end", []byte("mailseal-memory-stored 1"), "no version"},
		{"a newer version", wrapStored("2", body), "newer mailseal"},
		{"not base64", []byte("mailseal-memory-stored 1\n!!!!"), "not base64"},
		{"bytes after the last entry", wrapStored("1", append(bytes.Clone(body), 0)), "after the last entry"},
		{"more senders than a memory holds", wrapStored("1", binary.AppendUvarint([]byte{0}, 10001)), "the count of senders: 10001 is more than 10000"},
		{"a count larger than the bytes left", wrapStored("1", []byte{0, 100, 0}), "100 entries in 1 bytes"},
		{"a level that is not 1 to 4", wrapStored("1", entry("a@example.com", classify.LevelNone, 0, goodCert, nowSec)), "sender 1: level 0"},
		{"unknown flags", wrapStored("1", entry("a@example.com", classify.LevelV1, 4, goodCert, nowSec)), "sender 1: unknown flags"},
		{"a time past 9999", wrapStored("1", entry("a@example.com", classify.LevelV1, 0, goodCert, maxUnixTime+1)), "sender 1: a time out of range"},
		{"a certificate over 16 KB", wrapStored("1", entry("a@example.com", classify.LevelV1, 0, make([]byte, maxCertificate+1), nowSec)), "sender 1: 16385 is more than 16384"},
		// What the stored form reads is checked as the JSON file's entries are.
		{"an address not lowercase", wrapStored("1", entry("A@example.com", classify.LevelV1, 0, goodCert, nowSec)), "sender 1: \"A@example.com\" is not a lowercase"},
		{"a certificate that is not DER", wrapStored("1", entry("a@example.com", classify.LevelV1, 0, []byte("hello"), nowSec)), "sender 1: its certificate"},
	} {
		_, err := Load(tc.data, now)
		if err == nil || !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one with %q", tc.name, err, tc.want)
		}
	}
	// Every truncation is an error, never a panic or a smaller memory.
	for n := range len(body) {
		if _, err := Load(wrapStored("1", body[:n]), now); err == nil {
			t.Fatalf("the body cut to %d of %d bytes loaded", n, len(body))
		}
	}
}

// FuzzLoadStored reads hostile stored forms: Load answers within fuzzlimit without a panic, and
// what it accepts is stored again unchanged.
func FuzzLoadStored(f *testing.F) {
	f.Add(storedBody(f, storedMemory(f)))
	f.Add(storedBody(f, New()))
	f.Fuzz(func(t *testing.T, body []byte) {
		fuzzlimit.Run(t, func() {
			m, err := Load(wrapStored("1", body), now)
			if err != nil {
				if !errors.Is(err, ErrFormat) {
					t.Fatalf("an error that is not ErrFormat: %v", err)
				}
				return
			}
			once, err := m.MarshalStored(now)
			if err != nil {
				t.Fatalf("a memory Load accepted cannot be stored: %v", err)
			}
			l, err := Load(once, now)
			if err != nil {
				t.Fatalf("the stored form of a loaded memory does not load: %v", err)
			}
			if twice, _ := l.MarshalStored(now); !bytes.Equal(once, twice) {
				t.Fatal("storing and loading again changed the memory")
			}
		})
	})
}
