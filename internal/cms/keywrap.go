package cms

import (
	"crypto/aes"
	"crypto/subtle"
	"encoding/binary"
	"errors"
)

// The AES key wrap of RFC 3394, which RFC 5753 and RFC 3565 use to wrap the content key
// under a key agreed by ECDH.

var wrapIV = []byte{0xa6, 0xa6, 0xa6, 0xa6, 0xa6, 0xa6, 0xa6, 0xa6}

func aesWrap(kek, key []byte) ([]byte, error) {
	if len(key) < 16 || len(key)%8 != 0 {
		return nil, errors.New("cms: a wrapped key must be a multiple of 8 bytes, at least 16")
	}
	block, err := aes.NewCipher(kek)
	if err != nil {
		return nil, err
	}
	n := len(key) / 8
	out := make([]byte, 8+len(key))
	copy(out, wrapIV)
	copy(out[8:], key)
	var b [16]byte
	for j := 0; j < 6; j++ {
		for i := 1; i <= n; i++ {
			copy(b[:8], out[:8])
			copy(b[8:], out[8*i:8*i+8])
			block.Encrypt(b[:], b[:])
			t := uint64(n*j + i)
			binary.BigEndian.PutUint64(out[:8], binary.BigEndian.Uint64(b[:8])^t)
			copy(out[8*i:], b[8:])
		}
	}
	return out, nil
}

func aesUnwrap(kek, wrapped []byte) ([]byte, error) {
	if len(wrapped) < 24 || len(wrapped)%8 != 0 {
		return nil, errOpen
	}
	block, err := aes.NewCipher(kek)
	if err != nil {
		return nil, errOpen
	}
	n := len(wrapped)/8 - 1
	r := append([]byte(nil), wrapped...)
	var b [16]byte
	for j := 5; j >= 0; j-- {
		for i := n; i >= 1; i-- {
			t := uint64(n*j + i)
			binary.BigEndian.PutUint64(b[:8], binary.BigEndian.Uint64(r[:8])^t)
			copy(b[8:], r[8*i:8*i+8])
			block.Decrypt(b[:], b[:])
			copy(r[:8], b[:8])
			copy(r[8*i:], b[8:])
		}
	}
	if subtle.ConstantTimeCompare(r[:8], wrapIV) != 1 {
		return nil, errOpen
	}
	return r[8:], nil
}
