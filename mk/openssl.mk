# S/MIME messages signed by OpenSSL, with the verdict for each in testdata/openssl/MANIFEST.
# Regenerating makes a new PKI and new signatures: commit the result. Not part of `make test`.
.PHONY: testdata-openssl

testdata-openssl:
	rm -f testdata/openssl/*.eml testdata/openssl/root.pem testdata/openssl/MANIFEST
	testdata/openssl/gen.sh testdata/openssl
