#!/usr/bin/env bash
# make demo: the demo webmail on 127.0.0.1 and Chromium with the extension (demo build); see
# demo/run.mjs for what it does with and without a display. `make demo` has run scripts/setup.sh
# demo (Chromium, a CJK font, npm packages) and built the extension before this.
set -euo pipefail
cd "$(dirname "$0")/.."

VECTORS=${MAILSEAL_VECTORS:-testdata/vectors}
[ -f "$VECTORS/root.pem" ] || { echo "demo: the sample messages are missing ($VECTORS/root.pem): run make testdata" >&2; exit 1; }

exec node demo/run.mjs "$@"
