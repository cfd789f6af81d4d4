package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestConsoleWatchCatchesPolicyViolations: the harness's check is real. A
// style and a script put into a page the way the policy forbids are
// blocked by the browser and reported, so a page that relied on inline
// code would fail every browser test that shows it.
func TestConsoleWatchCatchesPolicyViolations(t *testing.T) {
	h := newHall(t)
	ctx, console := newBrowser(t)
	h.open(t, ctx, "/progress")
	if errs := console.errors(); len(errs) != 0 {
		t.Fatalf("the progress page reported errors: %q", errs)
	}
	do(t, ctx, "add inline code",
		chromedp.Evaluate[chromedp.Void](`(function () {
			var s = document.createElement("style"); s.textContent = "body{color:red}"; document.head.appendChild(s);
			document.body.setAttribute("style", "background:red");
			var j = document.createElement("script"); j.textContent = "window.inlineRan = true"; document.head.appendChild(j);
		})()`),
	)
	ran, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.inlineRan === true`))
	if err != nil || ran {
		t.Errorf("an inline script ran (%v, %v): the policy does not hold", ran, err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) && len(console.errors()) < 3 {
		time.Sleep(50 * time.Millisecond)
	}
	all := strings.Join(console.errors(), "\n")
	for _, want := range []string{"style-src-elem", "style-src-attr", "script-src-elem"} {
		if !strings.Contains(all, "CSP violation: "+want) {
			t.Errorf("no violation of %s reported; the console had:\n%s", want, all)
		}
	}
}
