#!/usr/bin/env bash
# Installs what `make test` or `make demo` needs, or says what is missing, one line per thing.
#   scripts/setup.sh test   everything the tests use: toolchains, Debian packages, npm packages
#   scripts/setup.sh demo   what the demo uses: toolchains, Chromium, a CJK font, npm packages
#   scripts/setup.sh npm    the toolchains and the npm packages only
#   scripts/setup.sh toolchains   only whether Go and Node are there and new enough (the Makefile asks)
# As root it installs the Debian packages itself (apt-get); otherwise it prints the command to run.
# .ci/run, `make test` and `make demo` all call it; it does nothing when everything is there.
set -euo pipefail
cd "$(dirname "$0")/.."

what=${1:-test}
case $what in test|demo|npm|toolchains) ;; *) echo "usage: scripts/setup.sh test|demo|npm|toolchains" >&2; exit 2 ;; esac

GO_MIN=1.26
NODE_MIN=20
problems=()

# version_at_least HAVE WANT: both "major.minor" (or "major").
version_at_least() {
  local have_major=${1%%.*} want_major=${2%%.*} have_minor want_minor
  have_minor=${1#*.}; [ "$have_minor" = "$1" ] && have_minor=0
  want_minor=${2#*.}; [ "$want_minor" = "$2" ] && want_minor=0
  have_minor=${have_minor%%.*}; want_minor=${want_minor%%.*}
  (( have_major > want_major || (have_major == want_major && have_minor >= want_minor) ))
}

GO=${GO:-go}
if ! command -v "$GO" >/dev/null 2>&1; then
  problems+=("Go $GO_MIN or later is missing: install it from https://go.dev/dl/ and put its bin/ on PATH (Debian 12's golang package is 1.19, too old)")
else
  gov=$("$GO" env GOVERSION 2>/dev/null || true); gov=${gov#go}
  if [ -z "$gov" ] || ! version_at_least "$gov" "$GO_MIN"; then
    problems+=("Go $GO_MIN or later is needed, $GO is ${gov:-unknown}: install it from https://go.dev/dl/ (Debian 12's golang package is 1.19, too old)")
  fi
fi

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  problems+=("Node.js $NODE_MIN or later with npm is missing: install it from https://nodejs.org/ or NodeSource's Debian packages (Debian 12's nodejs is 18, too old)")
else
  nodev=$(node -p 'process.versions.node' 2>/dev/null || true)
  if [ -z "$nodev" ] || ! version_at_least "$nodev" "$NODE_MIN"; then
    problems+=("Node.js $NODE_MIN or later is needed, node is ${nodev:-unknown}: install it from https://nodejs.org/ or NodeSource's Debian packages (Debian 12's nodejs is 18, too old)")
  fi
fi

if [ "$what" = toolchains ]; then
  for line in ${problems[@]+"${problems[@]}"}; do echo "setup: $line" >&2; done
  [ ${#problems[@]} -eq 0 ]; exit
fi

# Debian package, and the file that shows it is installed (a browser can also come from elsewhere).
declare -A check=(
  [chromium]=/usr/bin/chromium
  [firefox-esr]=/usr/bin/firefox-esr
  [fonts-wqy-zenhei]=/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc
  [openssl]=/usr/bin/openssl
  [gpgsm]=/usr/bin/gpgsm
  [gpg-agent]=/usr/bin/gpg-agent
  [libnss3-tools]=/usr/bin/cmsutil
  [make]=/usr/bin/make
  [git]=/usr/bin/git
  [zip]=/usr/bin/zip
)
why_chromium="the demo and the Chromium end-to-end tests"
declare -A why=(
  [chromium]=$why_chromium
  [firefox-esr]="the Firefox end-to-end tests"
  [fonts-wqy-zenhei]="Chinese text in the zh_CN screenshots"
  [openssl]="the interop tests and test data"
  [gpgsm]="the interop tests (GnuPG's S/MIME)"
  [gpg-agent]="gpgsm's key agent in the interop tests"
  [libnss3-tools]="the interop tests (NSS cmsutil, Thunderbird's engine)"
  [make]="the build"
  [git]="the module version stamp"
  [zip]="packaging the extension"
)
if [ "$what" = npm ]; then
  pkgs=()
elif [ "$what" = demo ]; then
  pkgs=(chromium fonts-wqy-zenhei make)
else
  pkgs=(chromium firefox-esr fonts-wqy-zenhei openssl gpgsm gpg-agent libnss3-tools make git zip)
fi

# SETUP_PREFIX moves the files looked for under another root: test/setup uses it to see a bare machine.
prefix=${SETUP_PREFIX:-}
missing=()
for p in ${pkgs[@]+"${pkgs[@]}"}; do [ -e "$prefix${check[$p]}" ] || missing+=("$p"); done

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && [ -z "$prefix" ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing Debian packages: ${missing[*]}" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    still=()
    for p in "${missing[@]}"; do [ -e "${check[$p]}" ] || still+=("$p"); done
    for p in "${still[@]}"; do problems+=("$p did not install (${check[$p]} is still missing): needed for ${why[$p]}"); done
  else
    for p in "${missing[@]}"; do
      problems+=("${check[$p]} is missing: run 'sudo apt-get install --no-install-recommends $p' (needed for ${why[$p]})")
    done
  fi
fi

if [ ${#problems[@]} -gt 0 ]; then
  for line in "${problems[@]}"; do echo "setup: $line" >&2; done
  exit 1
fi

# npm packages: npm ci when node_modules is missing or older than the lock file.
stamp=node_modules/.package-lock.json
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
  echo "setup: installing npm packages (npm ci)" >&2
  npm ci --no-audit --no-fund --loglevel=error >&2
  touch "$stamp"
fi
