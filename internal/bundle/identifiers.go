package bundle

import (
	"regexp"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/text"
)

// numberPattern is a bundle's number: YJS, the day, its sequence.
var numberPattern = regexp.MustCompile(`^YJS[0-9]{12,16}$`)

// ParseTemplateCode returns s if it is a joint application's code (2 to
// 32 capitals, digits or hyphens), else an Invalid error on field saying
// what is wrong. Nothing is trimmed or folded.
func ParseTemplateCode(field, s string) (string, error) {
	if f := text.Identifier(s); f != nil {
		return "", apperr.Field(field, "一件事编码"+f.Message())
	}
	if !codePattern.MatchString(s) {
		return "", apperr.Field(field, "一件事编码须为 2 至 32 位大写字母、数字或连字符")
	}
	return s, nil
}

// ParseNumber returns s if it is a bundle's number (YJS202609300001),
// else an Invalid error on field saying what is wrong.
func ParseNumber(field, s string) (string, error) {
	if f := text.Identifier(s); f != nil {
		return "", apperr.Field(field, "一件事编号"+f.Message())
	}
	if !numberPattern.MatchString(s) {
		return "", apperr.Field(field, "一件事编号须为 YJS 加日期和序号，如 YJS202609300001")
	}
	return s, nil
}

// UnknownBundle is the answer for a bundle number that names no bundle the
// asker may see: the same words whether it does not exist or is someone
// else's.
func UnknownBundle(number string) *apperr.Error {
	return apperr.New(apperr.NotFound, "未知的一件事编号：%s", number)
}
