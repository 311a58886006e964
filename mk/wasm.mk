# The core as WebAssembly (wasm/). `make wasm` writes what the extension ships, into dist/wasm/:
#   core.wasm     the module
#   wasm_exec.js  Go's JavaScript glue, from the same Go that built core.wasm (they must match)
#   loader.js     the ES module that starts core.wasm (import it; it imports ./wasm_exec.js)
# `make test-wasm` runs the Go tests of wasm/ under Node and the node --test suite in test/wasm/.
# `make bench` prints the performance table; it is slow and never part of `make test`.
.PHONY: wasm wasm-testhooks test-wasm bench golden

WASM_OUT := dist/wasm
# Go 1.24 moved the glue from misc/wasm to lib/wasm.
WASM_EXEC_DIR := $(firstword $(wildcard $(shell $(GO) env GOROOT)/lib/wasm $(shell $(GO) env GOROOT)/misc/wasm))
WASM_VERSION ?= $(shell git describe --always --dirty 2>/dev/null || echo devel)
WASM_LDFLAGS := -s -w -X main.version=$(WASM_VERSION)

wasm:
	@mkdir -p $(WASM_OUT)
	GOOS=js GOARCH=wasm $(GO) build -trimpath -ldflags='$(WASM_LDFLAGS)' -o $(WASM_OUT)/core.wasm ./wasm
	cp $(WASM_EXEC_DIR)/wasm_exec.js wasm/loader.js $(WASM_OUT)/

# The same module with the test hooks of wasm/testhooks.go (panic, crash), for test/wasm only.
wasm-testhooks:
	@mkdir -p $(WASM_OUT)/test
	GOOS=js GOARCH=wasm $(GO) build -tags mailseal_testhooks -trimpath -ldflags='$(WASM_LDFLAGS)' -o $(WASM_OUT)/test/core.wasm ./wasm
	cp $(WASM_EXEC_DIR)/wasm_exec.js wasm/loader.js $(WASM_OUT)/test/

# go test finds go_js_wasm_exec (which runs the test binary in Node) on PATH.
test-wasm: wasm wasm-testhooks cli
	PATH="$(WASM_EXEC_DIR):$$PATH" GOOS=js GOARCH=wasm $(GO) vet ./wasm/...
	PATH="$(WASM_EXEC_DIR):$$PATH" GOOS=js GOARCH=wasm $(GO) test -json ./wasm/... | node scripts/gotest.mjs wasm-go
	node --test --test-reporter=spec test/wasm/

# Rewrites testdata/golden/*.json from the native CLI after a deliberate change to a result.
golden: wasm cli
	node test/wasm/update-golden.mjs

bench: wasm cli
	node bench/run.mjs

TEST_TARGETS += test-wasm
