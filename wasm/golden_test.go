//go:build js && wasm

package main

import (
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"os"
	"path/filepath"
	"reflect"
	"syscall/js"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mailseal/mailseal/internal/classify"
	"github.com/mailseal/mailseal/internal/keys"
	"github.com/mailseal/mailseal/internal/keys/keystest"
	"github.com/mailseal/mailseal/internal/testpki"
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
			case "decrypt":
				var roots []any
				for _, r := range g.Options.Roots {
					roots = append(roots, string(read(t, "../testdata/"+r)))
				}
				args = []any{js.ValueOf([]any{demoIdentity(t)}), bytesToJS(read(t, "../testdata/"+g.Message)), map[string]any{"now": g.Options.Now, "roots": roots}}
			case "classify":
				block, _ := pem.Decode(read(t, "../testdata/"+g.Certificate))
				args = []any{bytesToJS(block.Bytes)}
			default:
				t.Fatalf("unknown call %q", g.Call)
			}
			v, err := callAPI(t, g.Call, args...)
			require.NoError(t, err)
			if g.Call == "decrypt" {
				v = decryptedAsText(v)
			}
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

// demoIdentity is the demo account's identity as the extension passes it to decrypt: sealed
// under a passphrase. Its certificate is issued afresh, for the fixture key the demo's
// encrypted vectors are encrypted to (by subjectKeyIdentifier), as test/e2e/p12 does.
func demoIdentity(t *testing.T) map[string]any {
	t.Helper()
	prof := testpki.SponsorProfile(testpki.Strict, "demo@mailseal.test", "Demo", "User", "Mailseal Demo Ltd", "NTRGB-12345678", "GB", "Tester")
	prof.KeyUsage = x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment
	id := testpki.MustNew(t).MustIssue(t, prof)
	const passphrase = "a long golden passphrase 4 mailseal"
	sealed, err := keys.Seal(&keys.Identity{Certificate: id.Certificate, Key: keystest.BareKey(id.Key)}, passphrase)
	require.NoError(t, err)
	return map[string]any{"sealed": bytesToJS(sealed), "passphrase": passphrase}
}

// decryptedAsText is decrypt's result as the golden file holds it: the content as text.
// Keys in the file's order (a Go map would give them in any order).
func decryptedAsText(v js.Value) js.Value {
	out := js.Global().Get("Object").New()
	out.Set("report", v.Get("report"))
	if c := v.Get("content"); !c.IsUndefined() {
		out.Set("content", js.Global().Get("TextDecoder").New().Call("decode", c))
	}
	return out
}

func read(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	return b
}
