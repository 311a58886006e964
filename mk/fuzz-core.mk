# Fuzzing the verification core (issue 9): chain building, a CRL's issuing distribution point,
# certificates with hostile keys, encrypted messages, the whole verify, and the sender memory's
# stored form. Each target that can be slow bounds one input itself (internal/fuzzlimit: 1 s of
# CPU, 256 MB); a crash or a slow input is saved under
# the package's testdata/fuzz, where `go test` (make test-go) replays it. Not part of `make test`.
#   make fuzz-core   fuzz each target for FUZZTIME (default 30s), one worker, lowest priority
.PHONY: fuzz-core

FUZZTIME ?= 30s
FUZZ_NICE ?= nice -n 19

fuzz-core:
	$(FUZZ_NICE) $(GO) test ./internal/trust/ -run '^$$' -fuzz '^FuzzChain$$' -fuzztime $(FUZZTIME) -parallel 1
	$(FUZZ_NICE) $(GO) test ./internal/trust/ -run '^$$' -fuzz '^FuzzIssuingDistributionPoint$$' -fuzztime $(FUZZTIME) -parallel 1
	$(FUZZ_NICE) $(GO) test ./internal/cms/ -run '^$$' -fuzz '^FuzzCertificate$$' -fuzztime $(FUZZTIME) -parallel 1
	$(FUZZ_NICE) $(GO) test ./internal/cms/ -run '^$$' -fuzz '^FuzzEnvelope$$' -fuzztime $(FUZZTIME) -parallel 1
	$(FUZZ_NICE) $(GO) test ./internal/smime/ -run '^$$' -fuzz '^FuzzVerify$$' -fuzztime $(FUZZTIME) -parallel 1
	$(FUZZ_NICE) $(GO) test ./internal/smime/ -run '^$$' -fuzz '^FuzzOpen$$' -fuzztime $(FUZZTIME) -parallel 1
	$(FUZZ_NICE) $(GO) test ./internal/memory/ -run '^$$' -fuzz '^FuzzLoadStored$$' -fuzztime $(FUZZTIME) -parallel 1
