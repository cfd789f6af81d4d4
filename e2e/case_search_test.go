package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/onewindow/onewindow/internal/casework"
)

// TestCaseSearchInTheBrowser: a supervisor finds a case by the applicant's
// phone as typed and the receiving clerk chosen by name; the form keeps
// the search, and shows no username.
func TestCaseSearchInTheBrowser(t *testing.T) {
	h := newHall(t)
	ctx := browser(t)
	found := h.takeIn(t, casework.Intake{ItemCode: "SCJG-XK-002", Channel: casework.AtWindow, Applicant: company, Materials: provided("M01", "M02", "M03", "M04")})
	other := company
	other.Phone = "13900001111"
	missed := h.takeIn(t, casework.Intake{ItemCode: "SCJG-XK-002", Channel: casework.AtWindow, Applicant: other, Materials: provided("M01", "M02", "M03", "M04")})

	h.as(t, ctx, "jiandu")
	h.open(t, ctx, "/cases")
	if form := text(t, ctx, "form.case-search"); strings.Contains(form, "shouli") || !strings.Contains(form, "张晓梅") {
		t.Errorf("the search form reads %q: want the clerks by name only", form)
	}
	do(t, ctx, "fill in the search",
		chromedp.SetValue(chromedp.CSS("#phone"), "138 0013 8000"),
		chromedp.SetValue(chromedp.CSS("#clerk"), "shouli"),
	)
	if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS("form.case-search button[type=submit]"))); err != nil {
		t.Fatal(err)
	}
	list := text(t, ctx, "table.cases")
	if !strings.Contains(list, found) || strings.Contains(list, missed) {
		t.Errorf("the search by phone and clerk lists:\n%s", list)
	}
	if hint := text(t, ctx, "p.hint"); !strings.Contains(hint, "共 1 件") {
		t.Errorf("count %q", hint)
	}
	phone, _ := chromedp.Run(ctx, chromedp.Value(chromedp.CSS("#phone")))
	clerk, _ := chromedp.Run(ctx, chromedp.Value(chromedp.CSS("#clerk")))
	if phone != "138 0013 8000" || clerk != "shouli" {
		t.Errorf("the form forgot the search: phone %q, clerk %q", phone, clerk)
	}
	shot(t, ctx, "search-by-phone")
}
