// Package memory remembers who signs the reader's mail, and warns when a message breaks the
// pattern: a sender that usually signs sends unsigned mail, signs at a lower level or as another
// identity, or a new domain imitates one the reader knows.
//
// One Memory per webmail account. The caller loads it once (Load, from the JSON file Marshal
// wrote or the stored form of MarshalStored), asks Check about every message it shows, and calls
// Observe only for a message the user opened: Observe learns from a signature judged valid at
// delivery and nothing else, and never from a message Check found dangerous. Administrators'
// expectations (SetExpectations) and pinned senders are never evicted; otherwise the memory is
// bounded (Limits) and forgets the least recently seen first, and anything unseen for two years.
//
// A Memory is not safe for concurrent use.
package memory

import (
	"bytes"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/mailseal/mailseal/internal/classify"
	"github.com/mailseal/mailseal/internal/lookalike"
	"github.com/mailseal/mailseal/internal/smime"
)

// Limits bound a Memory.
type Limits struct {
	Mailboxes     int           // remembered mailboxes in all
	PerDomain     int           // remembered mailboxes of one registrable domain
	Intermediates int           // remembered intermediate CA certificates
	Expiry        time.Duration // an entry unseen this long is forgotten
}

// DefaultLimits are the bounds New and Load use.
var DefaultLimits = Limits{Mailboxes: 10000, PerDomain: 200, Intermediates: 256, Expiry: 2 * 365 * 24 * time.Hour}

const (
	usuallySigns  = 3                    // messages signed before a mailbox "usually signs"
	recent        = 180 * 24 * time.Hour // and the last of them this recent
	maxSeen       = 4096                 // message IDs remembered, so that none counts twice
	domainSigners = 2                    // mailboxes usually signing at V3/V4 before a domain "usually signs"
)

// Identity is what the CA validated, by level: a person's name (V2, V4), an organization and
// its country (V3, V4), a title (V4).
type Identity struct {
	Name         string `json:"name,omitempty"`
	Pseudonym    bool   `json:"pseudonym,omitempty"`
	Organization string `json:"organization,omitempty"`
	Country      string `json:"country,omitempty"`
	Title        string `json:"title,omitempty"`
}

// Mailbox is one remembered sender.
type Mailbox struct {
	Address     string         `json:"address"` // lowercase
	Level       classify.Level `json:"level"`
	Identity    Identity       `json:"identity"`
	Certificate []byte         `json:"certificate"` // the signer's certificate, DER
	Issuer      string         `json:"issuer"`
	FirstSeen   time.Time      `json:"firstSeen"`
	LastSeen    time.Time      `json:"lastSeen"`
	Count       int            `json:"count"` // messages signed at this level as this identity
	Pinned      bool           `json:"pinned,omitempty"`
	// GCM: that mail's SMIMECapabilities announced AES-256-GCM (smime.Signer.GCM).
	GCM bool `json:"gcm,omitempty"`
}

// Domain is what is known of one registrable domain.
type Domain struct {
	Domain    string         `json:"domain"` // registrable, ASCII
	BestLevel classify.Level `json:"bestLevel"`
	Mailboxes int            `json:"mailboxes"` // how many of its mailboxes have signed
	LastSeen  time.Time      `json:"lastSeen"`
}

// Intermediate is a CA certificate seen in a valid chain.
type Intermediate struct {
	Certificate []byte    `json:"certificate"` // DER
	LastSeen    time.Time `json:"lastSeen"`

	parsed *x509.Certificate // parsed once, when learnt or loaded: every verify asks for them
}

// Expectation is an administrator's rule: mail from Domain (or its subdomains) is signed at
// Level or above.
type Expectation struct {
	Domain string         `json:"domain"`
	Level  classify.Level `json:"level"`
}

// Message is what Check and Observe need of a verified message (MessageOf fills it from a
// report).
type Message struct {
	From        string // the From address
	DisplayName string
	Status      smime.Status
	Level       classify.Level // when Status is valid
	Identity    Identity
	Certificate []byte   // the signer's, DER
	Issuer      string   // its issuer's name
	CAs         [][]byte // the chain's certificates between signer and anchor, DER
	GCM         bool     // the signature announced AES-256-GCM
	// ID names the message for its account (a provider's message id): a message opened again
	// is not counted again. "" counts every time.
	ID string
}

// Memory is one account's remembered senders.
type Memory struct {
	limits        Limits
	mailboxes     map[string]*Mailbox
	domains       map[string]*Domain
	byDomain      map[string][]string // registrable domain → addresses
	intermediates map[[32]byte]*Intermediate
	expectations  []Expectation

	seen []string // hashes of the IDs of messages learnt from, oldest first; at most maxSeen

	lookalikes *lookalike.Index // of known domains; nil until needed
	orgs       map[string][]string
}

// New returns an empty Memory with DefaultLimits.
func New() *Memory {
	return &Memory{
		limits:        DefaultLimits,
		mailboxes:     map[string]*Mailbox{},
		domains:       map[string]*Domain{},
		byDomain:      map[string][]string{},
		intermediates: map[[32]byte]*Intermediate{},
	}
}

// SetLimits changes the bounds; the next Observe applies them.
func (m *Memory) SetLimits(l Limits) { m.limits = l }

// MessageOf is what a report says of its message.
func MessageOf(r *smime.Report) Message {
	msg := Message{Status: r.Status, Level: r.Level}
	if r.From != nil {
		msg.From, msg.DisplayName = r.From.Address, r.From.DisplayName
	}
	if s := r.Signer; s != nil && r.Status == smime.StatusValid {
		msg.Identity = Identity{Name: s.Name, Pseudonym: s.Pseudonym, Organization: s.Organization, Country: s.Country, Title: s.Title}
		msg.Issuer, msg.GCM = s.Issuer, s.GCM
		if msg.From == "" {
			msg.From = s.Email
		}
	}
	if len(r.ChainDER) > 0 && r.Status == smime.StatusValid {
		msg.Certificate = r.ChainDER[0]
		if len(r.ChainDER) > 2 {
			msg.CAs = r.ChainDER[1 : len(r.ChainDER)-1]
		}
	}
	return msg
}

// SetExpectations replaces the administrator's expectations.
func (m *Memory) SetExpectations(es []Expectation) error {
	var out []Expectation
	for i, e := range es {
		d := strings.TrimSuffix(strings.ToLower(strings.TrimSpace(e.Domain)), ".")
		if lookalike.Registrable(d) == "" {
			return fmt.Errorf("memory: expectation %d: %q is not a mail domain", i+1, e.Domain)
		}
		if rank(e.Level) == 0 {
			return fmt.Errorf("memory: expectation %d: level %q is not V1, V2, V3 or V4", i+1, e.Level)
		}
		out = append(out, Expectation{Domain: d, Level: e.Level})
	}
	m.expectations = out
	m.lookalikes = nil
	return nil
}

// Observe learns from msg at now, when the user opened it: a message merely listed or
// prefetched teaches nothing. Only a signature judged valid at delivery teaches anything, and a
// message Check finds dangerous teaches nothing (the user opening a fake does not make it
// known). It reports whether the memory changed.
func (m *Memory) Observe(msg Message, opened bool, now time.Time) bool {
	if !opened || msg.Status != smime.StatusValid || rank(msg.Level) == 0 || len(msg.Certificate) == 0 {
		return false
	}
	for _, w := range m.Check(msg, now) {
		if w.Severity == Danger {
			return false
		}
	}
	addr := normalAddress(msg.From)
	reg := lookalike.Registrable(domainOf(addr))
	if reg == "" {
		return false
	}
	for _, ca := range msg.CAs {
		m.rememberIntermediate(ca, now)
	}
	if msg.ID != "" {
		h := sha256.Sum256([]byte(msg.ID))
		id := hex.EncodeToString(h[:16])
		if slices.Contains(m.seen, id) {
			return false
		}
		m.seen = append(m.seen, id)
		if len(m.seen) > maxSeen {
			m.seen = slices.Delete(m.seen, 0, len(m.seen)-maxSeen)
		}
	}
	mb := m.mailboxes[addr]
	if mb == nil {
		mb = &Mailbox{Address: addr, FirstSeen: now}
		m.mailboxes[addr] = mb
		m.byDomain[reg] = append(m.byDomain[reg], addr)
		d := m.domains[reg]
		if d == nil {
			d = &Domain{Domain: reg}
			m.domains[reg] = d
		}
		d.Mailboxes++
	}
	switch {
	case mb.Count == 0 || rank(msg.Level) > rank(mb.Level) || !sameIdentity(mb.Level, mb.Identity, msg.Identity):
		// New, or a higher level (a lower one or another identity was a danger above): the
		// count starts again, for the identity now shown.
		mb.Level, mb.Identity, mb.Count = msg.Level, msg.Identity, 1
	default:
		mb.Count++
		mb.Identity.Title = msg.Identity.Title // a title changes with the job, not the person
	}
	mb.Certificate, mb.Issuer, mb.GCM = msg.Certificate, msg.Issuer, msg.GCM
	if now.After(mb.LastSeen) {
		mb.LastSeen = now
	}
	d := m.domains[reg]
	if rank(msg.Level) > rank(d.BestLevel) {
		d.BestLevel = msg.Level
		if m.lookalikes != nil && rank(d.BestLevel) >= 2 {
			m.lookalikes.Add(reg)
		}
	}
	if now.After(d.LastSeen) {
		d.LastSeen = now
	}
	if m.orgs != nil && rank(mb.Level) >= 3 {
		m.addOrganization(mb)
	}
	m.evict(reg)
	return true
}

// Pin keeps a remembered sender whatever the bounds, or lets it go again.
func (m *Memory) Pin(address string, pinned bool) error {
	mb := m.mailboxes[normalAddress(address)]
	if mb == nil {
		return fmt.Errorf("%w: %s", ErrUnknownSender, address)
	}
	mb.Pinned = pinned
	return nil
}

// ErrUnknownSender is returned by Pin for an address the memory does not hold.
var ErrUnknownSender = errors.New("memory: no remembered sender")

// Forget removes one sender and reports whether it was remembered.
func (m *Memory) Forget(address string) bool {
	addr := normalAddress(address)
	if m.mailboxes[addr] == nil {
		return false
	}
	m.remove(addr)
	return true
}

// ForgetAll empties the memory; expectations stay, since the administrator set them.
func (m *Memory) ForgetAll() {
	es, l := m.expectations, m.limits
	*m = *New() // the IDs of messages seen go too: they tell what was read
	m.expectations, m.limits = es, l
}

// Mailboxes lists the remembered senders, most recently seen first.
func (m *Memory) Mailboxes() []Mailbox {
	out := make([]Mailbox, 0, len(m.mailboxes))
	for _, mb := range m.mailboxes {
		out = append(out, *mb)
	}
	// sort.Slice, not slices.SortFunc: each instantiation of the generic sort costs the
	// WebAssembly module about 20 KB.
	sort.Slice(out, func(i, j int) bool {
		if c := out[j].LastSeen.Compare(out[i].LastSeen); c != 0 {
			return c < 0
		}
		return out[i].Address < out[j].Address
	})
	return out
}

// Sender is the remembered sender of address, if any: with the certificate of the last
// validly signed message from it.
func (m *Memory) Sender(address string) (Mailbox, bool) {
	mb := m.mailboxes[normalAddress(address)]
	if mb == nil {
		return Mailbox{}, false
	}
	return *mb, true
}

// Len is the number of remembered senders.
func (m *Memory) Len() int { return len(m.mailboxes) }

// Intermediates are the remembered CA certificates, for smime.Options.Intermediates.
func (m *Memory) Intermediates() []*x509.Certificate {
	out := make([]*x509.Certificate, 0, len(m.intermediates))
	for _, in := range m.intermediates {
		out = append(out, in.parsed)
	}
	sort.Slice(out, func(i, j int) bool { return bytes.Compare(out[i].Raw, out[j].Raw) < 0 })
	return out
}

func (m *Memory) rememberIntermediate(der []byte, now time.Time) {
	key := sha256.Sum256(der)
	if in := m.intermediates[key]; in != nil {
		in.LastSeen = now
		return
	}
	c, err := x509.ParseCertificate(der)
	if err != nil || !c.IsCA {
		return
	}
	m.intermediates[key] = &Intermediate{Certificate: slices.Clone(der), LastSeen: now, parsed: c}
	for len(m.intermediates) > m.limits.Intermediates {
		var oldest [32]byte
		var at time.Time
		for k, in := range m.intermediates {
			if at.IsZero() || in.LastSeen.Before(at) {
				oldest, at = k, in.LastSeen
			}
		}
		delete(m.intermediates, oldest)
	}
}

// evict applies the per-domain cap to reg, then the total cap: the least recently seen
// unpinned mailbox goes first.
func (m *Memory) evict(reg string) {
	for len(m.byDomain[reg]) > m.limits.PerDomain {
		if !m.removeOldest(m.byDomain[reg]) {
			break
		}
	}
	for len(m.mailboxes) > m.limits.Mailboxes {
		all := make([]string, 0, len(m.mailboxes))
		for a := range m.mailboxes {
			all = append(all, a)
		}
		if !m.removeOldest(all) {
			break
		}
	}
	// A domain's record outlives its mailboxes, to keep look-alikes of it known, but within
	// maxDomains: Load refuses a file with more.
	for len(m.domains) > m.limits.maxDomains() {
		victim := ""
		for d, rec := range m.domains {
			if len(m.byDomain[d]) == 0 && (victim == "" || rec.LastSeen.Before(m.domains[victim].LastSeen) ||
				rec.LastSeen.Equal(m.domains[victim].LastSeen) && d < victim) {
				victim = d
			}
		}
		if victim == "" {
			break
		}
		delete(m.domains, victim)
		m.lookalikes = nil
	}
}

// maxDomains bounds the domain records: those of remembered mailboxes, and as many again three
// times over of domains whose mailboxes were forgotten.
func (l Limits) maxDomains() int { return 4 * l.Mailboxes }

func (m *Memory) removeOldest(addrs []string) bool {
	victim := ""
	for _, a := range addrs {
		mb := m.mailboxes[a]
		if mb.Pinned {
			continue
		}
		if victim == "" || mb.LastSeen.Before(m.mailboxes[victim].LastSeen) ||
			mb.LastSeen.Equal(m.mailboxes[victim].LastSeen) && a < victim {
			victim = a
		}
	}
	if victim == "" {
		return false
	}
	m.remove(victim)
	return true
}

// expire forgets what was unseen for longer than the limit, pinned senders apart.
func (m *Memory) expire(now time.Time) {
	cutoff := now.Add(-m.limits.Expiry)
	for a, mb := range m.mailboxes {
		if !mb.Pinned && mb.LastSeen.Before(cutoff) {
			m.remove(a)
		}
	}
	for reg, d := range m.domains {
		if len(m.byDomain[reg]) == 0 && d.LastSeen.Before(cutoff) {
			delete(m.domains, reg)
			m.lookalikes = nil
		}
	}
	for k, in := range m.intermediates {
		if in.LastSeen.Before(cutoff) {
			delete(m.intermediates, k)
		}
	}
}

// remove forgets one mailbox. Its domain's record stays (the best level seen there still
// protects against look-alikes) until it expires.
func (m *Memory) remove(addr string) {
	delete(m.mailboxes, addr)
	reg := lookalike.Registrable(domainOf(addr))
	m.byDomain[reg] = slices.DeleteFunc(m.byDomain[reg], func(a string) bool { return a == addr })
	if len(m.byDomain[reg]) == 0 {
		delete(m.byDomain, reg)
	}
	m.orgs = nil
}

func rank(l classify.Level) int {
	switch l {
	case classify.LevelV1:
		return 1
	case classify.LevelV2:
		return 2
	case classify.LevelV3:
		return 3
	case classify.LevelV4:
		return 4
	}
	return 0
}

// sameIdentity: the name and organization the level validated are the same (a new title is the
// same person).
func sameIdentity(l classify.Level, a, b Identity) bool {
	eq := func(x, y string) bool { return strings.EqualFold(strings.TrimSpace(x), strings.TrimSpace(y)) }
	switch l {
	case classify.LevelV2:
		return eq(a.Name, b.Name) && a.Pseudonym == b.Pseudonym
	case classify.LevelV3:
		return eq(a.Organization, b.Organization) && eq(a.Country, b.Country)
	case classify.LevelV4:
		return eq(a.Name, b.Name) && eq(a.Organization, b.Organization) && eq(a.Country, b.Country)
	}
	return true
}

func normalAddress(a string) string { return strings.ToLower(strings.TrimSpace(a)) }

func domainOf(addr string) string {
	if i := strings.LastIndexByte(addr, '@'); i >= 0 {
		return addr[i+1:]
	}
	return ""
}
