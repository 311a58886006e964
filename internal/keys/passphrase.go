package keys

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// MinPassphraseLength is the fewest characters Seal accepts in a passphrase. The sealed
// file sits in browser storage, where malware or a stolen profile can try passphrases
// offline as fast as scrypt allows; length is what makes that slow.
const MinPassphraseLength = 10

// commonPassphrases are the most common choices of at least MinPassphraseLength
// characters in public password breach lists, and words any guesser tries first;
// compared without case and spaces.
var commonPassphrases = []string{
	"1234567890", "0123456789", "1234512345", "1111111111", "0000000000", "9876543210",
	"1q2w3e4r5t", "qwertyuiop", "asdfghjkl;", "zxcvbnm123", "qwerty1234", "qwertyuiop123",
	"1qaz2wsx3edc", "password12", "password123", "password1234", "passw0rd123", "iloveyou12",
	"passphrase", "mypassphrase", "mailseal123", "letmein123", "welcome123", "abcdefghij",
	"abcd123456", "abc1234567", "aaaaaaaaaa", "princess12", "football12", "baseball12",
	"sunshine12", "superman12", "trustno1trustno1", "correcthorsebatterystaple", "changeme123",
	"administrator", "secretpassword", "mysecretpassword", "qazwsxedcrfv", "1q2w3e4r5t6y",
}

// CheckPassphrase says whether Seal accepts passphrase. A refusal wraps ErrWeakPassphrase
// and says how to choose a better one.
func CheckPassphrase(passphrase string) error {
	if passphrase == "" {
		return ErrEmptyPassphrase
	}
	const hint = "a few unrelated words, or a sentence only you would write, is both strong and easy to remember"
	if n := utf8.RuneCountInString(norm.NFC.String(passphrase)); n < MinPassphraseLength {
		return fmt.Errorf("%w: it has %d characters, and at least %d are needed; %s", ErrWeakPassphrase, n, MinPassphraseLength, hint)
	}
	folded := strings.ToLower(strings.Join(strings.Fields(passphrase), ""))
	first, _ := utf8.DecodeRuneInString(folded)
	if slices.Contains(commonPassphrases, folded) || strings.Trim(folded, string(first)) == "" { // one character repeated
		return fmt.Errorf("%w: it is among the first a guesser tries; %s", ErrWeakPassphrase, hint)
	}
	return nil
}
