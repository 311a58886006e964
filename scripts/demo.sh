#!/usr/bin/env bash
# make demo: the demo webmail on 127.0.0.1 and Chromium with the extension (demo build).
# With a display, Chromium opens both webmails; without one, it runs headless and writes one
# screenshot per message (Gmail and Outlook views) to out/demo/screenshots/, then stops.
# It installs what it can (npm packages; chromium from apt when running as root) and otherwise
# says exactly what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

need() { echo "demo: $*" >&2; exit 1; }

command -v node >/dev/null || need "Node.js 20 or later is missing (apt-get install nodejs npm)"
[ -d node_modules/puppeteer-core ] || npm ci --no-audit --no-fund

CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$CHROMIUM" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium
  else
    need "Chromium is missing: run 'sudo apt-get install chromium' (or set CHROMIUM=/path/to/chromium)"
  fi
fi

VECTORS=${MAILSEAL_VECTORS:-testdata/vectors}
[ -f "$VECTORS/root.pem" ] || make testdata
[ -f "$VECTORS/root.pem" ] || need "the sample messages are missing ($VECTORS/root.pem): make testdata did not write them"

exec node demo/run.mjs "$@"
