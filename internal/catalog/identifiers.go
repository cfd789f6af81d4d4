package catalog

import (
	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/text"
)

// ParseItemCode returns s if it is an item code as the catalog writes it
// (2 to 64 letters, digits, underscores or hyphens), else an Invalid error
// on field saying what is wrong. Nothing is trimmed or folded: a code with
// a space or a control character anywhere is refused, so the code a
// permission is checked on is the code that is written.
func ParseItemCode(field, s string) (string, error) {
	if f := text.Identifier(s); f != nil {
		return "", apperr.Field(field, "事项编码"+f.Message())
	}
	if !validItemCode(s) {
		return "", apperr.Field(field, "事项编码须为 2 至 64 位字母、数字、下划线或连字符")
	}
	return s, nil
}
