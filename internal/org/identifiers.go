package org

import (
	"strings"
	"unicode/utf8"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/text"
)

// The identifiers of the organisation. Each parser returns its identifier
// as stored, or an Invalid error on field saying what is wrong; none trims:
// an identifier with a space or a control character anywhere is refused,
// so the value a permission is checked on is the value that is written.

// ParseDepartmentCode parses a department's code (2 to 32 letters, digits,
// underscores or hyphens).
func ParseDepartmentCode(field, s string) (string, error) {
	return parseCode(field, s, "部门编码")
}

// ParseHallCode parses a hall's code (2 to 32 letters, digits, underscores
// or hyphens).
func ParseHallCode(field, s string) (string, error) {
	return parseCode(field, s, "大厅编码")
}

// ParseWindowNumber parses a window's number as shown above the counter
// ("A03"): up to 16 characters, none of them blank or invisible.
func ParseWindowNumber(field, s string) (string, error) {
	if f := text.Identifier(s); f != nil {
		return "", apperr.Field(field, "窗口号"+f.Message())
	}
	if s == "" || utf8.RuneCountInString(s) > 16 {
		return "", apperr.Field(field, "窗口号不能为空且不超过 16 个字符")
	}
	return s, nil
}

// ParseUsername parses a staff account's username. Usernames are lower
// case, so capitals are folded ("Admin" signs in as admin); blanks and
// control characters are refused, not trimmed.
func ParseUsername(field, s string) (string, error) {
	if f := text.Identifier(s); f != nil {
		return "", apperr.Field(field, "用户名"+f.Message())
	}
	s = foldASCII(s)
	if !validUsername(s) {
		return "", apperr.Field(field, "用户名须为 3 至 32 位小写字母、数字、下划线、点或连字符")
	}
	return s, nil
}

// foldASCII lowers A–Z only: a fold by Unicode would make the Kelvin sign
// (U+212A) a "k" and let a look-alike name reach a real account.
func foldASCII(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'A' && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}, s)
}

func parseCode(field, s, what string) (string, error) {
	if f := text.Identifier(s); f != nil {
		return "", apperr.Field(field, what+f.Message())
	}
	if !validCode(s) {
		return "", apperr.Field(field, what+"须为 2 至 32 位字母、数字、下划线或连字符")
	}
	return s, nil
}

// checkCodeIfSet adds parse's complaint about a code that is given; an
// empty one is for the caller's own rule.
func checkCodeIfSet(c *apperr.Collector, field, code string, parse func(field, s string) (string, error)) {
	if code == "" {
		return
	}
	if _, err := parse(field, code); err != nil {
		c.Add(field, apperr.MessageOf(err))
	}
}
