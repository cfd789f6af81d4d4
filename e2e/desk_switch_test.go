package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestSwitchingDesks: the street centre's clerk (吴婷, intake and issuance)
// signs in at the intake desk, clicks 切换到：发证窗口 in the top bar and
// lands on the issuance desk's 我的待办 with the issuance menu, then
// switches back.
func TestSwitchingDesks(t *testing.T) {
	h := newHall(t)
	ctx := browser(t)
	h.as(t, ctx, "shouli2")
	menu := func() string { return text(t, ctx, `nav[aria-label="主菜单"]`) }
	if who := text(t, ctx, "header .who"); !strings.Contains(who, "吴婷（综合受理）") {
		t.Fatalf("signed in as %q", who)
	}
	if m := menu(); !strings.Contains(m, "综合受理") || strings.Contains(m, "综合出件") {
		t.Fatalf("the intake desk's menu: %q", m)
	}
	switchTo := func(label string) {
		t.Helper()
		btn := `form.desk-switch button[value]`
		if got := text(t, ctx, btn); got != "切换到："+label {
			t.Fatalf("the switcher offers %q, want 切换到：%s", got, label)
		}
		if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(btn))); err != nil {
			t.Fatalf("switch to %s: %v", label, err)
		}
	}
	switchTo("发证窗口")
	if who := text(t, ctx, "header .who"); !strings.Contains(who, "吴婷（综合出件）") {
		t.Fatalf("after switching: %q", who)
	}
	if m := menu(); !strings.Contains(m, "综合出件") || strings.Contains(m, "综合受理") {
		t.Fatalf("the issuance desk's menu: %q", m)
	}
	if flash := text(t, ctx, "main .notice"); !strings.Contains(flash, "已切换到发证窗口") {
		t.Fatalf("the flash: %q", flash)
	}
	h.open(t, ctx, "/issuance")
	if who := text(t, ctx, "header .who"); !strings.Contains(who, "综合出件") {
		t.Fatalf("on the issuance page: %q", who)
	}
	switchTo("受理窗口")
	if who := text(t, ctx, "header .who"); !strings.Contains(who, "吴婷（综合受理）") {
		t.Fatalf("after switching back: %q", who)
	}
}
