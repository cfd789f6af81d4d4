package casework_test

import (
	"testing"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/casework"
)

func TestParseCaseNumber(t *testing.T) {
	for in, ok := range map[string]bool{
		"20260930000001": true, "202609301000001": true, "": false, "2026093000000": false, " 20260930000001": false,
		"20260930000001\t": false, "20260930 000001": false, "20260930000001\x00": false, "２０２６０９３００００００１": false,
		"JC00000000": false,
	} {
		got, err := casework.ParseCaseNumber("number", in)
		if ok != (err == nil) || ok && got != in || !ok && !apperr.Is(err, apperr.Invalid) {
			t.Errorf("ParseCaseNumber(%q) = %q, %v; want ok %v", in, got, err, ok)
		}
	}
	if err := casework.UnknownCase("20260930000001"); !apperr.Is(err, apperr.NotFound) || err.Message != "未知的办件编号：20260930000001" {
		t.Errorf("UnknownCase: %v", err)
	}
}
