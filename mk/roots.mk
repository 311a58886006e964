# Bundled Mozilla S/MIME roots (internal/roots). `make roots` regenerates the bundle from the
# newest Debian libnss3; it needs libnss3-tools and the Debian mirror, so CI never runs it. It then
# writes what the package embeds from the PEM (mozilla_smime.der, nss_version.go: go generate);
# `make roots-der` does that step alone, from the PEM in the tree.
# Their tests run in test-go; `make test-roots` runs them alone.
.PHONY: roots roots-der test-roots

roots:
	scripts/roots.sh internal/roots/mozilla_smime.pem
	$(MAKE) roots-der

roots-der:
	$(GO) generate ./internal/roots

test-roots:
	$(GO) test ./internal/roots/

