package notify

import (
	"net/mail"
	"strings"
)

// MaskRecipient hides most of a phone number or e-mail address for logs and
// screens: a phone number keeps its first 3 and last 4 characters
// (13812345678 → 138****5678; one of 7 characters or fewer is hidden
// whole), an e-mail address keeps the first character of its local part and
// its domain (alice@example.com → a***@example.com; a display name is
// dropped). The domain is kept because it tells an operator which mail
// provider refused a message without naming the person.
func MaskRecipient(s string) string {
	s = strings.TrimSpace(s)
	if strings.Contains(s, "@") {
		return maskEmail(s)
	}
	return maskPhone(s)
}

func maskEmail(s string) string {
	if a, err := mail.ParseAddress(s); err == nil {
		s = a.Address
	}
	at := strings.LastIndex(s, "@")
	local, domain := []rune(s[:at]), s[at:]
	if len(local) == 0 {
		return "***" + domain
	}
	// A fixed number of stars, so the mask does not tell the local part's length.
	return string(local[0]) + "***" + domain
}

func maskPhone(s string) string {
	r := []rune(s)
	if len(r) <= 7 {
		return strings.Repeat("*", len(r))
	}
	for i := 3; i < len(r)-4; i++ {
		r[i] = '*'
	}
	return string(r)
}
