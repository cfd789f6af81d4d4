package e2e

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/notify"
	"github.com/onewindow/onewindow/internal/org"
	"github.com/onewindow/onewindow/internal/service"
)

// asStaff returns a service context as a demo account, for the steps the
// test does not drive through the pages.
func (h *hall) asStaff(t *testing.T, user string) context.Context {
	t.Helper()
	u, err := h.svc.Login(context.Background(), user, h.creds[user])
	if err != nil {
		t.Fatal(err)
	}
	return service.WithRequest(service.WithUser(context.Background(), u), service.Request{ID: "e2e", Channel: "web"})
}

// click submits by clicking css and waits for the page it loads.
func click(t *testing.T, ctx context.Context, what, css string) {
	t.Helper()
	if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(css))); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// TestOnlineApplicationRegistrationToPickup is an applicant's whole road in
// the browser: register with a code sent to the phone, fill in who they
// are, upload the handbook's materials (a file whose content is not what
// its name says is refused), submit a fully online application, follow it
// as the department decides, and see it picked up at the issuance desk,
// with the rating prompt at the end.
func TestOnlineApplicationRegistrationToPickup(t *testing.T) {
	h := newHall(t)
	h.withFiles(t)
	// The fully online item's department has no reviewer in the demo.
	if err := h.svc.AddUser(service.AsSystem(context.Background()), &org.User{Username: "chengguan", Name: "冯立", Role: org.RoleReviewer, DepartmentCode: "CGJ"}, "cgj2026review"); err != nil {
		t.Fatal(err)
	}
	h.creds["chengguan"] = "cgj2026review"
	ctx := browser(t)
	const phone, password = "13712345678", "Secret2026"

	// Registration: the code arrives through the (logging) sender.
	h.open(t, ctx, "/my/register")
	do(t, ctx, "type the phone", chromedp.SetValue(chromedp.CSS("#phone"), phone))
	click(t, ctx, "ask for a code", "#send-code")
	msg, ok := h.svc.Sender().(*notify.Log).Last(phone)
	if !ok {
		t.Fatal("no verification code was sent")
	}
	code := regexp.MustCompile(`\d{6}`).FindString(msg.Body)
	do(t, ctx, "fill the registration",
		chromedp.WaitVisible(chromedp.CSS("#code")),
		chromedp.SetValue(chromedp.CSS("#code"), code),
		chromedp.SetValue(chromedp.CSS("#password"), password),
		chromedp.SetValue(chromedp.CSS("#password2"), password))
	if _, err := chromedp.RunResponse(ctx, chromedp.Submit(chromedp.CSS("#password2"))); err != nil {
		t.Fatalf("register: %v", err)
	}

	// Who they are: a resident ID checked by its check character.
	h.open(t, ctx, "/my/profile")
	do(t, ctx, "fill the profile",
		chromedp.Click(chromedp.CSS(`input[name=kind][value=person]`)),
		chromedp.SetValue(chromedp.CSS("#name"), "王小明"),
		chromedp.SetValue(chromedp.CSS("#id_type"), "resident_id"),
		chromedp.SetValue(chromedp.CSS("#id_number"), "11010519491231002X"),
		chromedp.SetValue(chromedp.CSS("#address"), "江川区柳荫路8号"))
	if _, err := chromedp.RunResponse(ctx, chromedp.Submit(chromedp.CSS("#id_number"))); err != nil {
		t.Fatalf("save the profile: %v", err)
	}
	h.open(t, ctx, "/my/profile")
	if got := text(t, ctx, "main"); strings.Contains(got, "11010519491231002X") || !strings.Contains(got, "110105") {
		t.Fatalf("the profile must show the ID masked: %q", got)
	}

	// The materials of 临时占用城市道路审批 (全程网办).
	files := t.TempDir()
	pdf := filepath.Join(files, "申请材料.pdf")
	fake := filepath.Join(files, "假文件.pdf")
	if err := os.WriteFile(pdf, []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(fake, []byte("这不是 PDF 文件，只是改了扩展名的文本。"), 0o644); err != nil {
		t.Fatal(err)
	}
	h.open(t, ctx, "/my/apply/CGJ-XK-003")
	upload := func(material, path string) {
		t.Helper()
		do(t, ctx, "choose a file for "+material,
			chromedp.WaitVisible(chromedp.CSS("#file-"+material)),
			chromedp.SetUploadFiles(chromedp.CSS("#file-"+material), []string{path}))
		click(t, ctx, "upload "+material, "form:has(#file-"+material+") button[type=submit]")
	}
	upload("M01", fake)
	if got := text(t, ctx, "#msg-file-M01"); !strings.Contains(got, "假文件.pdf") {
		t.Fatalf("a text file named .pdf: message %q", got)
	}
	for _, m := range []string{"M01", "M02", "M03", "M04"} {
		upload(m, pdf)
	}
	shot(t, ctx, "online-apply")
	click(t, ctx, "submit the application", `button[formaction$="/submit"]`)
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	number := regexp.MustCompile(`/my/cases/(\d{14})`).FindStringSubmatch(loc)
	if number == nil {
		t.Fatalf("after submitting the browser is at %s: %s", loc, text(t, ctx, "main"))
	}
	n := number[1]
	if got := text(t, ctx, ".timeline"); !strings.Contains(got, "网上提交了申请") || !strings.Contains(got, "预审") {
		t.Fatalf("timeline after submission: %q", got)
	}

	// The department accepts online and decides; the result goes to the
	// issuance desk, which checks it.
	rev, issuance := h.asStaff(t, "chengguan"), h.asStaff(t, "chujian")
	for _, step := range []struct {
		ctx    context.Context
		action casework.Action
		in     casework.Input
	}{
		{rev, casework.ActAccept, casework.Input{}},
		{rev, casework.ActDecide, casework.Input{Confirm: true, Outcome: casework.Approve, ResultDocument: "临时占用城市道路许可证 JCZD-2026-0188"}},
		{rev, casework.ActSubmitResult, casework.Input{}},
		{issuance, casework.ActAcceptResult, casework.Input{}},
	} {
		if _, err := h.svc.Act(step.ctx, n, step.action, step.in, 0); err != nil {
			t.Fatalf("%s: %v", step.action, err)
		}
	}
	h.open(t, ctx, "/my/cases/"+n)
	if got := text(t, ctx, ".timeline"); !strings.Contains(got, "受理") || !strings.Contains(got, "可以领取") {
		t.Fatalf("timeline before pickup: %q", got)
	}

	// Pickup at the issuance desk, through its page.
	h.as(t, ctx, "chujian")
	h.act(t, ctx, n, "deliver",
		chromedp.SetValue(chromedp.CSS("#signer"), "王小明"),
		chromedp.SetValue(chromedp.CSS("#signer_id_number"), "11010519491231002X"))
	h.wantState(t, ctx, n, "已送达")

	// Back as the applicant: the whole road, and the rating prompt.
	h.asApplicant(t, ctx, phone, password)
	h.open(t, ctx, "/my/cases/"+n)
	timeline := text(t, ctx, ".timeline")
	for _, step := range []string{"网上提交了申请", "受理", "准予", "可以领取", "已领取"} {
		if !strings.Contains(timeline, step) {
			t.Errorf("the timeline does not tell %q: %s", step, timeline)
		}
	}
	do(t, ctx, "the rating prompt", chromedp.WaitVisible(chromedp.CSS("#rate")))
	shot(t, ctx, "online-timeline")
}
