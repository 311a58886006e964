//go:build js && wasm

package main

import (
	"encoding/json"
	"reflect"
	"syscall/js"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mailseal/mailseal/internal/classify"
	"github.com/mailseal/mailseal/internal/sentence"
	"github.com/mailseal/mailseal/internal/smime"
)

// fullReport sets every field of a Report (TestFullReportIsFull keeps it so).
func fullReport() *smime.Report {
	t1 := time.Date(2026, 11, 28, 13, 20, 42, 0, time.UTC)
	t2 := time.Date(2026, 11, 28, 12, 20, 42, 123456789, time.FixedZone("", 3600))
	return &smime.Report{
		Status: smime.StatusValid, Level: classify.LevelV4,
		Banner:  `V4 Erin Walsh, Acme <Widgets> & "Co", Finance Director, Identity Validated and Trusted`,
		Reasons: []string{}, Notes: []string{"certificate has since expired"},
		ReasonCodes: []sentence.Text{}, NoteCodes: []sentence.Text{{Code: "note_expired_since", Args: []string{"2026-11-28"}}},
		From:     &smime.Mailbox{Address: "erin@acme.example", DisplayName: "Erin \"the boss\" Walsh"},
		Warnings: []smime.Warning{{Kind: "display-name-person", Claim: "Erin", Detail: "signed by erin@acme.example, but …"}},
		Header: &smime.Header{
			From: []smime.Mailbox{{Address: "erin@acme.example"}}, To: []smime.Mailbox{{Address: "a@b.example", DisplayName: "Ä"}},
			Cc: []smime.Mailbox{}, ReplyTo: []smime.Mailbox{{Address: "r@b.example"}}, Subject: "Re: <b>", Date: "Mon, 1 Jun 2026",
			MessageID: "<1@x>", InReplyTo: []string{"<0@x>"}, References: []string{"<0@x>"},
		},
		Text: &smime.Text{Type: "text/html", Text: "<p>hi\u2028</p>", Source: "signed", Truncated: true},
		Signer: &smime.Signer{
			Email: "erin@acme.example", Name: "Erin Walsh", Pseudonym: true, Organization: "Acme",
			Country: "GB", Title: "Finance Director", Fingerprint: "ab01", Issuer: "CN=Acme CA",
			NotBefore: t1, NotAfter: t2, PolicyOID: "2.23.140.1.5.3.2", SigningTime: &t2, GCM: true,
		},
		Chain: []smime.Certificate{{
			Subject: "CN=Erin Walsh", Issuer: "CN=Acme CA", NotBefore: t1, NotAfter: t2,
			SHA256: "ab01", SHA1: "cd02", PolicyOIDs: []string{"2.23.140.1.5.3.2"}, Anchor: "given",
		}},
		Checks:      []smime.Check{{Name: "signature", OK: true, Detail: "good \u202e signature", Code: "error", Args: []string{"good \u202e signature"}, Then: []sentence.Text{{Code: "crl_delta"}}}},
		LevelReason: "sponsor-validated", Uncovered: []string{"Subject", "Date"},
		LevelReasonCodes: []sentence.Text{{Code: "class_v4", Args: []string{"sponsor-validated", "2.23.140.1.5.3.2", "multipurpose"}}},
		Outside:          []string{"a footer"}, OutsideCodes: []sentence.Text{{Code: "outside_after", Args: []string{"text/plain part 2"}}}, SignedPart: "1.2", Opaque: true,
		DeliveryTime: &t1, ValidationTime: &t2,
		Encryption: &smime.Encryption{Decrypted: true, Problem: "part-only", Cipher: "AES-256-GCM", TamperEvident: true,
			Recipients: 3, Key: "bob@example.org", Signature: "inside", AddressedTo: []string{"carol@example.net"}},
		Attached:     []smime.AttachedReport{{Part: "2", Report: &smime.Report{Status: smime.StatusUnsigned}}},
		Skipped:      []string{"an attached message was not verified: at most 16 are, per message"},
		SkippedCodes: []sentence.Text{{Code: "skipped_attached_count", Args: []string{"16"}}},
		SignedEntity: []byte("Content-Type: text/plain\r\n\r\nsigned\r\n"),
		ChainDER:     [][]byte{{0x30, 0x00}},
	}
}

// TestPlainMatchesJSON holds plain to encoding/json, whose output is the
// CLI's --json: full, empty and nil-laden results must come out the same.
func TestPlainMatchesJSON(t *testing.T) {
	for name, v := range map[string]any{
		"full report":    fullReport(),
		"empty report":   &smime.Report{},
		"attached nil":   smime.Report{Attached: []smime.AttachedReport{{Part: "1"}}},
		"classification": newClassification(classify.Classification{Level: classify.LevelV2, Name: "张伟", Pseudonym: true}),
		"map and bytes":  map[string]any{"b": []byte{0, 1, 2, 250}, "a": []int{1, -2}, "f": 1.5, "n": nil},
		"hostile text": smime.Report{Banner: "quote \" backslash \\ nul \x00 esc \x1b tab \t crlf \r\n del \x7f",
			Reasons: []string{"bad UTF-8 \xe2\x82 then \xff\xfe and a lone \x80", "bidi \u202e and <script>&amp;\u2028"}},
	} {
		t.Run(name, func(t *testing.T) {
			want, err := json.Marshal(v)
			require.NoError(t, err)
			got, err := plain(v)
			require.NoError(t, err)
			stringify := js.Global().Get("JSON").Get("stringify")
			wantJS := stringify.Invoke(js.Global().Get("JSON").Call("parse", string(want))).String()
			if gotJS := stringify.Invoke(got).String(); gotJS != wantJS {
				t.Errorf("plain:\n%s\nencoding/json:\n%s", gotJS, wantJS)
			}
		})
	}
}

// TestFullReportIsFull fails when Report gains a field fullReport does not
// set, so that TestPlainMatchesJSON keeps covering every field.
func TestFullReportIsFull(t *testing.T) {
	checkFull(t, reflect.ValueOf(*fullReport()), "Report")
}

func checkFull(t *testing.T, v reflect.Value, path string) {
	for i := range v.NumField() {
		f, name := v.Field(i), path+"."+v.Type().Field(i).Name
		if f.IsZero() {
			t.Errorf("fullReport leaves %s unset", name)
		}
		if f.Kind() == reflect.Pointer && !f.IsNil() && f.Elem().Kind() == reflect.Struct &&
			(f.Type().Elem() == reflect.TypeFor[smime.Signer]() || f.Type().Elem() == reflect.TypeFor[smime.Encryption]()) {
			checkFull(t, f.Elem(), name)
		}
	}
}

func TestPlainLeavesOutSignedEntity(t *testing.T) {
	v, err := plain(fullReport())
	require.NoError(t, err)
	for _, key := range []string{"-", "SignedEntity", "signedEntity", "ChainDER", "chainDER"} {
		if !v.Get(key).IsUndefined() {
			t.Errorf("report has a %q property", key)
		}
	}
}
