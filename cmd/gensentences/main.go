// Command gensentences writes the list of sentence codes the extension's locale files must
// translate: every code of package sentence with its number of arguments and its English, and
// the names of the verification steps (smime.CheckNames) that the details view labels.
//
//	go run ./cmd/gensentences -out extension/sentence-codes.json
//
// The extension's tests fail when a locale lacks one of them (test/extension/sentences.test.mjs),
// and this command's own test fails when the committed file is not what it writes.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"

	"github.com/mailseal/mailseal/internal/sentence"
	"github.com/mailseal/mailseal/internal/smime"
)

// List is the file's shape.
type List struct {
	Comment   string           `json:"//"`
	Sentences []sentence.Entry `json:"sentences"`
	Checks    []string         `json:"checks"`
}

func generate() ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", " ")
	enc.SetEscapeHTML(false)
	err := enc.Encode(List{
		Comment:   "Written by `go run ./cmd/gensentences`; do not edit. Each locale has s_<code> for every sentence and check_<name> for every check (- as _).",
		Sentences: sentence.Table(),
		Checks:    smime.CheckNames,
	})
	return b.Bytes(), err
}

func main() {
	out := flag.String("out", "extension/sentence-codes.json", "file to write")
	flag.Parse()
	data, err := generate()
	if err == nil {
		err = os.WriteFile(*out, data, 0o644)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "gensentences:", err)
		os.Exit(2)
	}
}
