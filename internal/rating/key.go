package rating

import (
	"crypto/rand"
	"strings"
)

// The addition key (追加评价凭证) is what a rater writes down to add to
// the rating later: eight characters from an alphabet without the ones
// read alike (no 0/O, 1/I), shown in two groups ("K7QM-3XPA"). 32⁸ ≈ 10¹²
// keys, each valid for one rating and only during the addition period,
// behind the check-code lockouts (a few wrong guesses per client and per
// rating, then a wait): out of reach of guessing. Keys issued before
// they were short ("ra_" and 43 random characters) stay valid.
const (
	keyAlphabet  = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	KeyLength    = 8     // characters of a key, without the separator
	legacyPrefix = "ra_" // the long keys issued before
)

// NewKey returns a fresh random addition key, written "XXXX-XXXX".
func NewKey() string {
	raw := make([]byte, KeyLength)
	rand.Read(raw) // never fails (crypto/rand since Go 1.24)
	for i, b := range raw {
		raw[i] = keyAlphabet[int(b)%len(keyAlphabet)] // 256 is a multiple of 32: no bias
	}
	return string(raw[:4]) + "-" + string(raw[4:])
}

// KeyForm returns the form of a key as typed in which it is kept (as a
// hash) and compared: a short key upper-cased without spaces or dashes,
// so "k7qm 3xpa" is "K7QM-3XPA"; an old long key exactly as issued.
func KeyForm(typed string) string {
	typed = strings.TrimSpace(typed)
	if strings.HasPrefix(typed, legacyPrefix) {
		return typed
	}
	return strings.ToUpper(strings.NewReplacer(" ", "", "-", "", "\u3000", "").Replace(typed))
}
