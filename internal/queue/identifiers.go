package queue

import (
	"regexp"
	"strings"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/text"
)

// ticketNumberPattern is a ticket's number: its category's prefix and at
// least three digits (A003, B120).
var ticketNumberPattern = regexp.MustCompile(`^[A-Z]{1,2}[0-9]{3,6}$`)

// ParseTicketNumber returns the ticket number s as the queue prints it,
// capitals folded ("a003" is A003), else an Invalid error on field saying
// what is wrong. Blanks and control characters are refused, not trimmed.
func ParseTicketNumber(field, s string) (string, error) {
	if f := text.Identifier(s); f != nil {
		return "", apperr.Field(field, "号码"+f.Message())
	}
	s = strings.Map(func(r rune) rune { // A–Z only: no look-alike folds into a real number
		if r >= 'a' && r <= 'z' {
			return r - 'a' + 'A'
		}
		return r
	}, s)
	if !ticketNumberPattern.MatchString(s) {
		return "", apperr.Field(field, "号码须为字母加数字，如 A003")
	}
	return s, nil
}
