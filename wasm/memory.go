//go:build js && wasm

package main

import (
	"crypto/x509"
	"fmt"
	"sync"
	"syscall/js"
	"time"

	"github.com/mailseal/mailseal/internal/classify"
	"github.com/mailseal/mailseal/internal/memory"
	"github.com/mailseal/mailseal/internal/smime"
	"github.com/mailseal/mailseal/wasm/internal/errcode"
)

// The sender memory (internal/memory), one per webmail account, held in the core between
// calls: loaded once per start, consulted by every verify that names its account.
//
//	mailseal.memoryLoad(account: string, file: Uint8Array|null, options?) → Promise<{senders}>
//	    replaces the account's memory with file (what memoryExport gave, or a file the user
//	    imports: every entry is checked, and a bad file rejects with ERR_MALFORMED and a
//	    sentence naming the entry); null starts empty. options: now, expectations
//	    ([{domain, level}], the administrator's).
//	mailseal.memoryExport(account, options?) → Promise<Uint8Array>
//	    the JSON file a user saves (and imports), or with {form: "stored"} the stored form
//	    (internal/memory.MarshalStored: ASCII, read several times faster) that the extension keeps;
//	    memoryLoad reads both. options: now, form ("file", the default, or "stored").
//	mailseal.memoryList(account) → Promise<MemorySender[]>           for the options page; no certificates
//	mailseal.memoryEdit(account, {pin|unpin|forget: address} | {forgetAll: true}) → Promise<{senders}>
//	mailseal.verify(raw, {memory: {account, opened, message}})
//	    adds report.memoryWarnings (internal/memory.Warning: code, severity, args, detail) and,
//	    when opened is true and the memory learnt from the message, report.memoryChanged.
//	    message is the provider's id for it: a message opened again is not counted again.
var memories = struct {
	sync.Mutex
	byAccount map[string]*memory.Memory
}{byAccount: map[string]*memory.Memory{}}

const (
	maxAccounts      = 32
	maxAccountLength = 320
)

func argAccount(args []js.Value) (string, error) {
	a, err := argString(arg(args, 0), "the account")
	if err != nil {
		return "", err
	}
	if a == "" || len(a) > maxAccountLength {
		return "", badArgument("the account must be 1 to %d characters", maxAccountLength)
	}
	return a, nil
}

func memoryLoadCall(args []js.Value) (func() (js.Value, error), error) {
	account, err := argAccount(args)
	if err != nil {
		return nil, err
	}
	var data []byte
	if f := arg(args, 1); !f.IsNull() && !f.IsUndefined() {
		if data, err = argBytes(f, "the memory file", memory.MaxFileSize); err != nil {
			return nil, err
		}
	}
	fields, err := optionsObject(arg(args, 2), "now", "expectations")
	if err != nil {
		return nil, err
	}
	now, err := optionalTime(fields["now"])
	if err != nil {
		return nil, err
	}
	expectations, err := argExpectations(fields["expectations"])
	if err != nil {
		return nil, err
	}
	return func() (js.Value, error) {
		m := memory.New()
		if data != nil {
			if m, err = memory.Load(data, now); err != nil {
				return js.Undefined(), &codedError{code: errcode.Malformed, err: err}
			}
		}
		if err := m.SetExpectations(expectations); err != nil {
			return js.Undefined(), &codedError{code: errcode.BadArgument, err: err}
		}
		memories.Lock()
		defer memories.Unlock()
		if _, ok := memories.byAccount[account]; !ok && len(memories.byAccount) >= maxAccounts {
			return js.Undefined(), badArgument("more than %d accounts", maxAccounts)
		}
		memories.byAccount[account] = m
		return senders(m), nil
	}, nil
}

func memoryExportCall(args []js.Value) (func() (js.Value, error), error) {
	account, err := argAccount(args)
	if err != nil {
		return nil, err
	}
	fields, err := optionsObject(arg(args, 1), "now", "form")
	if err != nil {
		return nil, err
	}
	now, err := optionalTime(fields["now"])
	if err != nil {
		return nil, err
	}
	marshal := (*memory.Memory).Marshal
	if f := fields["form"]; !f.IsUndefined() {
		form, err := argString(f, "the form")
		switch {
		case err != nil:
			return nil, err
		case form == "stored":
			marshal = (*memory.Memory).MarshalStored
		case form != "file":
			return nil, badArgument("the form must be \"file\" or \"stored\"")
		}
	}
	return withMemory(account, func(m *memory.Memory) (js.Value, error) {
		data, err := marshal(m, now)
		if err != nil {
			return js.Undefined(), err
		}
		return bytesToJS(data), nil
	}), nil
}

// memorySender is one remembered sender as the options page lists it.
type memorySender struct {
	Address   string    `json:"address"`
	Level     string    `json:"level"`
	Shown     string    `json:"shown"` // the identity the banner showed
	Issuer    string    `json:"issuer"`
	FirstSeen time.Time `json:"firstSeen"`
	LastSeen  time.Time `json:"lastSeen"`
	Count     int       `json:"count"`
	Pinned    bool      `json:"pinned"`
}

func memoryListCall(args []js.Value) (func() (js.Value, error), error) {
	account, err := argAccount(args)
	if err != nil {
		return nil, err
	}
	return withMemory(account, func(m *memory.Memory) (js.Value, error) {
		list := []memorySender{}
		for _, mb := range m.Mailboxes() {
			list = append(list, memorySender{Address: mb.Address, Level: string(mb.Level), Shown: memory.Shown(mb),
				Issuer: mb.Issuer, FirstSeen: mb.FirstSeen, LastSeen: mb.LastSeen, Count: mb.Count, Pinned: mb.Pinned})
		}
		return plain(list)
	}), nil
}

func memoryEditCall(args []js.Value) (func() (js.Value, error), error) {
	account, err := argAccount(args)
	if err != nil {
		return nil, err
	}
	fields, err := optionsObject(arg(args, 1), "pin", "unpin", "forget", "forgetAll")
	if err != nil {
		return nil, err
	}
	if len(fields) != 1 {
		return nil, badArgument("memoryEdit takes exactly one of pin, unpin, forget, forgetAll")
	}
	var op, address string
	for k, v := range fields {
		op = k
		if k == "forgetAll" {
			if v.Type() != js.TypeBoolean || !v.Bool() {
				return nil, badArgument("forgetAll must be true")
			}
		} else if address, err = argString(v, k); err != nil {
			return nil, err
		}
	}
	return withMemory(account, func(m *memory.Memory) (js.Value, error) {
		switch op {
		case "pin", "unpin":
			if err := m.Pin(address, op == "pin"); err != nil {
				return js.Undefined(), &codedError{code: errcode.BadArgument, err: err}
			}
		case "forget":
			if !m.Forget(address) {
				return js.Undefined(), badArgument("no remembered sender %s", address)
			}
		case "forgetAll":
			m.ForgetAll()
		}
		return senders(m), nil
	}), nil
}

// memoryOptions reads verify's memory option: {account, opened}.
type memoryOptions struct {
	account string
	opened  bool
	message string // the provider's message id: a message opened again is not counted again
}

func argMemoryOptions(v js.Value) (*memoryOptions, error) {
	if v.IsUndefined() || v.IsNull() {
		return nil, nil
	}
	fields, err := optionsObject(v, "account", "opened", "message")
	if err != nil {
		return nil, err
	}
	a, err := argString(fields["account"], "options.memory.account")
	if err != nil {
		return nil, err
	}
	if a == "" || len(a) > maxAccountLength {
		return nil, badArgument("options.memory.account must be 1 to %d characters", maxAccountLength)
	}
	message, err := argString(fields["message"], "options.memory.message")
	if err != nil {
		return nil, err
	}
	if len(message) > 1024 {
		return nil, badArgument("options.memory.message is longer than 1024 characters")
	}
	opened, err := argBool(fields["opened"], "options.memory.opened")
	return &memoryOptions{account: a, opened: opened, message: message}, err
}

// intermediates are the remembered CA certificates of the account, for the chain.
func (o *memoryOptions) intermediates() []*x509.Certificate {
	if o == nil {
		return nil
	}
	memories.Lock()
	defer memories.Unlock()
	if m := memories.byAccount[o.account]; m != nil {
		return m.Intermediates()
	}
	return nil
}

// consult checks the report against the account's memory, learns from it when opened, and
// adds what it found to v. Without a loaded memory it adds nothing.
func (o *memoryOptions) consult(report *smime.Report, v js.Value, now time.Time) error {
	if o == nil {
		return nil
	}
	memories.Lock()
	defer memories.Unlock()
	m := memories.byAccount[o.account]
	if m == nil {
		return nil
	}
	msg := memory.MessageOf(report)
	msg.ID = o.message
	ws := m.Check(msg, now)
	if ws == nil {
		ws = []memory.Warning{}
	}
	w, err := plain(ws)
	if err != nil {
		return err
	}
	v.Set("memoryWarnings", w)
	if m.Observe(msg, o.opened, now) {
		v.Set("memoryChanged", true)
	}
	return nil
}

// withMemory is the work of a call on the account's loaded memory, which it holds locked.
func withMemory(account string, f func(*memory.Memory) (js.Value, error)) func() (js.Value, error) {
	return func() (js.Value, error) {
		memories.Lock()
		defer memories.Unlock()
		m := memories.byAccount[account]
		if m == nil {
			return js.Undefined(), badArgument("no memory loaded for this account (memoryLoad first)")
		}
		return f(m)
	}
}

func senders(m *memory.Memory) js.Value {
	o := objectClass.New()
	o.Set("senders", m.Len())
	return o
}

func optionalTime(v js.Value) (time.Time, error) {
	if v.IsUndefined() || v.IsNull() {
		return time.Now(), nil
	}
	return argTime(v, "options.now")
}

const maxExpectations = 256

func argExpectations(v js.Value) ([]memory.Expectation, error) {
	if v.IsUndefined() || v.IsNull() {
		return nil, nil
	}
	if !v.InstanceOf(arrayClass) || v.Length() > maxExpectations {
		return nil, badArgument("options.expectations must be an array of at most %d {domain, level}", maxExpectations)
	}
	var out []memory.Expectation
	for i := range v.Length() {
		e := v.Index(i)
		if e.Type() != js.TypeObject {
			return nil, badArgument("options.expectations[%d] must be {domain, level}", i)
		}
		d, err := argString(e.Get("domain"), fmt.Sprintf("options.expectations[%d].domain", i))
		if err != nil {
			return nil, err
		}
		l, err := argString(e.Get("level"), fmt.Sprintf("options.expectations[%d].level", i))
		if err != nil {
			return nil, err
		}
		out = append(out, memory.Expectation{Domain: d, Level: classify.Level(l)})
	}
	return out, nil
}
