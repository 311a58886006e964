//go:build js && wasm

package main

import (
	"strings"
	"syscall/js"
	"testing"
)

// TestMemoryLearnsFromOpenedMailAndWarns: loaded once, the memory learns from opened valid mail
// only, warns about unsigned mail from a sender that usually signs, survives export and load,
// and refuses a bad file with a reason.
func TestMemoryLearnsFromOpenedMailAndWarns(t *testing.T) {
	const account = "you@gmail.example"
	raw := sample(t, "detached-sha256-p256-sponsor.eml")
	_, err := callAPI(t, "memoryLoad", account, nil, map[string]any{"now": sampleNow})
	must(t, err)
	verify := func(msg []byte, opened bool) js.Value {
		t.Helper()
		v, err := callAPI(t, "verify", bytesToJS(msg), map[string]any{"now": sampleNow, "roots": sampleRoot(t),
			"memory": map[string]any{"account": account, "opened": opened}})
		must(t, err)
		return v
	}
	if v := verify(raw, false); v.Get("memoryWarnings").Length() != 0 || v.Get("memoryChanged").Truthy() {
		t.Fatal("a message not opened changed the memory")
	}
	for _, id := range []string{"m1", "m2", "m3"} {
		v, err := callAPI(t, "verify", bytesToJS(raw), map[string]any{"now": sampleNow, "roots": sampleRoot(t),
			"memory": map[string]any{"account": account, "opened": true, "message": id}})
		must(t, err)
		if !v.Get("memoryChanged").Truthy() {
			t.Fatal("an opened valid message was not learnt")
		}
	}
	v, err := callAPI(t, "verify", bytesToJS(raw), map[string]any{"now": sampleNow, "roots": sampleRoot(t),
		"memory": map[string]any{"account": account, "opened": true, "message": "m2"}})
	must(t, err)
	if v.Get("memoryChanged").Truthy() {
		t.Error("a message opened again was counted again")
	}
	list, err := callAPI(t, "memoryList", account)
	must(t, err)
	if list.Length() != 1 || list.Index(0).Get("address").String() != "erin.walsh@acme.example.com" || list.Index(0).Get("count").Int() != 3 {
		t.Fatalf("memoryList: %s", js.Global().Get("JSON").Call("stringify", list))
	}
	unsigned := []byte("Received: from mx.example; Sat, 28 Nov 2026 14:00:00 +0000\r\nFrom: \"Walsh, Erin\" <erin.walsh@acme.example.com>\r\n" +
		"To: you@example.com\r\nSubject: new bank details\r\nDate: Sat, 28 Nov 2026 14:00:00 +0000\r\n\r\nPlease pay to this account.\r\n")
	ws := verify(unsigned, true).Get("memoryWarnings")
	if ws.Length() != 1 || ws.Index(0).Get("code").String() != "memory-usually-signs" || ws.Index(0).Get("severity").String() != "danger" {
		t.Fatalf("unsigned from a sender that usually signs: %s", js.Global().Get("JSON").Call("stringify", ws))
	}

	file, err := callAPI(t, "memoryExport", account, map[string]any{"now": sampleNow})
	must(t, err)
	_, err = callAPI(t, "memoryLoad", "other@outlook.example", file, map[string]any{"now": sampleNow})
	must(t, err)
	if list, _ := callAPI(t, "memoryList", "other@outlook.example"); list.Length() != 1 {
		t.Error("an exported file did not load")
	}
	if _, err := callAPI(t, "memoryEdit", "other@outlook.example", map[string]any{"forget": "erin.walsh@acme.example.com"}); err != nil {
		t.Error(err)
	}
	// Accounts are apart: forgetting in one leaves the other.
	if list, _ := callAPI(t, "memoryList", account); list.Length() != 1 {
		t.Error("forgetting in one account changed another")
	}

	// The stored form the extension keeps: another text, the same memory.
	stored, err := callAPI(t, "memoryExport", account, map[string]any{"now": sampleNow, "form": "stored"})
	must(t, err)
	if head := string(goBytes(stored)[:23]); head != "mailseal-memory-stored " {
		t.Errorf("the stored form begins %q", head)
	}
	_, err = callAPI(t, "memoryLoad", "stored@outlook.example", stored, map[string]any{"now": sampleNow})
	must(t, err)
	if list, _ := callAPI(t, "memoryList", "stored@outlook.example"); list.Length() != 1 || list.Index(0).Get("count").Int() != 3 {
		t.Error("the stored form did not load the same memory")
	}
	if r := callAPIError(t, "memoryExport", account, map[string]any{"form": "binary"}); r.code != "ERR_BAD_ARGUMENT" {
		t.Errorf("an unknown form: %+v", r)
	}

	bad := bytesToJS([]byte(`{"format":"mailseal-memory","version":1,"mailboxes":[{"address":"x","level":"V9"}]}`))
	if r := callAPIError(t, "memoryLoad", account, bad); r.code != "ERR_MALFORMED" || !strings.Contains(r.message, "sender 1") {
		t.Errorf("a bad file: %+v", r)
	}
	if r := callAPIError(t, "memoryEdit", account, map[string]any{"pin": "a@b.example", "forget": "a@b.example"}); r.code != "ERR_BAD_ARGUMENT" {
		t.Errorf("two edits at once: %+v", r)
	}
	if r := callAPIError(t, "memoryList", "never-loaded"); r.code != "ERR_BAD_ARGUMENT" {
		t.Errorf("an account never loaded: %+v", r)
	}
	if r := callAPIError(t, "verify", bytesToJS(raw), map[string]any{"memory": map[string]any{"account": ""}}); r.code != "ERR_BAD_ARGUMENT" {
		t.Errorf("verify with an empty account: %+v", r)
	}
}
