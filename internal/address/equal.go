package address

import (
	"strings"

	"golang.org/x/net/idna"
	"golang.org/x/text/unicode/norm"
)

// domainProfile is UTS #46 processing for lookup, non-transitional (ß and ς
// stay themselves, as IDNA2008 and today's browsers have it), with the bidi
// and joiner rules, so a domain is compared in the form DNS would resolve.
var domainProfile = idna.New(
	idna.MapForLookup(),
	idna.Transitional(false),
	idna.BidiRule(),
	idna.CheckJoiners(true),
)

// Equal reports whether two addresses name the same mailbox, as far as
// mailseal may assume: domains equal after UTS #46 mapping in A-label form,
// ASCII local parts equal ignoring ASCII case, any other local part equal
// after NFC only. Quoting of the local part does not matter ("a b"@x is the
// local part a b); +tags and dots do. There is no Unicode case folding of
// local parts: RFC 5321 §2.4 leaves their meaning to the mailbox's host, and
// folding would make distinct mailboxes equal.
func Equal(a, b string) bool {
	la, da, ok := split(a)
	if !ok {
		return false
	}
	lb, db, ok := split(b)
	if !ok {
		return false
	}
	return equalDomain(da, db) && equalLocal(unquote(la), unquote(lb))
}

// split cuts an address into local part and domain at the last '@' outside
// a domain literal ("a@[x@y]" has domain "[x@y]").
func split(addr string) (local, domain string, ok bool) {
	i := strings.LastIndexByte(addr, '@')
	if strings.HasSuffix(addr, "]") {
		if j := strings.LastIndex(addr, "@["); j >= 0 {
			i = j
		}
	}
	if i <= 0 || i == len(addr)-1 {
		return "", "", false
	}
	return addr[:i], addr[i+1:], true
}

func equalDomain(a, b string) bool {
	aa, errA := domainProfile.ToASCII(a)
	ab, errB := domainProfile.ToASCII(b)
	if errA == nil && errB == nil {
		return aa != "" && aa == ab
	}
	// Domain literals and names UTS #46 refuses (an underscore) compare as
	// written when both are ASCII; a refused non-ASCII name equals nothing.
	return isASCII(a) && isASCII(b) && asciiEqualFold(a, b)
}

func equalLocal(a, b string) bool {
	if a == "" || b == "" {
		return false
	}
	if isASCII(a) && isASCII(b) {
		return asciiEqualFold(a, b)
	}
	return norm.NFC.String(a) == norm.NFC.String(b)
}

// unquote returns the content of a quoted-string local part, unescaped.
func unquote(local string) string {
	if len(local) < 2 || local[0] != '"' || local[len(local)-1] != '"' {
		return local
	}
	var b strings.Builder
	for i := 1; i < len(local)-1; i++ {
		if local[i] == '\\' && i+1 < len(local)-1 {
			i++
		}
		b.WriteByte(local[i])
	}
	return b.String()
}

// addrSpec writes an address net/mail returned (local part unquoted) with
// the local part quoted again when it is not a dot-atom, so that the
// address reads as it was written.
func addrSpec(addr string) string {
	local, domain, ok := split(addr)
	if !ok || isDotAtom(local) {
		return addr
	}
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(local); i++ {
		if local[i] == '"' || local[i] == '\\' {
			b.WriteByte('\\')
		}
		b.WriteByte(local[i])
	}
	b.WriteString(`"@`)
	b.WriteString(domain)
	return b.String()
}

// isDotAtom reports whether s is an RFC 5322 dot-atom, UTF-8 allowed (RFC 6532).
func isDotAtom(s string) bool {
	if s == "" || s[0] == '.' || s[len(s)-1] == '.' || strings.Contains(s, "..") {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x80 || c == '.' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
			strings.IndexByte("!#$%&'*+-/=?^_`{|}~", c) >= 0 {
			continue
		}
		return false
	}
	return true
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

func asciiEqualFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}
