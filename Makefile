# mailseal: `make demo` runs the product, `make test` runs every test.
# Each area keeps its targets in mk/<area>.mk and adds its test target to TEST_TARGETS.

GO ?= go
export GOFLAGS ?= -buildvcs=false
# Go 1.26 and Node 20 or later, checked before anything runs them (one sentence each otherwise).
ifneq ($(MAKECMDGOALS),setup)
TOOLCHAIN_PROBLEMS := $(shell GO=$(GO) bash scripts/setup.sh toolchains 2>&1)
ifneq ($(TOOLCHAIN_PROBLEMS),)
$(error $(TOOLCHAIN_PROBLEMS))
endif
endif

# A pipe into scripts/gotest.mjs fails when go test fails.
SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -c

TEST_TARGETS := test-go

.PHONY: all cli test test-setup test-go demo fuzz-seeds setup
all: cli

cli:
	$(GO) build -o bin/mailseal ./cmd/mailseal

# Every Go package of ours (node_modules holds a stray Go package from an npm dependency); the
# interop tests are a layer of their own (mk/signing.mk).
GO_PACKAGES = $(shell $(GO) list ./... | grep -v /node_modules/)
GO_UNIT_PACKAGES = $(filter-out %/test/interop,$(GO_PACKAGES))

# Toolchains, Debian packages (as root) and npm packages, or one line per missing thing.
setup:
	@bash scripts/setup.sh test

# What scripts/setup.sh says on a machine that lacks things (test/setup).
test-setup:
	node --test --test-reporter=spec test/setup/

test-go:
	$(GO) vet $(GO_PACKAGES)
	$(GO) test -json $(GO_UNIT_PACKAGES) | node scripts/gotest.mjs go

include $(sort $(wildcard mk/*.mk))

# Every layer in order (setup, go, interop, wasm, extension, e2e), each to its end, then one table;
# scripts/test.mjs says why a layer failed. `make test-LAYER` runs one layer alone.
test: setup
	@node scripts/test.mjs
