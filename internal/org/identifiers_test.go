package org

import (
	"testing"

	"github.com/onewindow/onewindow/internal/apperr"
)

// parseCase is one identifier and what its parser must make of it: the
// value ("" when refused).
type parseCase struct{ in, want string }

func checkParser(t *testing.T, name string, parse func(field, s string) (string, error), cases []parseCase) {
	t.Helper()
	for _, c := range cases {
		got, err := parse("f", c.in)
		switch {
		case c.want == "" && err == nil:
			t.Errorf("%s(%q) = %q, want refused", name, c.in, got)
		case c.want == "" && (!apperr.Is(err, apperr.Invalid) || len(apperr.FieldsOf(err)) != 1 || apperr.FieldsOf(err)[0].Field != "f"):
			t.Errorf("%s(%q): %v, want an invalid error on the field", name, c.in, err)
		case c.want != "" && (err != nil || got != c.want):
			t.Errorf("%s(%q) = %q, %v; want %q", name, c.in, got, err, c.want)
		}
	}
}

func TestParseIdentifiers(t *testing.T) {
	dressed := func(ok string) []parseCase {
		return []parseCase{{ok, ok}, {" " + ok, ""}, {ok + "\t", ""}, {ok + "\u3000", ""}, {ok + "\x00", ""},
			{ok[:1] + " " + ok[1:], ""}, {ok + "\u200b", ""}, {ok + "\u202e", ""}, {"", ""}}
	}
	checkParser(t, "ParseDepartmentCode", ParseDepartmentCode, append(dressed("SCJG"), parseCase{"S", ""}, parseCase{"SC/JG", ""}))
	checkParser(t, "ParseHallCode", ParseHallCode, append(dressed("JC-ZWZX"), parseCase{"大厅", ""}))
	checkParser(t, "ParseWindowNumber", ParseWindowNumber, append(dressed("A03"), parseCase{"1号窗口", "1号窗口"}, parseCase{"A0123456789012345", ""}))
	checkParser(t, "ParseUsername", ParseUsername, append(dressed("shenpi"),
		parseCase{"ShenPi", "shenpi"}, parseCase{"\u212aelvin", ""}, parseCase{"ab", ""}, parseCase{"shen pi", ""}))
}

func TestNamesAreCleanText(t *testing.T) {
	for _, name := range []string{"区\x00教育局", "区教育局\u202e", "区\n教育局", "\xff"} {
		d := Department{Code: "JYJ", Name: name, CreditCode: "11320120MB1C40001Q"}
		if err := d.Validate(); err == nil {
			t.Errorf("department named %q accepted", name)
		}
	}
}
