package memory

import (
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/mailseal/mailseal/internal/classify"
)

// The stored form is what the extension keeps between starts: the same content as the JSON file,
// read at every start of the core, so made to be read fast. encoding/json takes about a second
// in WebAssembly for a heavy user's 10,000 senders; this takes a small fraction of it. The JSON
// file stays the form users export and import.
//
// It is one line of ASCII, "mailseal-memory-stored <version>\n", then the body in standard
// base64 (the extension's storage holds strings). The body, in order:
//
//	domains        count, then each: domain, level, mailboxes, lastSeen
//	mailboxes      count, then each: address, level, flags, name, organization, country,
//	               title, certificate, issuer, firstSeen, lastSeen, count
//	intermediates  count, then each: certificate, lastSeen
//	seen           count, then each: 16 bytes
//
// A count or number is an unsigned varint (encoding/binary); a string or certificate is its
// length as one, then its bytes; a level is one byte, 1–4 for V1–V4; flags is one byte, bit 0
// pseudonym, bit 1 pinned; a time is a signed varint of Unix seconds, then the nanoseconds as an
// unsigned varint. Every count and length is checked against what a memory holds and against
// the bytes left before anything is allocated, and then every entry is checked as Load checks
// the JSON file's.
const (
	storedName    = "mailseal-memory-stored"
	StoredVersion = 1
)

var storedHead = []byte(storedName + " ")

const (
	maxString   = 1024 // longer than any field fromFile accepts, so that its check names the field
	flagPseudo  = 1 << 0
	flagPinned  = 1 << 1
	minUnixTime = -62135596800 // 0001-01-01, the zero time
	maxUnixTime = 253402300799 // 9999-12-31, the last time RFC 3339 (and so the JSON file) can write
)

var levels = [...]classify.Level{1: classify.LevelV1, 2: classify.LevelV2, 3: classify.LevelV3, 4: classify.LevelV4}

// MarshalStored writes the memory in the stored form, in the order Marshal uses.
func (m *Memory) MarshalStored(now time.Time) ([]byte, error) {
	f := m.toFile(now)
	var w writer
	w.count(len(f.Domains))
	for _, d := range f.Domains {
		w.str(d.Domain)
		w.level(d.BestLevel)
		w.count(d.Mailboxes)
		w.time(d.LastSeen)
	}
	w.count(len(f.Mailboxes))
	for _, mb := range f.Mailboxes {
		w.str(mb.Address)
		w.level(mb.Level)
		var flags byte
		if mb.Identity.Pseudonym {
			flags |= flagPseudo
		}
		if mb.Pinned {
			flags |= flagPinned
		}
		w.b = append(w.b, flags)
		for _, s := range [...]string{mb.Identity.Name, mb.Identity.Organization, mb.Identity.Country, mb.Identity.Title} {
			w.str(s)
		}
		w.bytes(mb.Certificate)
		w.str(mb.Issuer)
		w.time(mb.FirstSeen)
		w.time(mb.LastSeen)
		w.count(mb.Count)
	}
	w.count(len(f.Intermediates))
	for _, in := range f.Intermediates {
		w.bytes(in.Certificate)
		w.time(in.LastSeen)
	}
	w.count(len(f.Seen))
	for _, id := range f.Seen {
		b, err := hex.DecodeString(id)
		if err != nil || len(b) != 16 {
			return nil, fmt.Errorf("memory: message ID %q is not 32 hex digits", id)
		}
		w.b = append(w.b, b...)
	}
	if w.err != nil {
		return nil, w.err
	}
	head := storedName + " " + strconv.Itoa(StoredVersion) + "\n"
	out := make([]byte, len(head)+base64.StdEncoding.EncodedLen(len(w.b)))
	copy(out, head)
	base64.StdEncoding.Encode(out[len(head):], w.b)
	return out, nil
}

type writer struct {
	b   []byte
	err error
}

func (w *writer) count(n int) {
	if n < 0 {
		w.err = errors.New("memory: a negative count")
		return
	}
	w.b = binary.AppendUvarint(w.b, uint64(n))
}

func (w *writer) str(s string) {
	w.count(len(s))
	w.b = append(w.b, s...)
}

func (w *writer) bytes(b []byte) {
	w.count(len(b))
	w.b = append(w.b, b...)
}

func (w *writer) level(l classify.Level) {
	r := rank(l)
	if r == 0 {
		w.err = fmt.Errorf("memory: level %q is not V1, V2, V3 or V4", l)
	}
	w.b = append(w.b, byte(r))
}

func (w *writer) time(t time.Time) {
	w.b = binary.AppendVarint(w.b, t.Unix())
	w.b = binary.AppendUvarint(w.b, uint64(t.Nanosecond()))
}

// parseStored reads the stored form into a file; fromFile then checks its entries.
func parseStored(data []byte) (*file, error) {
	line, body, ok := cutLine(data[len(storedHead):])
	version, err := strconv.Atoi(string(line))
	switch {
	case !ok || err != nil || version < 1:
		return nil, fmt.Errorf("%w: the stored form has no version", ErrFormat)
	case version > StoredVersion:
		return nil, fmt.Errorf("%w: stored form version %d was written by a newer mailseal (this one reads up to %d)", ErrFormat, version, StoredVersion)
	}
	raw := make([]byte, base64.StdEncoding.DecodedLen(len(body)))
	n, err := base64.StdEncoding.Strict().Decode(raw, body)
	if err != nil {
		return nil, fmt.Errorf("%w: the stored form is not base64: %v", ErrFormat, err)
	}
	r := reader{b: raw[:n]}
	f := &file{Format: formatName, Version: Version}
	limits := DefaultLimits

	f.Domains = make([]Domain, r.count("domains", limits.maxDomains()))
	for i := range f.Domains {
		d := &f.Domains[i]
		r.at("domain", i)
		d.Domain = r.str()
		d.BestLevel = r.level()
		d.Mailboxes = int(r.number(1 << 30))
		d.LastSeen = r.time()
	}
	f.Mailboxes = make([]Mailbox, r.count("senders", limits.Mailboxes))
	for i := range f.Mailboxes {
		mb := &f.Mailboxes[i]
		r.at("sender", i)
		mb.Address = r.str()
		mb.Level = r.level()
		flags := r.byte()
		if flags&^(flagPseudo|flagPinned) != 0 {
			r.fail("unknown flags %#x", flags)
		}
		mb.Identity.Pseudonym, mb.Pinned = flags&flagPseudo != 0, flags&flagPinned != 0
		mb.Identity.Name = r.str()
		mb.Identity.Organization = r.str()
		mb.Identity.Country = r.str()
		mb.Identity.Title = r.str()
		mb.Certificate = r.bytes(maxCertificate)
		mb.Issuer = r.str()
		mb.FirstSeen = r.time()
		mb.LastSeen = r.time()
		mb.Count = int(r.number(1 << 30))
	}
	f.Intermediates = make([]Intermediate, r.count("intermediates", limits.Intermediates))
	for i := range f.Intermediates {
		in := &f.Intermediates[i]
		r.at("intermediate", i)
		in.Certificate = r.bytes(maxCertificate)
		in.LastSeen = r.time()
	}
	if seen := r.count("message IDs", maxSeen); seen > 0 {
		f.Seen = make([]string, seen)
		for i := range f.Seen {
			r.at("message ID", i)
			f.Seen[i] = hex.EncodeToString(r.next(16))
		}
	}
	if r.err == nil && len(r.b) > 0 {
		r.at("", -1)
		r.fail("%d bytes after the last entry", len(r.b))
	}
	if r.err != nil {
		return nil, fmt.Errorf("%w: %v", ErrFormat, r.err)
	}
	return f, nil
}

func cutLine(b []byte) (line, rest []byte, ok bool) {
	for i, c := range b {
		if c == '\n' {
			return b[:i], b[i+1:], true
		}
		if i >= 8 {
			break
		}
	}
	return nil, nil, false
}

// reader reads the body; after the first error every read returns zero values and the error
// stays the first.
type reader struct {
	b     []byte
	err   error
	what  string // the entry being read, for the error: "sender" 11 says "sender 12"
	index int    // -1 for a count
}

func (r *reader) at(what string, i int) { r.what, r.index = what, i }

func (r *reader) fail(format string, args ...any) {
	if r.err != nil {
		return
	}
	msg := fmt.Sprintf(format, args...)
	switch {
	case r.index >= 0:
		msg = fmt.Sprintf("%s %d: %s", r.what, r.index+1, msg)
	case r.what != "":
		msg = fmt.Sprintf("the count of %s: %s", r.what, msg)
	}
	r.err = errors.New(msg)
}

func (r *reader) next(n int) []byte {
	if r.err != nil {
		return nil
	}
	if n > len(r.b) {
		r.fail("the stored form ends early")
		return nil
	}
	out := r.b[:n:n]
	r.b = r.b[n:]
	return out
}

func (r *reader) byte() byte {
	if b := r.next(1); b != nil {
		return b[0]
	}
	return 0
}

func (r *reader) number(max uint64) uint64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.fail("the stored form ends early or holds a bad number")
		return 0
	}
	r.b = r.b[n:]
	if v > max {
		r.fail("%d is more than %d", v, max)
		return 0
	}
	return v
}

// count reads how many entries follow: at most max, and no more than the bytes left (each entry
// takes at least one), so that a hostile count allocates nothing.
func (r *reader) count(what string, max int) int {
	r.at(what, -1)
	n := r.number(uint64(max))
	if r.err == nil && n > uint64(len(r.b)) {
		r.fail("%d entries in %d bytes", n, len(r.b))
		return 0
	}
	return int(n)
}

func (r *reader) bytes(max int) []byte {
	return r.next(int(r.number(uint64(max))))
}

func (r *reader) str() string {
	return string(r.bytes(maxString))
}

func (r *reader) level() classify.Level {
	b := r.byte()
	if r.err == nil && (b == 0 || int(b) >= len(levels)) {
		r.fail("level %d is not 1 to 4", b)
	}
	if r.err != nil {
		return ""
	}
	return levels[b]
}

func (r *reader) time() time.Time {
	if r.err != nil {
		return time.Time{}
	}
	sec, n := binary.Varint(r.b)
	if n <= 0 || sec < minUnixTime || sec > maxUnixTime {
		r.fail("a time out of range")
		return time.Time{}
	}
	r.b = r.b[n:]
	nsec := r.number(999999999)
	if r.err != nil {
		return time.Time{}
	}
	return time.Unix(sec, int64(nsec)).UTC()
}
