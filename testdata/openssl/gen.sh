#!/usr/bin/env bash
# Builds S/MIME test messages with OpenSSL, an implementation independent of mailseal, and
# writes the verdict a correct verifier must give for each into MANIFEST.
#
# In a temporary directory it creates a small PKI shaped like the CA/Browser Forum S/MIME
# Baseline Requirements (root CA -> intermediate CA -> end entities carrying the reserved
# policy OIDs 2.23.140.1.5.x.y), signs messages with `openssl cms -sign`, and checks each
# one with `openssl cms -verify -CAfile root.pem -attime <now>`: an expected success must
# verify, an expected failure must fail for the stated reason, so MANIFEST is proven, not
# guessed. Where OpenSSL cannot judge (sender mismatch, SHA-1 as weak, the level) the script
# checks the fact the verdict rests on: the From address against the certificate, the
# digest algorithm, the policy OID.
#
# Only openssl (3.x) and coreutils/awk/sed are used. Private keys live in the temporary
# directory and are deleted with it; only root.pem, the messages and MANIFEST are written.
#
# Usage: testdata/openssl/gen.sh [output dir]   (default: the directory of this script)
set -euo pipefail
export LC_ALL=C

out=$(cd "${1:-$(dirname "$0")}" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
die() { echo "gen.sh: $*" >&2; exit 1; }

openssl version | grep -q '^OpenSSL 3\.' || die "needs OpenSSL 3.x, found $(openssl version)"

# Time. The messages are composed at T, delivered (topmost Received) ten minutes later, and
# judged at NOW, an hour after delivery. Certificates start a year before T so every
# signingTime lies inside their validity; the expired one ended 30 days before T.
T=$(date -u +%s)
DELIVERED=$((T + 600))
NOW_EPOCH=$((DELIVERED + 3600))
NOW=$(date -u -d "@$NOW_EPOCH" +%Y-%m-%dT%H:%M:%SZ)
day=$(date -u -d "@$T" +%F)
asn1time() { date -u -d "$day $1" +%Y%m%d%H%M%SZ; }
START=$(asn1time "-1 year")

# ---------------------------------------------------------------------------------------
# The PKI

cat >"$tmp/ca.cnf" <<'EOF'
[ ca ]
default_ca = CA_default

[ CA_default ]
dir            = $ENV::CADIR
database       = $dir/index.txt
new_certs_dir  = $dir
serial         = $dir/serial
default_md     = sha256
policy         = policy_any
unique_subject = no
email_in_dn    = no
copy_extensions = none

[ policy_any ]
commonName = optional

[ v3_root ]
basicConstraints     = critical, CA:true
keyUsage             = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash

[ v3_intermediate ]
basicConstraints       = critical, CA:true, pathlen:0
keyUsage               = critical, keyCertSign, cRLSign
extendedKeyUsage       = emailProtection
certificatePolicies    = 2.5.29.32.0
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always
crlDistributionPoints  = URI:http://crl.mailseal-test.example.com/root.crl

# An S/MIME BR end entity (BR 7.1.2.3): emailProtection only, digitalSignature, the mailbox
# in the SAN, one reserved policy OID, CRL and AIA pointers.
[ v3_smime ]
basicConstraints       = critical, CA:false
keyUsage               = critical, digitalSignature
extendedKeyUsage       = emailProtection
subjectAltName         = email:$ENV::EMAIL
certificatePolicies    = $ENV::POLICY
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid
crlDistributionPoints  = URI:http://crl.mailseal-test.example.com/smime.crl
authorityInfoAccess    = caIssuers;URI:http://pki.mailseal-test.example.com/smime.der
EOF

newkey() { # file algorithm
  case $2 in
    rsa*) openssl genpkey -quiet -algorithm RSA -pkeyopt "rsa_keygen_bits:${2#rsa}" -out "$1" ;;
    p256) openssl genpkey -quiet -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -pkeyopt ec_param_enc:named_curve -out "$1" ;;
    p384) openssl genpkey -quiet -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -pkeyopt ec_param_enc:named_curve -out "$1" ;;
    *) die "unknown key type $2" ;;
  esac
}

newca() { # name: a CA database directory
  mkdir -p "$tmp/$1"
  : >"$tmp/$1/index.txt"
  openssl rand -hex 16 >"$tmp/$1/serial"
}

issue() { # ca-name ca-cert ca-key subject extensions end-date csr out [-selfsign]
  local ca=$1 cacert=$2 cakey=$3 subj=$4 ext=$5 end=$6 csr=$7 outcert=$8; shift 8
  openssl rand -hex 16 >"$tmp/$ca/serial" # a random serial for every certificate
  CADIR="$tmp/$ca" EMAIL=${EMAIL:-none} POLICY=${POLICY:-2.5.29.32.0} \
    openssl ca -batch -notext -config "$tmp/ca.cnf" -name CA_default -preserveDN \
    -subj "$subj" -extensions "$ext" -startdate "$START" -enddate "$end" \
    -cert "$cacert" -keyfile "$cakey" -in "$csr" -out "$outcert" "$@" 2>"$tmp/ca.log" ||
    { cat "$tmp/ca.log" >&2; die "issuing $subj failed"; }
}

# The request only carries the key: openssl ca sets the subject (-subj) and extensions.
printf '[ req ]\ndistinguished_name = dn\nprompt = no\n[ dn ]\nCN = placeholder\n' >"$tmp/req.cnf"
csr() { # key out
  openssl req -new -config "$tmp/req.cnf" -key "$1" -out "$2"
}

pki=$tmp/pki
mkdir -p "$pki"
newca rootca
newkey "$pki/root.key" rsa4096
csr "$pki/root.key" "$pki/root.csr"
issue rootca "$pki/root.key" "$pki/root.key" "/O=mailseal test PKI (OpenSSL)/CN=mailseal OpenSSL Test Root" \
  v3_root "$(asn1time "+29 years")" "$pki/root.csr" "$pki/root.pem" -selfsign
newca interca
newkey "$pki/inter.key" rsa3072
csr "$pki/inter.key" "$pki/inter.csr"
issue rootca "$pki/root.pem" "$pki/root.key" "/O=mailseal test PKI (OpenSSL)/CN=mailseal OpenSSL Test SMIME CA" \
  v3_intermediate "$(asn1time "+25 years")" "$pki/inter.csr" "$pki/inter.pem"

# A root that root.pem does not know, for a complete chain to an untrusted anchor.
newca otherca
newkey "$pki/other.key" p256
csr "$pki/other.key" "$pki/other.csr"
issue otherca "$pki/other.key" "$pki/other.key" "/O=Somebody Else/CN=Unknown Root CA" \
  v3_root "$(asn1time "+29 years")" "$pki/other.csr" "$pki/other.pem" -selfsign

# endentity name key-type policy-oid email subject [end-date] [ca]
endentity() {
  local name=$1 alg=$2 policy=$3 email=$4 subj=$5 end=${6:-$(asn1time "+20 years")} ca=${7:-inter}
  local cacert=$pki/$ca.pem cakey=$pki/$ca.key cadb=interca
  [ "$ca" = other ] && cadb=otherca
  newkey "$pki/$name.key" "$alg"
  csr "$pki/$name.key" "$pki/$name.csr"
  EMAIL=$email POLICY=$policy issue "$cadb" "$cacert" "$cakey" "$subj" v3_smime "$end" "$pki/$name.csr" "$pki/$name.pem"
}

endentity mailbox    rsa2048 2.23.140.1.5.1.2 alice@example.com "/CN=alice@example.com"
endentity mailbox3k  rsa3072 2.23.140.1.5.1.3 carol@example.com "/CN=carol@example.com"
endentity org        p256    2.23.140.1.5.2.2 invoices@acme.example.com "/C=GB/O=Acme Widgets Ltd/CN=Acme Widgets Ltd"
endentity org384     p384    2.23.140.1.5.2.3 post@beispiel.example.com "/C=DE/O=Beispiel GmbH/CN=Beispiel GmbH"
endentity individual rsa2048 2.23.140.1.5.4.3 dana.fischer@example.com "/GN=Dana/SN=Fischer/CN=Dana Fischer"
endentity sponsor    p256    2.23.140.1.5.3.2 erin.walsh@acme.example.com \
  "/C=GB/O=Acme Widgets Ltd/title=Finance Director/GN=Erin/SN=Walsh/CN=Erin Walsh"
endentity expired    rsa2048 2.23.140.1.5.1.2 frank@example.com "/CN=frank@example.com" "$(asn1time "-30 days")"
endentity stranger   p256    2.23.140.1.5.1.2 grace@example.com "/CN=grace@example.com" "" other

cp "$pki/root.pem" "$out/root.pem"

# ---------------------------------------------------------------------------------------
# Message bodies (the entity that gets signed), written with LF; openssl signs them in
# canonical CRLF form.

cat >"$tmp/plain.txt" <<'EOF'
Content-Type: text/plain; charset=us-ascii
Content-Transfer-Encoding: 7bit

Hello,

the quarterly figures are attached to the shared folder as agreed.
This message was signed with OpenSSL for the mailseal test suite.

Regards
EOF

cat >"$tmp/utf8.txt" <<'EOF'
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Grüße aus Köln! Ça va? Ελληνικά, 日本語, emoji ✉️.
Die Rechnung über 1.234,56 € ist beglichen.
EOF

{
  printf 'Content-Type: multipart/mixed; boundary="mixed-boundary-4711"\n\n'
  printf 'This is a multi-part message in MIME format.\n\n'
  printf -- '--mixed-boundary-4711\nContent-Type: text/plain; charset=us-ascii\n\n'
  printf 'Please find the invoice attached.\n\n'
  printf -- '--mixed-boundary-4711\nContent-Type: text/csv; name="invoice.csv"\n'
  printf 'Content-Transfer-Encoding: base64\nContent-Disposition: attachment; filename="invoice.csv"\n\n'
  printf 'item,qty,price\nwidget,3,9.99\ngadget,1,24.50\n' | openssl base64
  printf '\n--mixed-boundary-4711--\n'
} >"$tmp/mixed.txt"

# ---------------------------------------------------------------------------------------
# Assembling and signing

rfc2822() { date -u -d "@$1" '+%a, %d %b %Y %H:%M:%S +0000'; }

# headers file from to subject: the envelope fields a delivered message carries, with the
# topmost Received header giving the delivery time. CRLF line ends.
headers() {
  local file=$1 from=$2 to=$3 subject=$4
  {
    printf 'Received: from mail.example.com (mail.example.com [192.0.2.25])\r\n'
    printf '\tby mx.example.org (Postfix) with ESMTPS id 4Xq7T2%s\r\n' "$(printf '%s' "$file" | cksum | cut -d' ' -f1)"
    printf '\tfor <%s>; %s\r\n' "$to" "$(rfc2822 "$DELIVERED")"
    printf 'Date: %s\r\n' "$(rfc2822 "$T")"
    printf 'From: %s\r\n' "$from"
    printf 'To: %s\r\n' "$to"
    printf 'Subject: %s\r\n' "$subject"
    printf 'Message-ID: <%s.%s@example.com>\r\n' "${file%.eml}" "$T"
  }
}

# sign file signer subject [openssl cms options]: a message from the signer's own address
# (FROM overrides), signed over $BODY (default plain.txt), with the intermediate included.
sign() {
  local file=$1 signer=$2 subject=$3; shift 3
  local from=${FROM:-$(certemail "$pki/$signer.pem")}
  local certfile=(-certfile "$pki/inter.pem")
  [ "${NOCHAIN:-}" = 1 ] && certfile=()
  [ "$signer" = stranger ] && certfile=(-certfile "$pki/other.pem")
  openssl cms -sign -in "$tmp/${BODY:-plain.txt}" -signer "$pki/$signer.pem" -inkey "$pki/$signer.key" \
    "${certfile[@]}" -crlfeol -out "$tmp/$file.smime" "$@" 2>"$tmp/sign.log" ||
    { cat "$tmp/sign.log" >&2; die "$file: openssl cms -sign failed"; }
  # openssl -crlfeol leaves the base64 lines with LF; a delivered message is CRLF throughout.
  # Only line ends outside the signed bytes change.
  { headers "$file" "$from" "bob@example.org" "$subject"; cat "$tmp/$file.smime"; } | crlf >"$out/$file"
}

crlf() { sed 's/\r*$/\r/'; }

certemail() { openssl x509 -in "$1" -noout -ext subjectAltName | sed -n 's/^ *email://p'; }

# ---------------------------------------------------------------------------------------
# Proof: what openssl says, and the facts behind verdicts openssl does not give

: >"$tmp/MANIFEST"
entry() { # file status level why
  printf '# %s\n%s status=%s level=%s now=%s\n' "$4" "$1" "$2" "$3" "$NOW" >>"$tmp/MANIFEST"
}

verify() { # file (in $out unless absolute) [extra openssl cms -verify options]
  local in=$1
  case $in in /*) ;; *) in=$out/$in ;; esac
  openssl cms -verify -in "$in" -CAfile "$out/root.pem" -purpose smimesign -attime "${ATTIME:-$NOW_EPOCH}" \
    -out "$tmp/content" -signer "$tmp/signer.pem" "${@:2}" >/dev/null 2>"$tmp/verify.log"
}

# must_verify file [options]: openssl accepts the message at NOW.
must_verify() {
  rm -f "$tmp/signer.pem"
  verify "$@" || die "$1: openssl cms -verify failed: $(cat "$tmp/verify.log")"
}

# must_fail file pattern [options]: openssl rejects the message, with an error matching pattern.
must_fail() {
  local file=$1 pattern=$2; shift 2
  if verify "$file" "$@"; then die "$file: openssl cms -verify succeeded, expected: $pattern"; fi
  grep -qiE "$pattern" "$tmp/verify.log" || die "$file: openssl failed for another reason: $(cat "$tmp/verify.log")"
}

# facts file level: after must_verify, the From address is the signer's, and the signer's
# reserved policy OID is the one for level.
facts() {
  local file=$1 level=$2 from oid want
  from=$(sed -n '/^From:/{s/^From: *//;s/.*<//;s/>.*//;s/\r//;p;q}' "$out/$file")
  [ "$from" = "$(certemail "$tmp/signer.pem")" ] || die "$file: From $from is not the signer's address"
  oid=$(openssl x509 -in "$tmp/signer.pem" -noout -ext certificatePolicies | sed -n 's/^ *Policy: *//p')
  case $level in V1) want=2.23.140.1.5.1. ;; V2) want=2.23.140.1.5.4. ;; V3) want=2.23.140.1.5.2. ;; V4) want=2.23.140.1.5.3. ;; esac
  case $oid in "$want"[123]) ;; *) die "$file: policy $oid does not give level $level" ;; esac
}

# valid file level why [options]: the signature verifies, the sender matches, the level fits.
valid() {
  local file=$1 level=$2 why=$3; shift 3
  must_verify "$file" "$@"
  facts "$file" "$level"
  entry "$file" valid "$level" "$why"
}

# attrs file: where the first SignerInfo's signed attributes and signature lie in the DER
# in $tmp/$file.der, from `openssl asn1parse`. Prints "<[0] offset> <[0] header length>
# <contents start> <contents end>", then "<signature start> <signature length>", then
# "<offset> <length>" of each attribute in order.
attrs() {
  openssl asn1parse -inform DER -in "$tmp/$1.der" -i |
    awk '
      function field(re,   v) { if (!match($0, re)) return -1; v=substr($0, RSTART, RLENGTH); gsub(/[^0-9]/, "", v); return v+0 }
      { off=field("^ *[0-9]+:"); d=field("d= *[0-9]+"); hl=field("hl= *[0-9]+"); l=field(" l= *[0-9]+") }
      / cont \[ 0 \]/ { c0off[d]=off; c0hl[d]=hl; c0l[d]=l }
      /:contentType$/ && !found { ad=d-2; start=c0off[ad]+c0hl[ad]; end=start+c0l[ad]; found=1 }
      found && !sig && d==ad && off>=end && /OCTET STRING/ { sig=off+hl; siglen=l }
      { line[NR]=off" "d" "hl" "l }
      END {
        if (!found || !sig) exit 1
        print c0off[ad], c0hl[ad], start, end
        print sig, siglen
        for (i=1; i<=NR; i++) { split(line[i], f, " ")
          if (f[2]==ad+1 && f[1]>=start && f[1]<end) print f[1], f[3]+f[4] }
      }'
}

slice() { tail -c +"$(($2 + 1))" "$1" | head -c "$3"; } # file offset length

# reorder file signer: rewrite the signature of a detached RSA/SHA-256 message so that its
# signed attributes are sent in reverse order, and sign them again in that order. OpenSSL
# always writes the set sorted (DER) but verifies over the encoding as received, as most
# verifiers do, so what it accepts is a signer that did not sort: the attributes and the
# signature both in the same non-DER order. Reversing keeps the set's length and an RSA
# signature keeps its size, so no length field changes.
reorder() {
  local file=$1 signer=$2 c0 c0hl start end sig siglen
  openssl cms -cmsout -in "$out/$file" -outform DER -out "$tmp/$file.der"
  attrs "$file" >"$tmp/$file.attrs" || die "$file: no signed attributes found"
  { read -r c0 c0hl start end; read -r sig siglen; } <"$tmp/$file.attrs"
  tail -n +3 "$tmp/$file.attrs" | tac | while read -r off len; do slice "$tmp/$file.der" "$off" "$len"; done >"$tmp/$file.set"
  [ "$(wc -c <"$tmp/$file.set")" = $((end - start)) ] || die "$file: attributes do not fill the set"
  cmp -s "$tmp/$file.set" <(slice "$tmp/$file.der" "$start" $((end - start))) && die "$file: reordering changed nothing"
  # Not DER: the first attribute now sorts after the second.
  local first second
  first=$(tail -n +3 "$tmp/$file.attrs" | tail -n 1) second=$(tail -n +3 "$tmp/$file.attrs" | tail -n 2 | head -n 1)
  [[ "$(slice "$tmp/$file.der" ${first% *} ${first#* } | od -An -tx1 | tr -d ' \n')" > \
     "$(slice "$tmp/$file.der" ${second% *} ${second#* } | od -An -tx1 | tr -d ' \n')" ]] || die "$file: order is still DER"
  # What is signed: the set with its EXPLICIT SET tag in place of [0] (RFC 5652 5.4).
  { printf '\061'; slice "$tmp/$file.der" $((c0 + 1)) $((c0hl - 1)); cat "$tmp/$file.set"; } >"$tmp/$file.tbs"
  openssl dgst -sha256 -sign "$pki/$signer.key" -out "$tmp/$file.sig" "$tmp/$file.tbs"
  [ "$(wc -c <"$tmp/$file.sig")" = "$siglen" ] || die "$file: new signature has another size"
  {
    head -c "$start" "$tmp/$file.der"
    cat "$tmp/$file.set"
    slice "$tmp/$file.der" "$end" $((sig - end))
    cat "$tmp/$file.sig"
    tail -c +"$((sig + siglen + 1))" "$tmp/$file.der"
  } >"$tmp/$file.new.der"
  # Replace the base64 of smime.p7s: from the blank line after its headers to the next one.
  openssl base64 -in "$tmp/$file.new.der" | sed 's/$/\r/' >"$tmp/$file.b64"
  awk -v b64="$tmp/$file.b64" '
    /filename="smime.p7s"/ { inpart=1 }
    inpart && /^\r?$/ && state==0 { print; while ((getline l < b64) > 0) print l; state=1; next }
    state==1 { if ($0 ~ /^\r?$/) { print; state=2 }; next }
    { print }' "$out/$file" >"$tmp/$file.eml"
  mv "$tmp/$file.eml" "$out/$file"
  awk '/filename="smime.p7s"/ { p=1 } p==1 && /^\r?$/ { p=2; next } p==2 && /^\r?$/ { exit } p==2' "$out/$file" |
    tr -d '\r' | openssl base64 -d | cmp -s - "$tmp/$file.new.der" ||
    die "$file: the message does not carry the rewritten signature"
}

# ---------------------------------------------------------------------------------------
# The messages

sign detached-sha256-rsa2048-mailbox.eml mailbox "Quarterly figures" -md sha256
valid detached-sha256-rsa2048-mailbox.eml V1 "multipart/signed, SHA-256, RSA-2048 PKCS#1 v1.5, mailbox-validated (2.23.140.1.5.1.2)"

sign detached-sha384-rsa3072-mailbox.eml mailbox3k "Quarterly figures" -md sha384
valid detached-sha384-rsa3072-mailbox.eml V1 "multipart/signed, SHA-384, RSA-3072, mailbox-validated strict (2.23.140.1.5.1.3)"

FROM="Dana Fischer <dana.fischer@example.com>" sign detached-sha512-rsa2048-individual.eml individual "Quarterly figures" -md sha512
valid detached-sha512-rsa2048-individual.eml V2 "multipart/signed, SHA-512, RSA-2048, individual-validated strict (2.23.140.1.5.4.3): Dana Fischer"

sign detached-sha256-p256-organization.eml org "Invoice 2024-117" -md sha256
valid detached-sha256-p256-organization.eml V3 "multipart/signed, SHA-256, ECDSA P-256, organization-validated (2.23.140.1.5.2.2): Acme Widgets Ltd (GB)"

sign detached-sha384-p384-organization.eml org384 "Rechnung 2024-118" -md sha384
valid detached-sha384-p384-organization.eml V3 "multipart/signed, SHA-384, ECDSA P-384, organization-validated strict (2.23.140.1.5.2.3): Beispiel GmbH (DE)"

FROM="\"Walsh, Erin\" <erin.walsh@acme.example.com>" sign detached-sha256-p256-sponsor.eml sponsor "Budget approval" -md sha256
valid detached-sha256-p256-sponsor.eml V4 "multipart/signed, SHA-256, ECDSA P-256, sponsor-validated (2.23.140.1.5.3.2): Erin Walsh, Finance Director, Acme Widgets Ltd (GB)"

sign opaque-sha256-rsa2048.eml mailbox "Quarterly figures (opaque)" -md sha256 -nodetach
grep -q 'smime-type=signed-data' "$out/opaque-sha256-rsa2048.eml" || die "opaque message lacks smime-type=signed-data"
valid opaque-sha256-rsa2048.eml V1 "application/pkcs7-mime; smime-type=signed-data (openssl -nodetach), content inside the CMS"

# pss file hash salt: the signer uses RSASSA-PSS with that hash and salt (hex as asn1parse
# prints it; "absent" means the default, 20).
pss() {
  local got
  got=$(openssl cms -cmsout -in "$out/$1" -outform DER | openssl asn1parse -inform DER -i |
    awk '/:rsassaPss/ { p=1; next } p && /OBJECT/ && !h { h=$NF; sub(":","",h) }
         p && /cont \[ 2 \]/ { s=1; next } s && /INTEGER/ { v=$NF; sub(":","",v); salt=v; exit }
         p && /OCTET STRING/ { exit }
         END { print h, (salt == "" ? "absent" : salt) }')
  [ "$got" = "$2 $3" ] || die "$1: RSASSA-PSS parameters are '$got', want '$2 $3'"
}

sign pss-sha256-salt32.eml mailbox "RSA-PSS" -md sha256 -keyopt rsa_padding_mode:pss -keyopt rsa_pss_saltlen:digest
pss pss-sha256-salt32.eml sha256 20 # 0x20 = 32
valid pss-sha256-salt32.eml V1 "RSASSA-PSS, SHA-256, MGF1-SHA-256, salt 32 (the hash length)"

sign pss-sha256-salt20.eml mailbox "RSA-PSS" -md sha256 -keyopt rsa_padding_mode:pss -keyopt rsa_pss_saltlen:20
pss pss-sha256-salt20.eml sha256 absent
valid pss-sha256-salt20.eml V1 "RSASSA-PSS, SHA-256, salt 20: the ASN.1 default, so saltLength is absent from the parameters"

sign pss-sha384-saltmax.eml mailbox3k "RSA-PSS" -md sha384 -keyopt rsa_padding_mode:pss -keyopt rsa_pss_saltlen:max
pss pss-sha384-saltmax.eml sha384 014E # 334
valid pss-sha384-saltmax.eml V1 "RSASSA-PSS, SHA-384, RSA-3072, the largest salt the key allows (334 bytes)"

sign sha1-rsa2048.eml mailbox "Old client" -md sha1
must_verify sha1-rsa2048.eml
facts sha1-rsa2048.eml V1
openssl cms -cmsout -print -in "$out/sha1-rsa2048.eml" | grep -A1 'digestAlgorithm:' | grep -q 'algorithm: sha1 ' ||
  die "sha1-rsa2048.eml: the signer's digest is not SHA-1"
entry sha1-rsa2048.eml weak none "SHA-1 digest (openssl -md sha1): verifies cryptographically, but SHA-1 is too weak to trust"

sign noattr-sha256-rsa2048.eml mailbox "No signed attributes" -md sha256 -noattr
openssl cms -cmsout -print -in "$out/noattr-sha256-rsa2048.eml" | grep -A1 'signedAttrs:' | grep -q '<ABSENT>' ||
  die "noattr-sha256-rsa2048.eml: signed attributes present"
valid noattr-sha256-rsa2048.eml V1 "no signed attributes (openssl -noattr): the signature covers the content itself"

sign receipt-request.eml mailbox "Please confirm" -md sha256 -receipt_request_all -receipt_request_to bob@example.org
openssl cms -cmsout -print -in "$out/receipt-request.eml" | grep -q 'id-smime-aa-receiptRequest' ||
  die "receipt-request.eml: no receipt request attribute"
valid receipt-request.eml V1 "an extra signed attribute, a receipt request (RFC 2634), next to the usual ones"

sign reordered-attributes.eml mailbox "Attribute order" -md sha256
reorder reordered-attributes.eml mailbox
valid reordered-attributes.eml V1 "signed attributes in reverse, non-DER order and signed in that order (a signer that does not sort): verify over the attributes as received"

NOCHAIN=1 sign no-intermediate.eml mailbox "Where is my CA" -md sha256
must_fail no-intermediate.eml "unable to get local issuer certificate"
# openssl cms has no -untrusted; an intermediate in the CA file still leads up to the root.
cat "$pki/root.pem" "$pki/inter.pem" >"$tmp/root+inter.pem"
must_verify no-intermediate.eml -CAfile "$tmp/root+inter.pem"
facts no-intermediate.eml V1
entry no-intermediate.eml untrusted none "untrusted: missing intermediate. Only the signer certificate is included (no -certfile); with the intermediate supplied it verifies"

sign unknown-root.eml stranger "Hello from elsewhere" -md sha256
must_fail unknown-root.eml "self.signed certificate in certificate chain|unable to get local issuer"
must_verify unknown-root.eml -CAfile "$pki/other.pem"
entry unknown-root.eml untrusted none "untrusted: a complete chain to a root that is neither bundled nor given (verifies against that root)"

sign expired-rsa2048.eml expired "Still valid?" -md sha256
must_fail expired-rsa2048.eml "certificate has expired"
ATTIME=$((T - 31 * 86400)) must_verify expired-rsa2048.eml # a day before it ended
facts expired-rsa2048.eml V1
entry expired-rsa2048.eml expired none "expired: the signer certificate ended 30 days before the message was signed and delivered"

BODY=utf8.txt sign utf8-8bit.eml mailbox "=?UTF-8?B?$(printf 'Grüße – Rechnung' | openssl base64 -A)?=" -md sha256
grep -q 'Grüße aus Köln' "$out/utf8-8bit.eml" || die "utf8-8bit.eml: body not 8-bit UTF-8"
valid utf8-8bit.eml V1 "text/plain; charset=utf-8 with Content-Transfer-Encoding: 8bit, signed as raw bytes"

sign lf-line-endings.eml mailbox "LF only" -md sha256
sed -i 's/\r$//' "$out/lf-line-endings.eml"
grep -q $'\r' "$out/lf-line-endings.eml" && die "lf-line-endings.eml: CR left"
valid lf-line-endings.eml V1 "the whole file stored with LF line ends: signed in CRLF canonical form, a verifier must canonicalise (RFC 8551 3.1.1)"

BODY=mixed.txt sign mixed-attachment.eml mailbox "Invoice attached" -md sha256
valid mixed-attachment.eml V1 "the signed part is multipart/mixed with a text part and a base64 CSV attachment"

cp "$out/detached-sha256-rsa2048-mailbox.eml" "$out/tampered.eml"
sed -i 's/quarterly figures are attached/quarterly figures are attaches/' "$out/tampered.eml"
cmp -s "$out/detached-sha256-rsa2048-mailbox.eml" "$out/tampered.eml" && die "tampered.eml: nothing changed"
sed -i "s/^Message-ID: <detached-sha256-rsa2048-mailbox\./Message-ID: <tampered./" "$out/tampered.eml"
must_fail tampered.eml "content verify error|digest failure"
entry tampered.eml invalid none "invalid: one byte of the signed body changed after signing (a copy of detached-sha256-rsa2048-mailbox.eml)"

FROM="Alice <alice@example.net>" sign from-mismatch.eml mailbox "Trust me" -md sha256
must_verify from-mismatch.eml
if (facts from-mismatch.eml V1) 2>/dev/null; then die "from-mismatch.eml: From matches the signer"; fi
entry from-mismatch.eml mismatch none "mismatch: a good signature by alice@example.com, but From is alice@example.net"

# A mailing list appended a footer: the signed message became the first part of a
# multipart/mixed, and the footer lies outside the signature.
sign partial-footer.eml mailbox "Signed, then a list footer" -md sha256
{
  headers partial-footer.eml alice@example.com bob@example.org "[team] Signed, then a list footer"
  printf 'MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="list-footer-0815"\n\n'
  printf -- '--list-footer-0815\n'
  grep -v '^MIME-Version:' "$tmp/partial-footer.eml.smime"
  printf -- '\n--list-footer-0815\nContent-Type: text/plain; charset=us-ascii\n\n'
  printf -- '-- \nteam mailing list: unsubscribe at https://lists.example.org/team\n'
  printf -- '--list-footer-0815--\n'
} | crlf >"$out/partial-footer.eml"
must_fail partial-footer.eml "."
# The first part alone is the signed message, and it verifies.
awk '/^--list-footer-0815\r$/ { n++; next } n==1' "$out/partial-footer.eml" >"$tmp/partial-inner.eml"
must_verify "$tmp/partial-inner.eml"
entry partial-footer.eml partial none "partial: a correct multipart/signed by alice is the first part of a multipart/mixed; the second part, a list footer, is not signed"

# Not signed at all, and encrypted only: no signature to verify.
{ headers unsigned.eml alice@example.com bob@example.org "Plain mail"; printf 'MIME-Version: 1.0\r\n'; sed 's/$/\r/' "$tmp/plain.txt"; } >"$out/unsigned.eml"
must_fail unsigned.eml "."
entry unsigned.eml unsigned none "unsigned: a plain text/plain message"

openssl cms -encrypt -in "$tmp/plain.txt" -aes-256-cbc -crlfeol -out "$tmp/enc.smime" "$pki/mailbox.pem" 2>"$tmp/sign.log" ||
  { cat "$tmp/sign.log" >&2; die "encrypted.eml: openssl cms -encrypt failed"; }
{ headers encrypted.eml bob@example.org alice@example.com "Secret"; cat "$tmp/enc.smime"; } | crlf >"$out/encrypted.eml"
must_fail encrypted.eml "."
openssl cms -decrypt -in "$out/encrypted.eml" -recip "$pki/mailbox.pem" -inkey "$pki/mailbox.key" -out /dev/null ||
  die "encrypted.eml: does not decrypt"
entry encrypted.eml encrypted none "encrypted: application/pkcs7-mime enveloped-data (AES-256-CBC) to alice, not signed"

[ "$(date -u +%s)" -lt "$DELIVERED" ] || die "signing took past the delivery time; run again"

{
  cat <<EOF
# What a correct S/MIME verifier says about each message in this directory.
# Generated by gen.sh with $(openssl version | cut -d' ' -f1-2); every verdict was checked there
# with openssl cms -verify -CAfile root.pem -attime <now> (see gen.sh).
#
# Format: lines starting with # are comments (the one above an entry says what the message
# is); every other line is
#   <file> status=<status> level=<V1|V2|V3|V4|none> now=<RFC 3339 time>
# status is one of valid, malformed, invalid, unsupported, weak, untrusted, revoked, expired,
# mismatch, partial, encrypted, unsigned. level is the identity level of a valid signature
# (none otherwise). now is the validation time to use; the topmost Received header of every
# message (delivery) is one hour earlier, and the certificates are valid at both.
# Trust anchor: root.pem, as a full-trust root (not the bundled Mozilla roots).

EOF
  cat "$tmp/MANIFEST"
} >"$out/MANIFEST"

echo "gen.sh: wrote $(grep -c '^[^#]' "$tmp/MANIFEST") messages, root.pem and MANIFEST to $out" >&2
