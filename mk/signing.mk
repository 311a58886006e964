# Signing: internal/keys, internal/compose, `mailseal sign` and the interop tests.
#   make test-interop   messages signed by mailseal (Go API and CLI, RSA and ECDSA,
#                       detached and opaque) verified by openssl cms, gpgsm and NSS
#                       cmsutil; a missing peer fails the test
#                       (scripts/setup.sh installs them).
#   make bench-signing  scrypt (Seal/Open) and signing times for 1 KB and 5 MB messages
.PHONY: test-interop bench-signing

TEST_TARGETS += test-interop

test-interop:
	$(GO) test -count=1 -json ./test/interop/ | node scripts/gotest.mjs interop

bench-signing:
	$(GO) test -run '^$$' -bench 'Open|Sign' -benchtime 5x ./internal/keys/ ./internal/compose/
