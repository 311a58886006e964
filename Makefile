# mailseal: `make demo` runs the product, `make test` runs every test.
# Each area keeps its targets in mk/<area>.mk and adds its test target to TEST_TARGETS.

GO ?= go
export GOFLAGS ?= -buildvcs=false

TEST_TARGETS := test-go

.PHONY: all cli test test-go demo fuzz-seeds
all: cli

cli:
	$(GO) build -o bin/mailseal ./cmd/mailseal

# Every Go package of ours (node_modules holds a stray Go package from an npm dependency).
GO_PACKAGES = $(shell $(GO) list ./... | grep -v /node_modules/)

test-go:
	$(GO) vet $(GO_PACKAGES)
	$(GO) test $(GO_PACKAGES)

include $(sort $(wildcard mk/*.mk))

test: $(TEST_TARGETS)
