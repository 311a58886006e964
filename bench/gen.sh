#!/usr/bin/env bash
# Writes the benchmark's messages into a directory (default out/bench): for each algorithm
# (RSA-2048, RSA-3072, ECDSA P-256, P-384) a three-level PKI of that algorithm (root ->
# intermediate -> signer, S/MIME BR shaped, mailbox-validated) and multipart/signed SHA-256
# messages with 1 KB, 100 KB and 5 MB bodies, plus one 25 MB RSA-2048 message for the memory
# figure, signed by `openssl cms -sign`. Also dummy.pem: throwaway self-signed roots that the
# benchmarks add, one per cold run, so that a run cannot hit a chain cached by the one before.
# Generated at run time, never committed (out/ is ignored). Needs openssl 3.
set -euo pipefail
export LC_ALL=C

out=${1:-out/bench}
cold_runs=${COLD_RUNS:-10}
mkdir -p "$out"
out=$(cd "$out" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

T=$(date -u +%s)
DELIVERED=$((T + 600))
NOW=$(date -u -d "@$((DELIVERED + 3600))" +%Y-%m-%dT%H:%M:%SZ)
rfc2822() { date -u -d "@$1" '+%a, %d %b %Y %H:%M:%S +0000'; }

cat >"$tmp/ext.cnf" <<'EOF'
[ ca ]
dir             = $ENV::CADIR
database        = $dir/index.txt
new_certs_dir   = $dir
serial          = $dir/serial
default_md      = sha256
policy          = any
unique_subject  = no
email_in_dn     = no
copy_extensions = none
[ any ]
commonName = optional
[ root ]
basicConstraints     = critical, CA:true
keyUsage             = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[ inter ]
basicConstraints       = critical, CA:true, pathlen:0
keyUsage               = critical, keyCertSign, cRLSign
extendedKeyUsage       = emailProtection
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always
[ leaf ]
basicConstraints       = critical, CA:false
keyUsage               = critical, digitalSignature
extendedKeyUsage       = emailProtection
subjectAltName         = email:$ENV::EMAIL
certificatePolicies    = 2.23.140.1.5.1.2
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid
EOF

newkey() { # file algorithm
  case $2 in
    rsa*) openssl genpkey -quiet -algorithm RSA -pkeyopt "rsa_keygen_bits:${2#rsa}" -out "$1" ;;
    p256) openssl genpkey -quiet -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" ;;
    p384) openssl genpkey -quiet -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out "$1" ;;
  esac
}

# cert name alg subject extensions issuer: a certificate valid from 30 days ago for a year.
# Backdated because internal/trust caches a chain only when it is valid for the whole day of
# the validation time, as real certificates (issued before today) are.
cert() {
  local name=$1 alg=$2 subj=$3 ext=$4 issuer=$5
  newkey "$tmp/$name.key" "$alg"
  openssl req -new -key "$tmp/$name.key" -subj "/CN=placeholder" -out "$tmp/$name.csr"
  local db=$tmp/db-$name
  mkdir -p "$db" && : >"$db/index.txt" && openssl rand -hex 8 >"$db/serial"
  local signing=(-cert "$tmp/$issuer.pem" -keyfile "$tmp/$issuer.key")
  [ "$issuer" = self ] && signing=(-selfsign -keyfile "$tmp/$name.key")
  CADIR=$db EMAIL=${EMAIL:-none} openssl ca -batch -notext -config "$tmp/ext.cnf" -name ca -subj "$subj" \
    -extensions "$ext" -startdate "$(date -u -d '-30 days' +%Y%m%d%H%M%SZ)" \
    -enddate "$(date -u -d '+1 year' +%Y%m%d%H%M%SZ)" "${signing[@]}" \
    -in "$tmp/$name.csr" -out "$tmp/$name.pem" 2>"$tmp/ca.log" || { cat "$tmp/ca.log" >&2; exit 1; }
}

# body size: a text/plain entity of about size bytes, LF line ends (openssl signs it as CRLF).
body() {
  printf 'Content-Type: text/plain; charset=us-ascii\nContent-Transfer-Encoding: 7bit\n\n'
  local line='The quick brown fox jumps over the lazy dog while the benchmark measures it.'
  (set +o pipefail; yes "$line" | head -c "$1")
  printf '\n'
}

message() { # file alg size
  local file=$1 alg=$2 size=$3
  body "$size" >"$tmp/body.txt"
  openssl cms -sign -in "$tmp/body.txt" -signer "$tmp/$alg-leaf.pem" -inkey "$tmp/$alg-leaf.key" \
    -certfile "$tmp/$alg-inter.pem" -md sha256 -crlfeol -out "$tmp/signed.smime"
  {
    printf 'Received: from mail.example.com by mx.example.org; %s\r\n' "$(rfc2822 "$DELIVERED")"
    printf 'Date: %s\r\nFrom: %s@example.com\r\nTo: bob@example.org\r\nSubject: benchmark %s\r\n' \
      "$(rfc2822 "$T")" "$alg" "$file"
    sed 's/\r*$/\r/' "$tmp/signed.smime"
  } >"$out/$file"
}

printf '{\n  "now": "%s",\n  "messages": [\n' "$NOW" >"$tmp/manifest.json"
sep=""
for alg in rsa2048 rsa3072 p256 p384; do
  cert "$alg-root" "$alg" "/CN=mailseal bench root $alg" root self
  cert "$alg-inter" "$alg" "/CN=mailseal bench CA $alg" inter "$alg-root"
  EMAIL=$alg@example.com cert "$alg-leaf" "$alg" "/CN=$alg@example.com" leaf "$alg-inter"
  cp "$tmp/$alg-root.pem" "$out/$alg-root.pem"
  for size in 1k:1024 100k:102400 5m:5242880; do
    message "$alg-${size%%:*}.eml" "$alg" "${size#*:}"
    printf '%s    {"file": "%s", "alg": "%s", "size": "%s", "bytes": %d, "root": "%s"}' "$sep" \
      "$alg-${size%%:*}.eml" "$alg" "${size%%:*}" "$(stat -c %s "$out/$alg-${size%%:*}.eml")" "$alg-root.pem" >>"$tmp/manifest.json"
    sep=$',\n'
  done
done
message rsa2048-25m.eml rsa2048 26214400
printf '\n  ],\n  "large": {"file": "rsa2048-25m.eml", "bytes": %d, "root": "rsa2048-root.pem"}\n}\n' \
  "$(stat -c %s "$out/rsa2048-25m.eml")" >>"$tmp/manifest.json"
cp "$tmp/manifest.json" "$out/manifest.json"

# One throwaway root per cold run of every message.
newkey "$tmp/dummy.key" p256
: >"$out/dummy.pem"
for i in $(seq 1 $((cold_runs * 12))); do
  openssl req -x509 -new -key "$tmp/dummy.key" -subj "/CN=mailseal bench dummy root $i" -days 2 2>/dev/null >>"$out/dummy.pem"
done
echo "gen.sh: wrote $(ls "$out" | wc -l) files to $out (now $NOW)"
