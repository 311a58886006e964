# The browser extension (extension/), the demo webmail (demo/) and their tests.
#   make build           dist/chrome/, dist/firefox/, dist/mailseal-chrome.zip, dist/mailseal-firefox.xpi
#   make demo            build, start the demo webmail on 127.0.0.1, open Chromium with the extension
#                        (headless without a display: one screenshot per message; see demo/README.md)
#   make test-extension  the extension's types (tsc --noEmit), provider and view unit tests against DOM fixtures (node --test), web-ext lint
#   make test-e2e        the extension on the demo webmail in headless Chromium and Firefox ESR
#   make latency         time from a message in the DOM to its banner (warm and after a worker restart)
.PHONY: build demo test-extension test-e2e latency npm-deps

# npm ci (through scripts/setup.sh) when node_modules is missing or older than the lock file.
npm-deps:
	@bash scripts/setup.sh npm

build: wasm npm-deps
	node extension/build.mjs

demo:
	@bash scripts/setup.sh demo
	@$(MAKE) --no-print-directory build
	bash scripts/demo.sh

test-extension: wasm npm-deps
	npx tsc --noEmit -p extension
	node --test --test-reporter=spec test/extension/
	node extension/build.mjs --out out/lint-build
	npx web-ext lint --source-dir out/lint-build/firefox --self-hosted --output text

test-e2e: wasm npm-deps
	node --test --test-reporter=spec --test-concurrency=1 test/e2e/

latency: wasm npm-deps
	node test/e2e/latency.mjs

TEST_TARGETS += test-extension test-e2e
