package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// TestFormSubmitsOnce: while the intake form is on its way, its buttons
// are disabled and a second submission sends nothing (issue 13 point 7);
// the form carries its one-time token.
func TestFormSubmitsOnce(t *testing.T) {
	h := newHall(t)
	ctx := browser(t)
	h.as(t, ctx, "shouli")
	h.open(t, ctx, "/intake/SCJG-XK-002")
	steps := []chromedp.Action[chromedp.Void]{chromedp.WaitVisible(chromedp.CSS("#intake-form"))}
	for _, m := range []string{"M01", "M02", "M03", "M04"} {
		steps = append(steps, chromedp.Click(chromedp.CSS(`input[name="material.`+m+`"][value=provided]`)))
	}
	steps = append(steps,
		chromedp.Click(chromedp.CSS(`input[name="applicant.kind"][value=entity]`)),
		chromedp.SetValue(chromedp.CSS(`#applicant-name`), company.Name),
		chromedp.SetValue(chromedp.CSS(`#applicant-id_type`), "credit_code"),
		chromedp.SetValue(chromedp.CSS(`#applicant-id_number`), company.IDNumber),
		chromedp.SetValue(chromedp.CSS(`#applicant-phone`), company.Phone),
	)
	do(t, ctx, "fill the intake form", steps...)
	token, err := chromedp.Run(ctx, chromedp.Value(chromedp.CSS(`#intake-form input[name=form_token]`)))
	if err != nil || len(token) != 32 {
		t.Fatalf("the intake form's one-time token: %q (%v)", token, err)
	}

	// The server holds the form's POST, to look at the page meanwhile.
	// The answer is to open in a new tab: a page that is navigating away
	// answers no question until it is gone.
	arrived, release := h.holdPosts(t, "/intake/SCJG-XK-002")
	eval := func(expr string) string {
		t.Helper()
		ectx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		res, err := chromedp.Call(ectx, runtime.Evaluate, runtime.EvaluateParams{Expression: expr, ReturnByValue: new(true)})
		if err != nil || res.ExceptionDetails != nil {
			t.Fatalf("evaluate %s: %v %v", expr, err, res.ExceptionDetails)
		}
		return string(res.Result.Value)
	}
	submit := `#intake-form button[type=submit]:not([formaction])`
	eval(`document.getElementById("intake-form").target = "_blank"; true`)
	do(t, ctx, "submit", chromedp.Click(chromedp.CSS(submit)))
	select {
	case <-arrived:
	case <-time.After(20 * time.Second):
		t.Fatal("the form was not sent")
	}
	time.Sleep(200 * time.Millisecond) // the buttons are disabled just after the submit event
	if got := eval(`Array.from(document.querySelectorAll("#intake-form button")).every(b => b.disabled)`); got != "true" {
		t.Fatalf("while the form is on its way its buttons are enabled: %s", got)
	}
	// A second click, and a second submission by the keyboard or a script.
	eval(`document.querySelector("` + submit + `").click(); document.getElementById("intake-form").requestSubmit(); true`)
	select {
	case <-arrived:
		t.Fatal("a second submission of the form was sent while the first was on its way")
	case <-time.After(time.Second):
	}
	release()
	// The one submission made one case.
	var n int
	for range 50 { // the held submission finishes in the other tab
		h.open(t, ctx, "/cases?q="+company.Name)
		if n = strings.Count(text(t, ctx, "main table"), company.Name); n > 0 {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if n != 1 {
		t.Fatalf("the case search finds %d cases of %s, want 1", n, company.Name)
	}
}
