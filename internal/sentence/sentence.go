// Package sentence gives every sentence mailseal puts in a report a stable code and its
// arguments, so that a reader's language can say it too. The English text of each code is
// in one table (english.go): the command line and the golden files print it, and the
// extension renders the same code from its locale files (cmd/gensentences writes the list
// of codes those files must cover).
package sentence

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Text is one sentence: a code from the table and the arguments its English (and every
// translation) puts in place of $1, $2, …. Arguments are data (names, addresses, dates,
// numbers, a parser's own message), never words to translate.
type Text struct {
	Code string   `json:"code" js:"code"`
	Args []string `json:"args,omitempty" js:"args"`
	// Then are clauses that follow this one, each after "; " (in English).
	Then []Text `json:"then,omitempty" js:"then"`
}

// New returns the sentence code says with args. A code missing from the table, or given
// the wrong number of arguments, panics: it is a programming error that every test run finds.
func New(code string, args ...string) Text {
	tmpl, ok := english[code]
	if !ok {
		panic("sentence: unknown code " + strconv.Quote(code))
	}
	if n := Arity(tmpl); n != len(args) {
		panic(fmt.Sprintf("sentence: %s takes %d arguments, given %d", code, n, len(args)))
	}
	return Text{Code: code, Args: args}
}

// String is the sentence in English.
func (t Text) String() string {
	tmpl, ok := english[t.Code]
	if !ok {
		return t.Code
	}
	s := fill(tmpl, t.Args)
	for _, c := range t.Then {
		s += "; " + c.String()
	}
	return s
}

// With returns t followed by the clauses then.
func (t Text) With(then ...Text) Text {
	t.Then = append(append([]Text(nil), t.Then...), then...)
	return t
}

// Map returns t with f applied to each argument (to clean or cap what a certificate or a
// message put in it).
func (t Text) Map(f func(string) string) Text {
	out := Text{Code: t.Code}
	if len(t.Args) > 0 {
		out.Args = make([]string, len(t.Args))
		for i, a := range t.Args {
			out.Args[i] = f(a)
		}
	}
	for _, c := range t.Then {
		out.Then = append(out.Then, c.Map(f))
	}
	return out
}

// Join is the English of texts, separated by sep.
func Join(texts []Text, sep string) string {
	parts := make([]string, len(texts))
	for i, t := range texts {
		parts[i] = t.String()
	}
	return strings.Join(parts, sep)
}

// fill puts args in place of $1 … $9 in tmpl; "$$" is a dollar sign.
func fill(tmpl string, args []string) string {
	var b strings.Builder
	for i := 0; i < len(tmpl); i++ {
		c := tmpl[i]
		if c == '$' && i+1 < len(tmpl) {
			next := tmpl[i+1]
			switch {
			case next == '$':
				b.WriteByte('$')
				i++
				continue
			case next >= '1' && next <= '9':
				if n := int(next - '1'); n < len(args) {
					b.WriteString(args[n])
				}
				i++
				continue
			}
		}
		b.WriteByte(c)
	}
	return b.String()
}

// Arity is the number of arguments a template takes: its highest $n.
func Arity(tmpl string) int {
	n := 0
	for i := 0; i+1 < len(tmpl); i++ {
		if tmpl[i] != '$' {
			continue
		}
		next := tmpl[i+1]
		if next == '$' {
			i++
			continue
		}
		if next >= '1' && next <= '9' {
			n = max(n, int(next-'0'))
		}
	}
	return n
}

// Entry is one code of the table, as cmd/gensentences writes it for the extension.
type Entry struct {
	Code    string `json:"code"`
	Args    int    `json:"args"`
	English string `json:"english"`
}

// Table lists every code with its English, sorted by code.
func Table() []Entry {
	out := make([]Entry, 0, len(english))
	for code, tmpl := range english {
		out = append(out, Entry{Code: code, Args: Arity(tmpl), English: tmpl})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out
}
