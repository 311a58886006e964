package main

import (
	"bytes"
	"os"
	"testing"
)

// TestCommittedListIsCurrent: the list the extension's tests read is the one the table gives,
// so a new code cannot reach a report without its translations being asked for.
func TestCommittedListIsCurrent(t *testing.T) {
	want, err := generate()
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("../../extension/sentence-codes.json")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("extension/sentence-codes.json is out of date: run go run ./cmd/gensentences")
	}
}
