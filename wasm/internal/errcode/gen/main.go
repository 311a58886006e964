// Command gen writes the TypeScript union of the error-code table (errcode.TypeScript) to the
// file -o names; `go generate ./wasm/internal/errcode` runs it.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/mailseal/mailseal/wasm/internal/errcode"
)

func main() {
	out := flag.String("o", "", "the .d.ts file to write")
	flag.Parse()
	if *out == "" {
		fmt.Fprintln(os.Stderr, "usage: gen -o FILE.d.ts")
		os.Exit(2)
	}
	if err := os.WriteFile(*out, errcode.TypeScript(), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}
