# Signing: internal/keys, internal/compose, `mailseal sign` and the interop tests.
#   make test-interop   messages signed by mailseal (Go API and CLI, RSA and ECDSA,
#                       detached and opaque) verified by openssl cms, gpgsm and NSS
#                       cmsutil; peers whose binaries are missing are listed as SKIP.
#   make bench-signing  scrypt (Seal/Open) and signing times for 1 KB and 5 MB messages
.PHONY: test-interop bench-signing

TEST_TARGETS += test-interop

test-interop:
	@log=$$(mktemp); $(GO) test -count=1 -v ./test/interop/ > $$log 2>&1; rc=$$?; \
	grep -E '^(--- |ok|FAIL|PASS)|SKIP' $$log; \
	if [ $$rc -ne 0 ]; then cat $$log; fi; rm -f $$log; exit $$rc

bench-signing:
	$(GO) test -run '^$$' -bench 'Open|Sign' -benchtime 5x ./internal/keys/ ./internal/compose/
