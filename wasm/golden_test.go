//go:build js && wasm

package main

import (
	"encoding/json"
	"encoding/pem"
	"os"
	"path/filepath"
	"reflect"
	"syscall/js"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mailseal/mailseal/internal/classify"
)

// golden is one file of testdata/golden: a call, its inputs (paths under
// testdata/) and the result, written by test/wasm/update-golden.mjs from the
// native CLI. test/wasm/golden.test.mjs checks the same files from Node.
type golden struct {
	Call        string `json:"call"`
	Message     string `json:"message"`
	Certificate string `json:"certificate"`
	Options     struct {
		Now   string   `json:"now"`
		Roots []string `json:"roots"`
		Text  bool     `json:"text"`
	} `json:"options"`
	Result json.RawMessage `json:"result"`
}

// TestGolden calls globalThis.mailseal as JavaScript does, for every golden
// file, and compares the result's JSON (keys in order) with the file's.
func TestGolden(t *testing.T) {
	files, err := filepath.Glob("../testdata/golden/*.json")
	require.NoError(t, err)
	if len(files) < 10 {
		t.Fatalf("only %d golden files", len(files))
	}
	stringify := js.Global().Get("JSON").Get("stringify")
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			var g golden
			require.NoError(t, json.Unmarshal(read(t, f), &g))
			var args []any
			switch g.Call {
			case "verify":
				opts := map[string]any{"now": g.Options.Now}
				if g.Options.Text {
					opts["text"] = true
				}
				var roots []any
				for _, r := range g.Options.Roots {
					roots = append(roots, string(read(t, "../testdata/"+r)))
				}
				if roots != nil {
					opts["roots"] = roots
				}
				args = []any{bytesToJS(read(t, "../testdata/"+g.Message)), opts}
			case "classify":
				block, _ := pem.Decode(read(t, "../testdata/"+g.Certificate))
				args = []any{bytesToJS(block.Bytes)}
			default:
				t.Fatalf("unknown call %q", g.Call)
			}
			v, err := callAPI(t, g.Call, args...)
			require.NoError(t, err)
			got := stringify.Invoke(v).String()
			want := stringify.Invoke(js.Global().Get("JSON").Call("parse", string(g.Result))).String()
			if got != want {
				t.Errorf("%s differs from the golden result\n got: %s\nwant: %s", g.Call, got, want)
			}
		})
	}
}

// TestClassificationCoversEveryField fails when classify.Classification gains
// a field that newClassification does not carry to JavaScript.
func TestClassificationCoversEveryField(t *testing.T) {
	from, to := reflect.TypeFor[classify.Classification](), reflect.TypeFor[classification]()
	if from.NumField() != to.NumField() {
		t.Fatalf("classify.Classification has %d fields, the JavaScript shape %d", from.NumField(), to.NumField())
	}
	for i := range from.NumField() {
		if from.Field(i).Name != to.Field(i).Name {
			t.Errorf("field %d: %s in classify, %s here", i, from.Field(i).Name, to.Field(i).Name)
		}
	}
}

func read(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	return b
}
