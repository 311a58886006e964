//go:build js && wasm

// Command wasm is the mailseal core compiled to WebAssembly for the browser
// extension (and for Node, which the tests and benchmarks use).
//
// It installs one object, globalThis.mailseal, and then waits for calls. Its
// whole JavaScript surface, mirrored by extension/types/mailseal.d.ts:
//
//	mailseal.version() → string
//	    the build's version ("devel" unless make set it).
//	mailseal.verify(raw: Uint8Array, options?) → Promise<Report>
//	    raw is the whole message as received (RFC 5322 bytes). The Report is
//	    internal/smime.Report with exactly the JSON shape `mailseal verify --json`
//	    prints. options (every key optional, unknown keys are refused):
//	      now:       string (RFC 3339) | Date — the present: the delivery time of a
//	                 message with neither a Received field nor deliveryTime, and the
//	                 time a CRL must be current at; default: the current time.
//	      deliveryTime: string (RFC 3339) | Date | null — when the mail provider says
//	                 the message arrived (Graph's receivedDateTime, Gmail's
//	                 internalDate): the delivery time when the message has no
//	                 Received field, or a later one than its topmost.
//	      roots:     PEM string | DER Uint8Array | an array of them — extra anchors
//	                 trusted like the bundled roots (levels V1–V4).
//	      userRoots: same forms — anchors the user added by hand; a chain ending
//	                 there is valid with a level of at most V1.
//	      crls:      PEM string | DER Uint8Array | an array of them — certificate
//	                 revocation lists to consult; a listed signer is revoked.
//	      requireRevocation: boolean — untrusted unless a current CRL of the
//	                 signer's issuer that covers it is among crls (hard-fail); report.chain[i].crl
//	                 lists where each certificate's CRL can be fetched.
//	      content:   boolean — also return report.signedEntity: Uint8Array, the
//	                 MIME entity the signature covers (what a client may show as
//	                 verified content; CRLF line ends).
//	      text:      boolean — also return report.text, the readable text (the
//	                 content of an opaque signature, else the message's), its
//	                 charset decoded by the host's TextDecoder.
//	mailseal.classify(certificate: Uint8Array) → Promise<Classification>
//	    certificate is DER; the Classification is internal/classify's, with
//	    the camelCase names of wasm/classify.go. It says nothing about trust.
//
// The signing methods, in the same form, are documented in identity.go and
// typed in extension/types/signing.d.ts. api.go holds the one table of methods:
//
//	mailseal.importIdentity(p12, password, options?) → Promise<IdentitySummary>
//	mailseal.sealIdentity(p12, password, passphrase, options?) → Promise<{summary, sealed}>
//	mailseal.describeIdentity(sealed, options?) → Promise<IdentitySummary>
//	mailseal.unlockIdentity(sealed, passphrase, {lockAt}) → Promise<Session>
//	mailseal.exportIdentity(sealed, passphrase, password) → Promise<Uint8Array>
//	mailseal.sign(identity, draft, options?) → Promise<{raw, summary}>
//
// Encrypted mail, documented in envelope.go:
//
//	mailseal.decrypt(identities, raw, options?) → Promise<{report, content?}>
//	mailseal.encrypt(identity, message, recipients, options?) → Promise<{raw, summary}>
//
// The certificates to encrypt to (the sender memory's and imported files'), documented in recipients.go:
//
//	mailseal.recipientCertificates(account, addresses, options?) → Promise<{recipients, files}>
//
// The sender memory's methods, documented in memory.go with verify's memory option:
//
//	mailseal.memoryLoad(account, file, options?) → Promise<{senders}>
//	mailseal.memoryExport(account, options?) → Promise<Uint8Array>
//	mailseal.memoryList(account) → Promise<MemorySender[]>
//	mailseal.memoryEdit(account, edit) → Promise<{senders}>
//
// loader.js exposes every method the module installs, unchanged.
//
// A bad signature, an untrusted chain or a broken message with a verdict are
// results (report.status), never rejections. A Promise rejects with an Error
// whose code property is one of the table in wasm/internal/errcode (ERR_MALFORMED,
// ERR_BAD_ARGUMENT, ERR_INTERNAL, ERR_LOCKED, ...), from which
// extension/types/errors.d.ts is generated.
//
// Every Promise's work runs in its own goroutine: a blocking js.FuncOf would
// stall the page's event loop, and the WebCrypto backend (webcrypto.go) awaits
// JavaScript promises. Arguments are copied when the method is called, so the
// caller may reuse its buffers at once, as with crypto.subtle.
//
// Building: `make wasm` writes dist/wasm/core.wasm, the matching
// dist/wasm/wasm_exec.js (from $(go env GOROOT)/lib/wasm) and
// dist/wasm/loader.js, the ES module that starts the module, exposes the same
// methods and starts a fresh instance if the Go program ever exits. The
// extension imports dist/wasm/loader.js (which imports ./wasm_exec.js) and
// ships core.wasm. Results are pinned by testdata/golden (make golden
// rewrites it from the CLI); make bench measures speed, size and memory.
package main

import "syscall/js"

// version is set at build time with -ldflags "-X main.version=…".
var version = "devel"

func main() {
	js.Global().Set("mailseal", newAPI())
	select {} // serve calls until the page goes away
}
