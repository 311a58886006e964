//go:build tools

package deps

import (
	_ "github.com/emersion/go-message"
	_ "github.com/norunners/vert"
	_ "github.com/smallstep/pkcs7"
	_ "github.com/stretchr/testify/require"
	_ "golang.org/x/crypto/cryptobyte"
	_ "golang.org/x/crypto/scrypt"
	_ "golang.org/x/net/idna"
	_ "golang.org/x/text/unicode/norm"
	_ "software.sslmate.com/src/go-pkcs12"
)
