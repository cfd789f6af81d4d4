package e2e

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/org"
	"github.com/onewindow/onewindow/internal/service"
)

// TestThreeLevelsByThreePeople: the department's admin sets 食品经营许可
// to three review levels in the item editor; a case taken in under the new
// version is accepted, goes through a site inspection recorded with an
// attachment (the clock not stopped), then 承办 (王建国), 审核 (孙丽) and
// 批准 (陈丽华), three people, with one send-back from 批准 to 审核. The
// proposer is never offered 审核; the case page names every level and
// every step of the record by the person's real name.
func TestThreeLevelsByThreePeople(t *testing.T) {
	h := newHall(t)
	h.withFiles(t)
	ctx := browser(t)

	// The department's second reviewer, added by its admin.
	admin, err := h.svc.Login(context.Background(), "bumen", h.creds["bumen"])
	if err != nil {
		t.Fatal(err)
	}
	h.creds["shenhe"] = "shenhe-password-1"
	if err := h.svc.AddUser(service.WithUser(context.Background(), admin),
		&org.User{Username: "shenhe", Name: "孙丽", Role: org.RoleReviewer, DepartmentCode: "SCJG"}, h.creds["shenhe"]); err != nil {
		t.Fatal(err)
	}

	// Three levels for the item, in its editor.
	h.as(t, ctx, "bumen")
	h.open(t, ctx, "/admin/items/SCJG-XK-001/edit")
	do(t, ctx, "choose three levels", chromedp.WaitVisible(chromedp.CSS("#review_levels")),
		chromedp.SetValue(chromedp.CSS("#review_levels"), "3"))
	click(t, ctx, "save the item", "form.item-editor > button[type=submit], form.item-editor button[type=submit]:not([name])")
	h.open(t, ctx, "/admin/items/SCJG-XK-001/versions/2")
	if got := text(t, ctx, "main"); !strings.Contains(got, "三级：承办→审核→批准") {
		t.Fatalf("version 2 does not show three levels: %s", got)
	}

	n := h.takeIn(t, casework.Intake{ItemCode: "SCJG-XK-001", Channel: casework.AtWindow, Applicant: company,
		Materials: provided("M01", "M02", "M03", "M04", "M05")})
	h.as(t, ctx, "shenpi")
	h.act(t, ctx, n, "handover")
	h.act(t, ctx, n, "accept")

	// A site inspection, recorded with its photo; the clock runs on.
	h.act(t, ctx, n, "start-procedure",
		chromedp.SetValue(chromedp.CSS("#procedure"), "site_inspection"),
		chromedp.SetValue(chromedp.CSS("#reason-start-procedure"), "经营场所现场勘验，勘验人员：王建国、李强"))
	if got := text(t, ctx, ".case-head .status"); strings.Contains(got, "暂停计时") {
		t.Fatalf("a site inspection stopped the clock: %s", got)
	}
	photo := filepath.Join(t.TempDir(), "现场勘验笔录.pdf")
	if err := os.WriteFile(photo, []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	h.act(t, ctx, n, "finish-procedure",
		chromedp.SetValue(chromedp.CSS("#conclusion"), "经营场所布局与平面图一致，冷链设施符合要求"),
		chromedp.SetUploadFiles(chromedp.CSS("#attachments"), []string{photo}))
	if got := text(t, ctx, "#procedures"); !strings.Contains(got, "现场勘验笔录.pdf") || !strings.Contains(got, "王建国") {
		t.Fatalf("procedures: %s", got)
	}

	// 承办.
	h.act(t, ctx, n, "propose",
		chromedp.SetValue(chromedp.CSS("#propose-outcome"), "approve"),
		chromedp.SetValue(chromedp.CSS("#reason-propose"), "材料齐全，现场勘验符合条件，拟准予许可"))
	h.open(t, ctx, "/cases/"+n)
	// Not offered: at most shown greyed with the reason (the refused
	// actions), never as a form that posts.
	if forms := text(t, ctx, ".actions"); strings.Contains(forms, "审核同意") && !strings.Contains(forms, "暂不能办理") {
		t.Fatalf("the proposer is offered 审核: %s", forms)
	}
	if offered, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`!!document.querySelector('form#form-check')`)); err != nil || offered {
		t.Fatalf("the proposer has the 审核 form (%v)", err)
	}

	// 审核, by another reviewer.
	h.as(t, ctx, "shenhe")
	h.act(t, ctx, n, "check", chromedp.SetValue(chromedp.CSS("#reason-check"), "同意承办意见"))

	// 批准 sends it back to 审核 with a reason; 审核 checks again.
	h.as(t, ctx, "bumen")
	h.act(t, ctx, n, "send-back", chromedp.SetValue(chromedp.CSS("#reason-send-back"), "请核实冷链设施的温度记录"))
	if got := text(t, ctx, "#review-levels"); !strings.Contains(got, "审核") || !strings.Contains(got, "待办理") || strings.Contains(got, "孙丽") {
		t.Fatalf("after the send-back: %s", got)
	}
	h.as(t, ctx, "shenhe")
	h.act(t, ctx, n, "check", chromedp.SetValue(chromedp.CSS("#reason-check"), "温度记录已核实"))

	// 批准: the decision.
	h.as(t, ctx, "bumen")
	h.act(t, ctx, n, "decide",
		chromedp.SetValue(chromedp.CSS("#outcome"), "approve"),
		chromedp.SetValue(chromedp.CSS("#result_document"), "食品经营许可证 JY13201200000001"))
	h.confirm(t, ctx)
	h.wantState(t, ctx, n, "已决定")
	shot(t, ctx, "case-three-levels")
	levels := text(t, ctx, "#review-levels")
	for _, want := range []string{"承办", "王建国", "拟准予", "审核", "孙丽", "温度记录已核实"} {
		if !strings.Contains(levels, want) {
			t.Errorf("review levels do not show %q: %s", want, levels)
		}
	}
	record := text(t, ctx, "table.timeline")
	for _, want := range []string{"提出承办意见", "审核同意", "退回重办", "作出决定", "王建国", "孙丽", "陈丽华", "请核实冷链设施的温度记录"} {
		if !strings.Contains(record, want) {
			t.Errorf("the record does not show %q", want)
		}
	}
	for _, username := range []string{"shenpi", "shenhe", "bumen"} {
		if strings.Contains(record, username) {
			t.Errorf("the record shows the username %s: %s", username, record)
		}
	}
}
