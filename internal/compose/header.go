package compose

import (
	"github.com/emersion/go-message/textproto"
)

// textproto.Header inserts every new field at the top (DKIM-friendly); these
// helpers write fields in the order a person reads them.

// headerOf returns a header with the fields written in the order given, as name-value pairs.
func headerOf(kv ...string) textproto.Header {
	var h textproto.Header
	for i := len(kv) - 2; i >= 0; i -= 2 {
		h.Add(kv[i], kv[i+1])
	}
	return h
}

// withBottom returns a copy of h with the name-value pairs added below its last field.
func withBottom(h textproto.Header, kv ...string) textproto.Header {
	out := headerOf(kv...)
	var raws [][]byte
	for f := h.Fields(); f.Next(); {
		raw, err := f.Raw()
		if err != nil {
			continue // an invalid field cannot be written anyway; WriteHeader would fail on it
		}
		raws = append(raws, raw)
	}
	for i := len(raws) - 1; i >= 0; i-- {
		out.AddRaw(raws[i])
	}
	return out
}
