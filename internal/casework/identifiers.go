package casework

import (
	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/text"
)

// ParseCaseNumber returns s if it is a case number as the hall issues them
// (the day, then its sequence: 14 to 20 digits), else an Invalid error on
// field saying what is wrong. A number with a space or a control character
// anywhere is refused, not trimmed.
func ParseCaseNumber(field, s string) (string, error) {
	if f := text.Identifier(s); f != nil {
		return "", apperr.Field(field, "办件编号"+f.Message())
	}
	if len(s) < 14 || len(s) > 20 || !digits(s) {
		return "", apperr.Field(field, "办件编号须为 14 至 20 位数字，如 20260930000001")
	}
	return s, nil
}

// UnknownCase is the answer for a case number that names no case the
// asker may see: the same words whether the case does not exist or is
// someone else's, so that the answer tells nothing of other people's cases.
func UnknownCase(number string) *apperr.Error {
	return apperr.New(apperr.NotFound, "未知的办件编号：%s", number)
}

func digits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
