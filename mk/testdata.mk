# Verification vectors: testdata/vectors/*.eml, minted by the fixture CA in internal/testpki.
# The output is deterministic; cmd/genvectors' tests fail when the committed files are stale.
.PHONY: testdata
testdata:
	$(GO) run ./cmd/genvectors -dir testdata/vectors
