# Bundled Mozilla S/MIME roots (internal/roots). `make roots` regenerates the bundle from the
# newest Debian libnss3; it needs libnss3-tools and the Debian mirror, so CI never runs it.
# Their tests run in test-go; `make test-roots` runs them alone.
.PHONY: roots test-roots

roots:
	scripts/roots.sh internal/roots/mozilla_smime.pem

test-roots:
	$(GO) test ./internal/roots/

