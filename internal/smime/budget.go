package smime

import (
	"errors"
	"fmt"
	"slices"

	"github.com/mailseal/mailseal/internal/mime"
	"github.com/mailseal/mailseal/internal/sentence"
	"github.com/mailseal/mailseal/internal/trust"
)

// One budget covers a message and every message attached to it, however deep: attached
// messages are verified in their own right, and without a shared bound a few megabytes of
// nesting made tens of thousands of reports and took a minute in WebAssembly.
const (
	// maxParts is the MIME entities parsed for one message, in all its trees.
	maxParts = 2000
	// maxAttachedReports is the attached messages verified for one message.
	maxAttachedReports = 16
	// maxSignatureChecks is the signature checks for one message: its signers and the
	// chain building of each (trust.Budget). An 8192-bit RSA check costs about 17 ms in
	// WebAssembly, so a message stays under a second whatever its keys.
	maxSignatureChecks = 48
)

// budget is what remains of the work one message may cause, and what was left undone.
type budget struct {
	parts    int
	attached int
	checks   *trust.Budget
	// skipped counts what the budget left out, by the sentence that says what it was.
	skipped map[string]int
	order   []sentence.Text
}

func newBudget() *budget {
	return &budget{parts: maxParts, attached: maxAttachedReports, checks: trust.NewBudget(maxSignatureChecks), skipped: map[string]int{}}
}

// parse reads raw's MIME structure within the parts that remain.
func (b *budget) parse(raw []byte) (*mime.Entity, error) {
	lim := mime.DefaultLimits
	lim.MaxParts = min(lim.MaxParts, b.parts)
	e, err := mime.Parse(raw, lim)
	if errors.Is(err, mime.ErrLimit) {
		b.parts = 0
	}
	if err != nil {
		return nil, err
	}
	walk(e, func(*mime.Entity) bool { b.parts--; return true })
	return e, nil
}

// skip records that something was left out, once per kind with a count.
func (b *budget) skip(what sentence.Text) {
	key := what.String()
	if b.skipped[key] == 0 {
		b.order = append(b.order, what)
	}
	b.skipped[key]++
}

// report says what the budget left out, one line per kind.
func (b *budget) report() []sentence.Text {
	var out []sentence.Text
	for _, what := range b.order {
		if n := b.skipped[what.String()]; n == 1 {
			out = append(out, what)
		} else {
			out = append(out, say(what.Code+"_times", append(slices.Clone(what.Args), fmt.Sprint(n))...))
		}
	}
	return out
}
