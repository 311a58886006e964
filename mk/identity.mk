# Signer identity: internal/classify (certificate → level, banner text) and internal/address
# (From ↔ certificate). Their tests, fuzz seeds included, run in `make test` via test-go.
#   make fuzz-identity   fuzz each target for FUZZTIME (default 30s)
.PHONY: fuzz-identity

FUZZTIME ?= 30s

fuzz-identity:
	$(GO) test ./internal/classify/ -run '^$$' -fuzz '^FuzzClassify$$' -fuzztime $(FUZZTIME)
	$(GO) test ./internal/classify/ -run '^$$' -fuzz '^FuzzCleanText$$' -fuzztime $(FUZZTIME)
	$(GO) test ./internal/address/ -run '^$$' -fuzz '^FuzzFromHeader$$' -fuzztime $(FUZZTIME)
	$(GO) test ./internal/address/ -run '^$$' -fuzz '^FuzzEqual$$' -fuzztime $(FUZZTIME)
