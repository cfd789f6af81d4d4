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

// A name, phone or address with a control character, a bidi override or
// invalid UTF-8 is refused by the domain too, whatever the channel (the
// edge refuses it first for HTTP).
func TestPartyTextIsClean(t *testing.T) {
	base := casework.Party{Kind: casework.Person, Name: "李明", IDType: "resident_id", IDNumber: "11010519491231002X", Phone: "13800138000"}
	if _, err := casework.CheckParty(base); err != nil {
		t.Fatalf("a clean party: %v", err)
	}
	for field, change := range map[string]func(*casework.Party){
		"applicant.name":    func(p *casework.Party) { p.Name = "李\x00明" },
		"applicant.address": func(p *casework.Party) { p.Address = "滨河路\u202e66号" },
	} {
		p := base
		change(&p)
		_, err := casework.CheckParty(p)
		found := false
		for _, f := range apperr.FieldsOf(err) {
			found = found || f.Field == field
		}
		if !found {
			t.Errorf("%s: %v, want it refused", field, err)
		}
	}
}
