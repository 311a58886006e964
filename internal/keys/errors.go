package keys

import (
	"errors"
	"fmt"
)

// Errors a caller can act on. Every error of this package wraps one of them or is a *Refusal.
var (
	ErrNotPKCS12       = errors.New("keys: this is not a PKCS #12 file (.p12 or .pfx) that can be read")
	ErrBadPassword     = errors.New("keys: the password of the PKCS #12 file is wrong")
	ErrUnsupportedFile = errors.New("keys: the PKCS #12 file uses an encryption mailseal cannot read")
	ErrNoKey           = errors.New("keys: the PKCS #12 file holds no private key, only certificates")
	ErrRefused         = errors.New("keys: this certificate cannot sign mail")
	ErrEmptyPassphrase = errors.New("keys: the passphrase is empty")
	ErrWeakPassphrase  = errors.New("keys: the passphrase is too easy to guess")
	ErrBadPassphrase   = errors.New("keys: the passphrase is wrong")
	ErrDamaged         = errors.New("keys: the stored identity is damaged or was altered")
	ErrNotExportable   = errors.New("keys: this private key cannot be exported")
)

// Problem names why a certificate cannot sign mail.
type Problem string

const (
	ProblemKeyUsage    Problem = "key-usage"
	ProblemExtKeyUsage Problem = "extended-key-usage"
	ProblemNoAddress   Problem = "no-address"
	ProblemExpired     Problem = "expired"
	ProblemNotYetValid Problem = "not-yet-valid"
	ProblemKeyType     Problem = "key-type"
	ProblemKeyMismatch Problem = "key-mismatch"
	ProblemCA          Problem = "ca-certificate"
)

// Refusal says why a certificate cannot sign mail. errors.Is(r, ErrRefused) holds.
type Refusal struct {
	Problem Problem
	Reason  string // a sentence for a person
}

func (r *Refusal) Error() string        { return "keys: " + r.Reason }
func (r *Refusal) Is(target error) bool { return target == ErrRefused }

func refuse(p Problem, format string, args ...any) error {
	return &Refusal{Problem: p, Reason: fmt.Sprintf(format, args...)}
}
