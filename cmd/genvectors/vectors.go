package main

import (
	"crypto"
	"crypto/x509"
	"encoding/asn1"
	"strings"
	"time"

	"github.com/mailseal/mailseal/internal/classify"
	"github.com/mailseal/mailseal/internal/cms"
	"github.com/mailseal/mailseal/internal/testpki"
)

const day = 24 * time.Hour

var (
	epoch    = testpki.Epoch
	acmeID   = "NTRGB-12345678"
	v1Banner = func(email string) string {
		return classify.Banner(classify.Classification{Level: classify.LevelV1}, email)
	}
)

func withKey(p testpki.Profile, k testpki.KeyType) testpki.Profile { p.Key = k; return p }

func hashOpt(h crypto.Hash) func(*cms.SignOptions) {
	return func(o *cms.SignOptions) { o.Hash = h }
}

func from(v string) func(*testpki.Header) { return func(h *testpki.Header) { h.From = v } }

var vectors = []vector{
	// Identity levels: one per BR validation type and the ways each names its subject.
	{name: "level-v1-mailbox-strict", expect: "valid", level: "V1", banner: v1Banner("alice@example.com"),
		description: "mailbox-validated strict (2.23.140.1.5.1.3), detached, RSA-2048",
		build:       spec{}.fn()},
	{name: "level-v1-mailbox-legacy", expect: "valid", level: "V1", banner: v1Banner("alice@example.com"),
		description: "mailbox-validated legacy (2.23.140.1.5.1.1)",
		build:       spec{profile: testpki.MailboxProfile(testpki.Legacy, "alice@example.com")}.fn()},
	{name: "level-v1-mailbox-multipurpose-opaque", expect: "valid", level: "V1", banner: v1Banner("alice@example.com"),
		description: "mailbox-validated multipurpose (2.23.140.1.5.1.2), opaque application/pkcs7-mime",
		build: spec{profile: testpki.MailboxProfile(testpki.Multipurpose, "alice@example.com"),
			opts: func(o *cms.SignOptions) { o.Detached = false }}.fn()},
	{name: "level-v1-no-reserved-policy", expect: "valid", level: "V1", banner: v1Banner("alice@example.com"),
		description: "trusted chain but no CA/B Forum policy OID: address only",
		build:       spec{profile: testpki.Profile{Email: "alice@example.com", Subject: testpki.Subject{CommonName: "Alice Liddell"}}}.fn()},
	{name: "level-v1-several-reserved-policies", expect: "valid", level: "V1", banner: v1Banner("alice@example.com"),
		description: "individual and sponsor policy OIDs in one certificate: non-conformant, address only",
		build: spec{profile: func() testpki.Profile {
			p := testpki.SponsorProfile(testpki.Strict, "alice@example.com", "Alice", "Liddell", "Acme Ltd", acmeID, "GB", "Buyer")
			p.Policies = append(p.Policies, testpki.Policy(testpki.Individual, testpki.Strict))
			return p
		}()}.fn()},
	{name: "level-v2-individual-given-surname", expect: "valid", level: "V2",
		banner:      "V2 · alice@example.com · Alice Liddell, Identity Validated",
		description: "individual-validated strict (2.23.140.1.5.4.3) with givenName and surname",
		build:       spec{profile: testpki.IndividualProfile(testpki.Strict, "alice@example.com", "Alice", "Liddell")}.fn()},
	{name: "level-v2-individual-legacy-cn", expect: "valid", level: "V2",
		banner:      "V2 · alice@example.com · Alice Liddell, Identity Validated",
		description: "individual-validated legacy (2.23.140.1.5.4.1) naming the person in commonName only",
		build: spec{profile: testpki.Profile{Email: "alice@example.com", Subject: testpki.Subject{CommonName: "Alice Liddell"},
			Policies: []asn1.ObjectIdentifier{testpki.Policy(testpki.Individual, testpki.Legacy)}}}.fn()},
	{name: "level-v2-individual-pseudonym", expect: "valid", level: "V2",
		banner:      "V2 · alice@example.com · Dodo (pseudonym), Identity Validated",
		description: "individual-validated multipurpose (2.23.140.1.5.4.2) with a pseudonym instead of a name",
		build: spec{profile: testpki.Profile{Email: "alice@example.com", Subject: testpki.Subject{Pseudonym: "Dodo", CommonName: "Dodo"},
			Policies: []asn1.ObjectIdentifier{testpki.Policy(testpki.Individual, testpki.Multipurpose)}}}.fn()},
	{name: "level-v3-organization", expect: "valid", level: "V3",
		banner:      "V3 · sales@acme.example · Acme Ltd (GB), Identity Validated and Trusted",
		description: "organization-validated strict (2.23.140.1.5.2.3) with O, C and organizationIdentifier",
		build: spec{profile: testpki.OrganizationProfile(testpki.Strict, "sales@acme.example", "Acme Ltd", acmeID, "GB"),
			header: from("Acme Sales <sales@acme.example>")}.fn()},
	{name: "level-v4-sponsor-title", expect: "valid", level: "V4",
		banner:      "V4 · alice@acme.example · Alice Liddell, Acme Ltd (GB), Buyer, Identity Validated and Trusted",
		description: "sponsor-validated strict (2.23.140.1.5.3.3) with name, organization and title",
		build: spec{profile: testpki.SponsorProfile(testpki.Strict, "alice@acme.example", "Alice", "Liddell", "Acme Ltd", acmeID, "GB", "Buyer"),
			header: from("Alice Liddell <alice@acme.example>")}.fn()},
	{name: "level-v4-sponsor-no-title", expect: "valid", level: "V4",
		banner:      "V4 · bob@acme.example · Bob Smith, Acme Ltd (GB), Identity Validated and Trusted",
		description: "sponsor-validated multipurpose (2.23.140.1.5.3.2) without a title",
		build: spec{profile: testpki.SponsorProfile(testpki.Multipurpose, "bob@acme.example", "Bob", "Smith", "Acme Ltd", acmeID, "GB", ""),
			header: from("Bob Smith <bob@acme.example>")}.fn()},

	// Algorithms and CMS shapes that must verify.
	{name: "valid-rsa3072-sha384", expect: "valid", level: "V1", description: "RSA-3072 key, SHA-384 digest",
		build: spec{profile: withKey(alice(), testpki.RSA3072), opts: hashOpt(crypto.SHA384)}.fn()},
	{name: "valid-rsa-sha512", expect: "valid", level: "V1", description: "RSA-2048, SHA-512 digest",
		build: spec{opts: hashOpt(crypto.SHA512)}.fn()},
	{name: "valid-rsa-pss", expect: "valid", level: "V1", description: "RSASSA-PSS with SHA-256, MGF1-SHA-256, 32-byte salt (RFC 4055 parameters)",
		build: spec{opts: func(o *cms.SignOptions) { o.PSS = true }}.fn()},
	{name: "valid-p256", expect: "valid", level: "V1", description: "ECDSA P-256 with SHA-256",
		build: spec{profile: withKey(alice(), testpki.P256)}.fn()},
	{name: "valid-p384-sha384", expect: "valid", level: "V1", description: "ECDSA P-384 with SHA-384",
		build: spec{profile: withKey(alice(), testpki.P384), opts: hashOpt(crypto.SHA384)}.fn()},
	{name: "valid-p521-sha512", expect: "valid", level: "V1", description: "ECDSA P-521 with SHA-512, opaque",
		build: spec{profile: withKey(alice(), testpki.P521), opts: func(o *cms.SignOptions) { o.Hash, o.Detached = crypto.SHA512, false }}.fn()},
	{name: "valid-ed25519", expect: "valid", level: "V1", description: "Ed25519 with the SHA-512 digest algorithm (RFC 8419)",
		build: spec{profile: withKey(alice(), testpki.Ed25519)}.fn()},
	{name: "valid-two-signers", expect: "valid", level: "V1", banner: v1Banner("alice@example.com"),
		description: "two good SignerInfos (carol on RSA, alice on P-256): the one whose certificate holds the From address is shown",
		build:       twoSigners},
	{name: "valid-unsorted-attributes", expect: "valid", level: "V1",
		description: "signed attributes not in DER order, signed as encoded: verify the bytes received, never a re-encoding",
		build:       spec{opts: func(o *cms.SignOptions) { o.UnsortedAttributes = true }}.fn()},
	{name: "valid-subject-key-identifier", expect: "valid", level: "V1",
		description: "signer identified by subjectKeyIdentifier (SignerInfo version 3)",
		build:       spec{opts: func(o *cms.SignOptions) { o.SubjectKeyID = true }}.fn()},
	{name: "valid-no-signed-attributes", expect: "valid", level: "V1",
		description: "no signed attributes: the signature covers the content itself (RFC 5652 §5.4)",
		build:       spec{opts: func(o *cms.SignOptions) { o.NoSignedAttributes = true }}.fn()},
	{name: "valid-expired-since", expect: "valid", level: "V1", now: epoch.Add(60 * day), note: "expired",
		description: "the certificate expired after delivery: valid when signed, with a note that it has since expired",
		build: spec{profile: func() testpki.Profile {
			p := alice()
			p.NotAfter = epoch.Add(10 * day)
			return p
		}()}.fn()},
	{name: "valid-lf-line-ends", expect: "valid", level: "V1",
		description: "the whole message saved with LF line ends: the signed part is checked in canonical CRLF form",
		build: func(f *fixtures) ([]byte, error) {
			msg, err := spec{}.build(f)
			return testpki.LFOnly(msg), err
		}},
	{name: "valid-8bit-latin1", expect: "valid", level: "V1",
		description: "ISO-8859-1 body sent as 8bit: the signature covers the raw bytes",
		build:       spec{content: testpki.Latin1Content()}.fn()},
	{name: "valid-sender-differs", expect: "valid", level: "V1",
		description: "From matches the certificate; a different Sender (a secretary's mailbox) does not change that",
		build:       spec{header: func(h *testpki.Header) { h.Sender = "Secretary <secretary@example.com>" }}.fn()},
	{name: "valid-no-san-subject-email", expect: "valid", level: "V1",
		description: "no SAN, the address only in the subject emailAddress attribute, which RFC 8550 §3 says receivers MUST recognise",
		build:       spec{profile: func() testpki.Profile { p := alice(); p.NoSAN = true; return p }()}.fn()},
	{name: "valid-no-eku", expect: "valid", level: "V1",
		description: "no extended key usage extension: any purpose (RFC 5280 §4.2.1.12), email included",
		build:       spec{profile: func() testpki.Profile { p := alice(); p.NoEKU = true; return p }()}.fn()},
	{name: "valid-display-name-trick", expect: "valid", level: "V1", banner: v1Banner("eve@evil.example"),
		warning:     "display-name-address",
		description: `From "boss@bank.com" <eve@evil.example> signed by eve: valid, and the banner names eve, not the display name`,
		build: spec{profile: testpki.MailboxProfile(testpki.Strict, "eve@evil.example"),
			header: from(`"boss@bank.com" <eve@evil.example>`)}.fn()},
	{name: "valid-address-uppercase-domain", expect: "valid", level: "V1",
		description: "From alice@EXAMPLE.COM, certificate alice@example.com: domains compare without case",
		build:       spec{header: from("Alice <alice@EXAMPLE.COM>")}.fn()},
	{name: "valid-address-idn", expect: "valid", level: "V1",
		description: "From in U-labels (user@bücher.example), certificate rfc822Name in A-labels (user@xn--bcher-kva.example)",
		build: spec{profile: testpki.MailboxProfile(testpki.Strict, "user@xn--bcher-kva.example"),
			header: from("User <user@bücher.example>")}.fn()},
	{name: "valid-address-nfc", expect: "valid", level: "V1",
		description: "SmtpUTF8Mailbox josé@example.com in NFC, From in NFD (e + combining acute): equal after normalisation",
		build: spec{profile: testpki.Profile{UTF8Mailbox: "jos\u00e9@example.com", Subject: testpki.Subject{CommonName: "José"},
			Policies: []asn1.ObjectIdentifier{testpki.Policy(testpki.Mailbox, testpki.Strict)}},
			header: from("José <jose\u0301@example.com>")}.fn()},
	{name: "valid-smtputf8mailbox", expect: "valid", level: "V1", banner: v1Banner("山田花子@例え.jp (山田花子@xn--r8jz45g.jp)"),
		description: "SmtpUTF8Mailbox otherName SAN (RFC 9598) 山田花子@例え.jp matching an internationalised From",
		build: spec{profile: testpki.Profile{UTF8Mailbox: "山田花子@例え.jp", Subject: testpki.Subject{CommonName: "山田花子"},
			Policies: []asn1.ObjectIdentifier{testpki.Policy(testpki.Mailbox, testpki.Strict)}},
			header: from("山田花子 <山田花子@例え.jp>")}.fn()},
	{name: "valid-smtputf8-mixed-script", expect: "valid", level: "V1", banner: v1Banner("billing@p\u0430ypal.com (billing@xn--pypal-4ve.com)"),
		description: "SmtpUTF8Mailbox billing@pаypal.com with a Cyrillic а, validated for that domain: shown beside its A-label form, the mixed label named in the reasons, and the display name's organization claim warned about",
		warning:     "display-name-organization",
		build: spec{profile: testpki.Profile{UTF8Mailbox: "billing@p\u0430ypal.com", Subject: testpki.Subject{CommonName: "Billing"},
			Policies: []asn1.ObjectIdentifier{testpki.Policy(testpki.Mailbox, testpki.Strict)}},
			header: from("PayPal Billing <billing@p\u0430ypal.com>")}.fn()},
	{name: "valid-hostile-organization", expect: "valid", level: "V3",
		description: "organization name with HTML, an RTL override, a zero-width space and control characters: shown as inert text",
		build: spec{profile: testpki.OrganizationProfile(testpki.Strict, "sales@acme.example",
			"Acme <img src=x onerror=alert(1)> \u202egnp.exe\u200b\x07\x1b[31m Ltd", acmeID, "GB"),
			header: from("Acme Sales <sales@acme.example>")}.fn()},
	{name: "valid-long-organization", expect: "valid", level: "V3",
		description: "a 5,000-character organizationName: shown shortened, never breaking the layout",
		build: spec{profile: testpki.OrganizationProfile(testpki.Strict, "sales@acme.example",
			"Acme "+strings.Repeat("Very Long Holdings ", 263), acmeID, "GB"),
			header: from("Acme Sales <sales@acme.example>")}.fn()},

	// Broken or hostile CMS.
	{name: "malformed-garbage-signature", expect: "malformed",
		description: "the application/pkcs7-signature part is base64 of bytes that are not DER",
		build: func(f *fixtures) ([]byte, error) {
			return testpki.Message(aliceHeader(), testpki.DetachedEntity(body(), []byte("this is not a CMS structure at all"), "sha-256")), nil
		}},
	{name: "malformed-truncated-signature", expect: "malformed",
		description: "the SignedData DER is cut off in the middle",
		build: func(f *fixtures) ([]byte, error) {
			der, err := signDER(f, alice(), body(), cms.SignOptions{Detached: true, SigningTime: epoch})
			if err != nil {
				return nil, err
			}
			return testpki.Message(aliceHeader(), testpki.DetachedEntity(body(), der[:len(der)/2], "sha-256")), nil
		}},
	{name: "malformed-three-parts", expect: "malformed",
		description: "multipart/signed with a third part after the signature",
		build: func(f *fixtures) ([]byte, error) {
			msg, err := spec{}.build(f)
			if err != nil {
				return nil, err
			}
			i := strings.LastIndex(string(msg), "\r\n--")
			extra := "\r\n--" + boundaryOf(msg) + "\r\nContent-Type: text/plain\r\n\r\nand one more thing\r\n"
			return []byte(string(msg[:i]) + extra + string(msg[i:])), nil
		}},
	{name: "malformed-one-part", expect: "malformed",
		description: "multipart/signed whose signature part was removed",
		build: func(f *fixtures) ([]byte, error) {
			msg, err := spec{}.build(f)
			if err != nil {
				return nil, err
			}
			b := "\r\n--" + boundaryOf(msg)
			first := strings.Index(string(msg), b)
			second := first + len(b) + strings.Index(string(msg[first+len(b):]), b)
			return []byte(string(msg[:second]) + b + "--\r\n"), nil
		}},
	{name: "invalid-econtent-confusion", expect: "invalid",
		description: "multipart/signed whose SignedData also embeds other content (Johnny C1): refuse, never pick one",
		build: spec{opts: func(o *cms.SignOptions) {
			o.ExtraContent = testpki.TextContent("Hello Bob,\n\nplease pay invoice 2026-117 (9,000 EUR) to IBAN XX00 EVIL.\n\nAlice\n")
		}}.fn()},
	{name: "invalid-zero-signers", expect: "invalid",
		description: "SignedData with certificates but no SignerInfo (Johnny C3): nothing is signed",
		build: func(f *fixtures) ([]byte, error) {
			der, err := cms.Sign(body(), nil, cms.SignOptions{Detached: true})
			if err != nil {
				return nil, err
			}
			return testpki.Message(aliceHeader(), testpki.DetachedEntity(body(), der, "sha-256")), nil
		}},
	{name: "invalid-two-signers-one-bad", expect: "invalid",
		description: "two SignerInfos, the second signature broken (Johnny C2): one bad signature spoils the message",
		build:       twoSignersOneBad},
	{name: "invalid-tampered-body", expect: "invalid",
		description: "one byte of the signed body changed after signing (100 EUR became 900 EUR)",
		build: func(f *fixtures) ([]byte, error) {
			msg, err := spec{}.build(f)
			if err != nil {
				return nil, err
			}
			return testpki.Replace(msg, "(100 EUR)", "(900 EUR)")
		}},
	{name: "invalid-tampered-opaque", expect: "invalid",
		description: "opaque signature whose encapsulated content was changed by one byte",
		build: func(f *fixtures) ([]byte, error) {
			der, err := signDER(f, alice(), body(), cms.SignOptions{SigningTime: epoch})
			if err != nil {
				return nil, err
			}
			if der, err = testpki.Replace(der, "(100 EUR)", "(900 EUR)"); err != nil {
				return nil, err
			}
			return testpki.Message(aliceHeader(), testpki.OpaqueEntity(der)), nil
		}},
	{name: "invalid-content-type-mismatch", expect: "invalid",
		description: "the content-type signed attribute says signedData while eContentType is id-data",
		build:       spec{opts: func(o *cms.SignOptions) { o.ContentType = cms.OIDSignedData }}.fn()},
	{name: "invalid-missing-message-digest", expect: "invalid",
		description: "signed attributes without message-digest: nothing binds the signature to the content",
		build: spec{opts: func(o *cms.SignOptions) {
			o.NoSignedAttributes = true
			o.ExtraAttributes = []cms.Attribute{
				{Type: cms.OIDAttrContentType, Values: [][]byte{mustMarshal(cms.OIDData)}},
				{Type: cms.OIDAttrSigningTime, Values: [][]byte{mustMarshal(epoch)}},
			}
		}}.fn()},
	{name: "invalid-duplicate-message-digest", expect: "invalid",
		description: "a second message-digest attribute with another value (the built-in one is correct)",
		build: spec{opts: func(o *cms.SignOptions) {
			o.ExtraAttributes = []cms.Attribute{{Type: cms.OIDAttrMessageDigest, Values: [][]byte{mustMarshal(make([]byte, 32))}}}
		}}.fn()},
	{name: "invalid-signing-time-after-delivery", expect: "invalid",
		description: "signingTime three hours after the Received time: more than the hour of clock skew allowed",
		build: spec{opts: func(o *cms.SignOptions) { o.SigningTime = epoch.Add(3 * time.Hour) },
			header: func(h *testpki.Header) { h.Received = epoch.Add(2 * time.Minute) }}.fn()},

	{name: "unsupported-sha224", expect: "unsupported",
		description: "digest algorithm SHA-224, outside RFC 8551 and not implemented",
		build:       spec{opts: hashOpt(crypto.SHA224)}.fn()},

	{name: "weak-sha1", expect: "weak", description: "RSA signature with the SHA-1 digest",
		build: spec{opts: hashOpt(crypto.SHA1)}.fn()},
	{name: "weak-md5", expect: "weak", description: "RSA signature with the MD5 digest",
		build: spec{opts: hashOpt(crypto.MD5)}.fn()},
	{name: "weak-rsa1024", expect: "weak", description: "signer key RSA-1024",
		build: spec{profile: withKey(alice(), testpki.RSA1024)}.fn()},
	{name: "weak-sha1-intermediate", expect: "weak", description: "the intermediate CA certificate is signed with SHA-1",
		build: spec{profile: func() testpki.Profile { p := alice(); p.Issuer = testpki.BySHA1Intermediate; return p }()}.fn()},

	{name: "untrusted-other-root", reason: "missing_intermediate", expect: "untrusted", description: "issued by an unrelated root (other-root.pem) that is not an anchor",
		build: spec{profile: func() testpki.Profile { p := alice(); p.Issuer = testpki.ByOtherRoot; return p }()}.fn()},
	{name: "untrusted-self-signed", reason: "self_signed", expect: "untrusted", description: "self-signed signer certificate with a sponsor policy OID: the OID alone proves nothing",
		build: spec{profile: func() testpki.Profile {
			p := testpki.SponsorProfile(testpki.Strict, "alice@example.com", "Alice", "Liddell", "Acme Ltd", acmeID, "GB", "CEO")
			p.Issuer = testpki.SelfSigned
			return p
		}()}.fn()},
	{name: "untrusted-unknown-root", reason: "issuer_root_not_trusted", expect: "untrusted", description: "the message carries the signer's certificate and its intermediate; the intermediate's root (other-root.pem) is not an anchor: nothing is missing, the root is not trusted",
		build: spec{profile: func() testpki.Profile { p := alice(); p.Issuer = testpki.ByOtherIntermediate; return p }()}.fn()},
	{name: "untrusted-missing-intermediate", reason: "missing_intermediate", expect: "untrusted", description: "the intermediate CA certificate is not in the message",
		build: spec{chain: func(id *testpki.Identity) { id.Chain = nil }}.fn()},
	{name: "untrusted-server-auth-eku", expect: "untrusted", description: "extended key usage serverAuth only: not an email certificate",
		build: spec{profile: func() testpki.Profile {
			p := alice()
			p.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}
			return p
		}()}.fn()},
	{name: "untrusted-key-usage", expect: "untrusted", description: "key usage keyEncipherment only, without digitalSignature or nonRepudiation",
		build: spec{profile: func() testpki.Profile { p := alice(); p.KeyUsage = x509.KeyUsageKeyEncipherment; return p }()}.fn()},

	// In a directory of its own: only runners that pass the crl header as Options.CRLs can judge it.
	{name: "revocation/revoked", expect: "revoked", crl: "revoked.crl",
		description: "the intermediate's CRL (revoked.crl) lists the signer, keyCompromise, ten days before signing",
		build:       revokedVector},

	{name: "revocation/revoked-superseded-before-delivery", expect: "revoked", crl: "superseded.crl",
		description: "signed two days before delivery, revoked (superseded) the day after signing: any revocation dated before delivery counts",
		build:       supersededVector},

	{name: "expired-back-dated-signing-time", expect: "expired",
		description: "the certificate expired 35 days before delivery; the signingTime claims a day inside its validity, which decides nothing",
		build:       spec{profile: expiredAlice(), opts: func(o *cms.SignOptions) { o.SigningTime = epoch.Add(-60 * day) }}.fn()},
	{name: "expired-no-received-old-signing-time", expect: "expired",
		description: "no Received field (as in sent items): delivery is the verifier's clock; the certificate expired 35 days before, the signingTime is older",
		build: spec{profile: expiredAlice(), opts: func(o *cms.SignOptions) { o.SigningTime = epoch.Add(-60 * day) },
			header: func(h *testpki.Header) { h.NoReceived = true }}.fn()},
	{name: "expired", expect: "expired", description: "the certificate expired 35 days before the message was signed",
		build: spec{profile: func() testpki.Profile {
			p := alice()
			p.NotBefore, p.NotAfter = epoch.Add(-400*day), epoch.Add(-35*day)
			return p
		}()}.fn()},
	{name: "expired-not-yet-valid", expect: "expired", description: "the certificate becomes valid 30 days after the message was signed",
		build: spec{profile: func() testpki.Profile {
			p := alice()
			p.NotBefore, p.NotAfter = epoch.Add(30*day), epoch.Add(400*day)
			return p
		}()}.fn()},

	{name: "unsupported-rsa-key-too-large", expect: "unsupported",
		description: "the certificate set holds a certificate for a 16384-bit RSA key: refused before any arithmetic with it",
		build:       hugeKeyVector},
	{name: "malformed-opaque-digested-data", expect: "malformed",
		description: "opaque signature whose eContentType is digestedData, consistently signed: S/MIME signs only id-data",
		build: spec{opts: func(o *cms.SignOptions) {
			o.Detached = false
			o.EContentType = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 5}
		}}.fn()},
	{name: "malformed-duplicate-content-type", expect: "malformed",
		description: "two Content-Type fields at the top of the message: which one a mail client honours is a guess",
		build:       spec{header: func(h *testpki.Header) { h.Extra = []string{"Content-Type: text/plain"} }}.fn()},
	{name: "mismatch-from", expect: "mismatch", description: "From bob@example.com, signed by alice@example.com",
		build: spec{header: from("Bob <bob@example.com>")}.fn()},
	{name: "mismatch-cyrillic-homograph", expect: "mismatch",
		description: "From manager@bigcorporatіon.example with a Cyrillic і (U+0456); the certificate is for the Latin spelling",
		build: spec{profile: testpki.MailboxProfile(testpki.Strict, "manager@bigcorporation.example"),
			header: from("Manager <manager@bigcorporat\u0456on.example>")}.fn()},
	{name: "mismatch-two-from-fields", expect: "mismatch", description: "two From fields, the second one someone else: which one a client shows is a guess",
		build: spec{header: func(h *testpki.Header) { h.Extra = []string{"From: Mallory <mallory@example.net>"} }}.fn()},
	{name: "mismatch-from-two-mailboxes", expect: "mismatch", description: "From lists alice and mallory: the certificate vouches for one of them only",
		build: spec{header: from("alice@example.com, Mallory <mallory@example.net>")}.fn()},
	{name: "mismatch-signed-by-sender", expect: "mismatch", description: "From the boss, Sender alice who signed: signed on behalf of someone the certificate does not name",
		build: spec{header: func(h *testpki.Header) { h.From, h.Sender = "Boss <boss@example.com>", "Alice <alice@example.com>" }}.fn()},

	{name: "partial-mailing-list-footer", expect: "partial", description: "the signed part inside multipart/mixed with a plain-text footer after it, as mailing lists add",
		build: wrapped(func(signed []byte) []byte {
			return testpki.Mixed(signed, testpki.TextContent("_______________________________________________\nfinance mailing list\nhttps://lists.example.org/finance\n"))
		})},
	{name: "partial-prepended-text", reason: "message_partial", expect: "partial", description: "unsigned text before the signed part (Johnny M1): it may be shown as if signed",
		build: wrapped(func(signed []byte) []byte {
			return testpki.Mixed(testpki.TextContent("URGENT: ignore the amount below, pay 9,000 EUR to IBAN XX00 EVIL.\n"), signed)
		})},

	{name: "encrypted-enveloped-data", expect: "encrypted", description: "application/pkcs7-mime enveloped-data at the root",
		build: func(f *fixtures) ([]byte, error) {
			bob, err := f.pki.Issue(testpki.MailboxProfile(testpki.Strict, "bob@example.org"))
			if err != nil {
				return nil, err
			}
			entity, err := f.pki.EnvelopedEntity(bob)
			return testpki.Message(aliceHeader(), entity), err
		}},

	{name: "unsigned-plain", expect: "unsigned", description: "a plain text message",
		build: func(f *fixtures) ([]byte, error) { return testpki.Message(aliceHeader(), body()), nil }},
	{name: "unsigned-attached-signed-message", expect: "unsigned",
		description: "an unsigned message forwarding a validly signed one as message/rfc822: the attachment's verdict is not the message's",
		build: func(f *fixtures) ([]byte, error) {
			inner, err := spec{}.build(f)
			if err != nil {
				return nil, err
			}
			h := testpki.Header{From: "Mallory <mallory@example.net>", To: "Bob <bob@example.org>", Subject: "Fwd: Quarterly figures"}
			return testpki.Message(h, testpki.Mixed(testpki.TextContent("See below, signed by Alice.\n"), testpki.AttachedMessage(inner))), nil
		}},
	{name: "unsigned-openpgp", expect: "unsigned", description: "PGP/MIME multipart/signed: the same shape, not S/MIME",
		build: func(f *fixtures) ([]byte, error) {
			return testpki.Message(aliceHeader(), testpki.OpenPGPSignedEntity(body())), nil
		}},
}
