package memory

import (
	"bytes"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/mail"
	"sort"
	"time"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"

	"github.com/mailseal/mailseal/internal/lookalike"
)

// The stored file: {"format": "mailseal-memory", "version": N, ...}. Version is what Marshal
// writes; Load reads every version from 1 on, migrating each step in turn (migrations[v] turns
// version v into v+1), and refuses newer ones.
const (
	formatName = "mailseal-memory"
	Version    = 1
)

// MaxFileSize bounds what Load reads: 10,000 senders with their certificates fit well within.
const MaxFileSize = 48 << 20

const maxCertificate = 16 << 10

// migrations[v] rewrites a version v file as version v+1. None yet: version 1 is the first.
var migrations = map[int]func(map[string]json.RawMessage) error{}

// ErrFormat is wrapped by every error of Load: the file is not a memory this build can read.
var ErrFormat = errors.New("memory: not a mailseal memory file")

type file struct {
	Format        string         `json:"format"`
	Version       int            `json:"version"`
	Mailboxes     []Mailbox      `json:"mailboxes"`
	Domains       []Domain       `json:"domains"`
	Intermediates []Intermediate `json:"intermediates"`
	// Seen are the first 16 bytes of SHA-256 of the IDs of the messages learnt from, hex,
	// oldest first: a message opened again is not counted again.
	Seen []string `json:"seen,omitempty"`
}

// Load reads a file that Marshal wrote (this build or an earlier one), checks every entry, and
// forgets what is older than the expiry at now. An import goes through Load too: anything it
// does not accept is an error that names the entry.
//
// Both forms are read: the JSON file (export, import, and what earlier versions stored) and the
// stored form (MarshalStored), told apart by the stored form's first line.
func Load(data []byte, now time.Time) (*Memory, error) {
	if len(data) > MaxFileSize {
		return nil, fmt.Errorf("%w: larger than %d MB", ErrFormat, MaxFileSize>>20)
	}
	var f *file
	var err error
	if bytes.HasPrefix(data, storedHead) {
		f, err = parseStored(data)
	} else {
		f, err = parseJSON(data)
	}
	if err != nil {
		return nil, err
	}
	return fromFile(f, now)
}

// parseJSON reads the JSON file of any version, migrating it to the current one.
func parseJSON(data []byte) (*file, error) {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrFormat, err)
	}
	var name string
	var version int
	if json.Unmarshal(top["format"], &name) != nil || name != formatName {
		return nil, fmt.Errorf("%w: its format is not %q", ErrFormat, formatName)
	}
	if err := json.Unmarshal(top["version"], &version); err != nil || version < 1 {
		return nil, fmt.Errorf("%w: no version", ErrFormat)
	}
	if version > Version {
		return nil, fmt.Errorf("%w: version %d was written by a newer mailseal (this one reads up to %d)", ErrFormat, version, Version)
	}
	for v := version; v < Version; v++ {
		if err := migrations[v](top); err != nil {
			return nil, fmt.Errorf("%w: migrating version %d: %v", ErrFormat, v, err)
		}
	}
	migrated, err := json.Marshal(top)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrFormat, err)
	}
	var f file
	dec := json.NewDecoder(bytes.NewReader(migrated))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrFormat, err)
	}
	return &f, nil
}

// fromFile checks every entry of f, as Load promises, and makes the memory.
func fromFile(f *file, now time.Time) (*Memory, error) {
	m := New()
	if len(f.Mailboxes) > m.limits.Mailboxes || len(f.Domains) > m.limits.maxDomains() || len(f.Intermediates) > m.limits.Intermediates {
		return nil, fmt.Errorf("%w: more entries than a memory holds", ErrFormat)
	}
	// registrable is the registrable part of each host, the costliest thing checked, looked up
	// once per host: a domain's senders share it, and most write their address at the domain.
	registrable := make(map[string]string, len(f.Domains))
	for i := range f.Domains {
		d := f.Domains[i]
		if err := checkDomain(d); err != nil {
			return nil, fmt.Errorf("%w: domain %d: %v", ErrFormat, i+1, err)
		}
		if m.domains[d.Domain] != nil {
			return nil, fmt.Errorf("%w: domain %d: %s is listed twice", ErrFormat, i+1, d.Domain)
		}
		registrable[d.Domain] = d.Domain // checkDomain found it its own registrable part
		d.LastSeen = notAfter(d.LastSeen, now)
		m.domains[d.Domain] = &d
	}
	for i := range f.Mailboxes {
		mb := f.Mailboxes[i]
		host := domainOf(mb.Address)
		reg, ok := registrable[host]
		if !ok {
			reg = lookalike.Registrable(host)
			registrable[host] = reg
		}
		if err := checkMailbox(mb, reg); err != nil {
			return nil, fmt.Errorf("%w: sender %d: %v", ErrFormat, i+1, err)
		}
		if m.mailboxes[mb.Address] != nil {
			return nil, fmt.Errorf("%w: sender %d: %s is listed twice", ErrFormat, i+1, mb.Address)
		}
		d := m.domains[reg]
		if d == nil || rank(d.BestLevel) < rank(mb.Level) {
			return nil, fmt.Errorf("%w: sender %d: its domain %s is missing or lists a lower level", ErrFormat, i+1, reg)
		}
		mb.FirstSeen, mb.LastSeen = notAfter(mb.FirstSeen, now), notAfter(mb.LastSeen, now)
		m.mailboxes[mb.Address] = &mb
		m.byDomain[reg] = append(m.byDomain[reg], mb.Address)
	}
	for i, in := range f.Intermediates {
		c, err := x509.ParseCertificate(in.Certificate)
		if err != nil || !c.IsCA || len(in.Certificate) > maxCertificate || in.LastSeen.IsZero() {
			return nil, fmt.Errorf("%w: intermediate %d is not a CA certificate with a time it was seen", ErrFormat, i+1)
		}
		in.LastSeen = notAfter(in.LastSeen, now)
		in.parsed = c
		m.intermediates[sha256.Sum256(in.Certificate)] = &in
	}
	if len(f.Seen) > maxSeen {
		return nil, fmt.Errorf("%w: more than %d message IDs", ErrFormat, maxSeen)
	}
	for i, id := range f.Seen {
		if b, err := hex.DecodeString(id); err != nil || len(b) != 16 {
			return nil, fmt.Errorf("%w: message ID %d is not 32 hex digits", ErrFormat, i+1)
		}
	}
	m.seen = f.Seen
	m.expire(now)
	return m, nil
}

// Marshal writes the memory as the current version of the JSON file, in a stable order.
func (m *Memory) Marshal(now time.Time) ([]byte, error) {
	return json.Marshal(m.toFile(now))
}

// toFile is what Marshal and MarshalStored write: the memory at now, in a stable order.
func (m *Memory) toFile(now time.Time) *file {
	m.expire(now)
	f := file{Format: formatName, Version: Version, Mailboxes: []Mailbox{}, Domains: []Domain{}, Intermediates: []Intermediate{}}
	f.Mailboxes = m.Mailboxes()
	f.Seen = m.seen
	for _, d := range m.domains {
		f.Domains = append(f.Domains, *d)
	}
	sort.Slice(f.Domains, func(i, j int) bool { return f.Domains[i].Domain < f.Domains[j].Domain })
	for _, in := range m.intermediates {
		f.Intermediates = append(f.Intermediates, *in)
	}
	sort.Slice(f.Intermediates, func(i, j int) bool {
		return bytes.Compare(f.Intermediates[i].Certificate, f.Intermediates[j].Certificate) < 0
	})
	return &f
}

// notAfter reads a time after now as now: a file (imported, or written while the clock ran
// ahead) must not keep a sender recent for ever. Refusing the file would lose the memory to a
// clock set back.
func notAfter(t, now time.Time) time.Time {
	if t.After(now) {
		return now
	}
	return t
}

// checkMailbox checks a sender whose address's registrable domain is reg.
func checkMailbox(mb Mailbox, reg string) error {
	a, err := mail.ParseAddress(mb.Address)
	switch {
	case err != nil || a.Address != mb.Address || mb.Address != normalAddress(mb.Address) || len(mb.Address) > 254:
		return fmt.Errorf("%q is not a lowercase mail address", mb.Address)
	case reg == "":
		return fmt.Errorf("%s has no registrable domain", mb.Address)
	case rank(mb.Level) == 0:
		return fmt.Errorf("level %q is not V1, V2, V3 or V4", mb.Level)
	case mb.Count < 1 || mb.Count > 1<<30:
		return fmt.Errorf("count %d is out of range", mb.Count)
	case mb.FirstSeen.IsZero() || mb.LastSeen.Before(mb.FirstSeen):
		return errors.New("its first and last seen times are missing or out of order")
	case !oneCertificate(mb.Certificate):
		return errors.New("its certificate is not one DER certificate of at most 16 KB")
	case len(mb.Issuer) > 512 || tooLong(mb.Identity):
		return errors.New("its identity or issuer is too long")
	}
	return nil
}

func checkDomain(d Domain) error {
	switch {
	case lookalike.Registrable(d.Domain) != d.Domain:
		return fmt.Errorf("%q is not a registrable domain in ASCII form", d.Domain)
	case rank(d.BestLevel) == 0:
		return fmt.Errorf("level %q is not V1, V2, V3 or V4", d.BestLevel)
	case d.Mailboxes < 1 || d.Mailboxes > 1<<30:
		return fmt.Errorf("mailbox count %d is out of range", d.Mailboxes)
	case d.LastSeen.IsZero():
		return errors.New("no time it was last seen")
	}
	return nil
}

// oneCertificate checks der is a single DER SEQUENCE of sane size, without parsing it: a
// remembered signer's certificate is kept, not used for trust, and 10,000 of them are loaded at
// each start.
func oneCertificate(der []byte) bool {
	if len(der) == 0 || len(der) > maxCertificate {
		return false
	}
	s := cryptobyte.String(der)
	var body cryptobyte.String
	return s.ReadASN1(&body, cbasn1.SEQUENCE) && s.Empty()
}

func tooLong(id Identity) bool {
	return len(id.Name) > 256 || len(id.Organization) > 256 || len(id.Country) > 8 || len(id.Title) > 256
}
