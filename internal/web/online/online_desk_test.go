package online_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/applicant"
	"github.com/onewindow/onewindow/internal/blob"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/identity"
	"github.com/onewindow/onewindow/internal/notify"
	"github.com/onewindow/onewindow/internal/org"
	"github.com/onewindow/onewindow/internal/service"
)

// onlineDeskStart is a Tuesday morning of an ordinary week.
var onlineDeskStart = time.Date(2026, 9, 15, 9, 0, 0, 0, clock.Shanghai)

// deskBlobs gives the hall's service a folder for uploaded files: the
// fixture's service has none.
func (h *hall) deskBlobs(t *testing.T) {
	t.Helper()
	st, err := blob.NewDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	h.svc.Use(st, nil)
}

var sixDigits = regexp.MustCompile(`\d{6}`)

// deskApplicant registers an online applicant (an enterprise with the
// credit code given) and returns its service context and account.
func (h *hall) deskApplicant(t *testing.T, phone, name, creditCode string) (context.Context, *applicant.Account) {
	t.Helper()
	ctx := context.Background()
	if err := h.svc.SendCode(ctx, phone, applicant.Register); err != nil {
		t.Fatal(err)
	}
	m, ok := h.svc.Sender().(*notify.Log).Last(phone)
	if !ok {
		t.Fatal("no verification code sent")
	}
	acc, err := h.svc.Register(ctx, service.Registration{Phone: phone, Code: sixDigits.FindString(m.Body), Password: "Kaidian2026"})
	if err != nil {
		t.Fatal(err)
	}
	p := applicant.Profile{Kind: casework.Entity, Name: name, IDType: identity.CreditCode, IDNumber: creditCode, Address: "江川区滨河路88号"}
	if _, err := h.svc.UpdateProfile(service.WithAccount(ctx, acc), p, 0); err != nil {
		t.Fatal(err)
	}
	if acc, err = h.svc.AccountByID(ctx, acc.ID); err != nil {
		t.Fatal(err)
	}
	return service.WithRequest(service.WithAccount(ctx, acc), service.Request{ID: "test", Channel: "web"}), acc
}

// deskPDF is a small file whose bytes say PDF.
func deskPDF(what string) []byte {
	return []byte("%PDF-1.4\n% " + what + "\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")
}

// deskSubmit applies online for item as ctx's applicant, one PDF per
// material code, and returns the case.
func (h *hall) deskSubmit(t *testing.T, ctx context.Context, item string, codes ...string) *service.CaseView {
	t.Helper()
	files := map[string][]casework.FileRef{}
	for _, code := range codes {
		ref, err := h.svc.UploadFile(ctx, code+".pdf", bytes.NewReader(deskPDF(item+" "+code)))
		if err != nil {
			t.Fatal(err)
		}
		files[code] = []casework.FileRef{ref}
	}
	v, err := h.svc.SubmitOnline(ctx, service.OnlineDraft{ItemCode: item, Files: files})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// deskVersion reads the case's current version as user.
func (h *hall) deskVersion(t *testing.T, user, number string) string {
	t.Helper()
	v, err := h.svc.Case(h.as[user], number)
	if err != nil {
		t.Fatal(err)
	}
	return strconv.Itoa(v.Case.Version)
}

// deskState reads the case's state as user.
func (h *hall) deskState(t *testing.T, user, number string) casework.State {
	t.Helper()
	v, err := h.svc.Case(h.as[user], number)
	if err != nil {
		t.Fatal(err)
	}
	return v.Case.State
}

// deskSection returns the page from the heading text on to the next section's
// end: one table of a page with several.
func (p reply) deskSection(t *testing.T, heading string) string {
	t.Helper()
	i := strings.Index(p.body, heading)
	if i < 0 {
		t.Fatalf("page has no %q\n%s", heading, p.body)
	}
	j := strings.Index(p.body[i:], "</section>")
	if j < 0 {
		return p.body[i:]
	}
	return p.body[i : i+j]
}

// deskUpload posts a multipart form: fields, and files as field → name → content.
func (b *browser) deskUpload(path string, fields url.Values, files map[string]map[string][]byte) reply {
	b.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, vs := range fields {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	for field, fs := range files {
		for name, content := range fs {
			w, err := mw.CreateFormFile(field, name)
			if err != nil {
				b.t.Fatal(err)
			}
			w.Write(content)
		}
	}
	mw.Close()
	req, _ := http.NewRequest("POST", b.h.url+path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return b.do(req)
}

const (
	deskCompany = "江川区鲜味餐饮有限公司"
	deskCode    = "91350100M000100Y43"
	deskPhone   = "13811112222"
)

func TestDeskPreReviewPassAndTakeIn(t *testing.T) {
	eachHall(t, onlineDeskStart, func(t *testing.T, h *hall) {
		h.deskBlobs(t)
		actx, _ := h.deskApplicant(t, deskPhone, deskCompany, deskCode)
		cv := h.deskSubmit(t, actx, "SCJG-XK-001", "M01", "M02", "M03", "M04", "M05")
		n := cv.Case.Number

		reviewer := h.signIn(t, "shenpi")
		p := reviewer.get("/dept/prereview")
		p.want(t, http.StatusOK, "网上预审", "待预审")
		row := p.row(n)
		for _, s := range []string{"食品经营许可（新办）", deskCompany, "预审期限", "剩余 2 个工作日", `href="/cases/` + n + `#form-pass-prereview"`, `#form-fail-prereview"`} {
			if !strings.Contains(row, s) {
				t.Errorf("pre-review row of %s lacks %q:\n%s", n, s, row)
			}
		}
		if strings.Contains(p.body, deskCode) {
			t.Error("the pre-review desk shows the full credit code")
		}
		if other := h.signIn(t, "shenpi2").get("/dept/prereview"); other.status != http.StatusOK || other.row(n) != "" {
			t.Errorf("GHZY's pre-review desk: %d, lists SCJG's %s: %v", other.status, n, other.row(n) != "")
		}
		if admin := h.signIn(t, "bumen").get("/dept/prereview"); admin.status != http.StatusOK || admin.row(n) == "" {
			t.Errorf("the department admin's pre-review desk: %d, lists %s: %v", admin.status, n, admin.row(n) != "")
		}
		// A supervisor picks a department and only reads.
		sup := h.signIn(t, "jiandu").get("/dept/prereview?dept=SCJG")
		sup.want(t, http.StatusOK, `<option value="SCJG" selected>`)
		if row := sup.row(n); row == "" || strings.Contains(row, "#form-") {
			t.Errorf("supervisor's row of %s:\n%s", n, row)
		}

		// The case page: the files to download, the pass and fail forms with
		// the return form's preset reasons per material.
		p = reviewer.get("/cases/" + n)
		sha := cv.Case.Materials[0].Files[0].SHA256
		p.want(t, http.StatusOK, `href="/cases/`+n+`/files/`+sha+`"`, "M01.pdf", `action="/cases/`+n+`/pass-prereview"`,
			`action="/cases/`+n+`/fail-prereview"`, `name="correction.M03"`, "复印件不清晰", "预审期限", "网上申报",
			"须携带以下纸质材料", "食品经营许可申请书（原件 1 份，复印件 0 份）")
		file := reviewer.get("/cases/" + n + "/files/" + sha)
		if file.status != http.StatusOK || file.body != string(deskPDF("SCJG-XK-001 M01")) ||
			!strings.HasPrefix(file.header.Get("Content-Disposition"), "attachment") || file.header.Get("Content-Type") != "application/pdf" {
			t.Errorf("download: %d %q %q\n%s", file.status, file.header.Get("Content-Type"), file.header.Get("Content-Disposition"), file.body)
		}
		// The preview beside the checklist: inline, framed by this site only.
		p.want(t, http.StatusOK, `href="/cases/`+n+`/files/`+sha+`?view=1" target="file-preview"`, `<iframe name="file-preview"`)
		view := reviewer.get("/cases/" + n + "/files/" + sha + "?view=1")
		if view.status != http.StatusOK || view.body != string(deskPDF("SCJG-XK-001 M01")) ||
			!strings.HasPrefix(view.header.Get("Content-Disposition"), "inline") || view.header.Get("X-Frame-Options") != "SAMEORIGIN" ||
			!strings.Contains(view.header.Get("Content-Security-Policy"), "frame-ancestors 'self'") ||
			!strings.Contains(view.header.Get("Content-Security-Policy"), "default-src 'none'") {
			t.Errorf("preview: %d %q %q %q", view.status, view.header.Get("Content-Disposition"), view.header.Get("X-Frame-Options"), view.header.Get("Content-Security-Policy"))
		}
		h.signIn(t, "shenpi2").get("/cases/"+n+"/files/"+sha+"?view=1").want(t, http.StatusForbidden)
		h.signIn(t, "shenpi2").get("/cases/"+n+"/files/"+sha).want(t, http.StatusForbidden)
		reviewer.get("/cases/"+n+"/files/"+strings.Repeat("0", 64)).want(t, http.StatusNotFound, "该办件没有这个文件")

		// Passed through the page.
		p = reviewer.follow(t, "/cases/"+n+"/pass-prereview", url.Values{"version": {h.deskVersion(t, "shenpi", n)}, "reason": {"材料齐全"}})
		p.want(t, http.StatusOK, "已预审通过", "<strong>通过</strong>", "须携带纸质材料")
		// The case reads as passed, not as waiting for pre-review: its
		// badge, the flash and the history row of the pass.
		p.want(t, http.StatusOK, `state-submitted">预审通过，待收件<`, "已预审通过，等待申请人携带纸质材料到综合受理窗口收件", "预审通过，待收件</td>")
		p.wantNot(t, `state-submitted">待预审<`, "现为", "等待部门预审")
		p = reviewer.get("/dept/prereview")
		if toReview := p.deskSection(t, `id="h-toreview"`); strings.Contains(toReview, n) {
			t.Errorf("still to pre-review after passing:\n%s", toReview)
		}
		if passed := p.deskSection(t, `id="h-passed"`); !strings.Contains(passed, n) || !strings.Contains(passed, "食品经营许可申请书") {
			t.Errorf("预审通过待收件 lacks %s:\n%s", n, passed)
		}

		// The intake desk takes the paper.
		clerk := h.signIn(t, "shouli")
		p = clerk.get("/intake/online")
		p.want(t, http.StatusOK, "网上申报收件", `href="/intake/online?number=`+n+`"`)
		p = clerk.get("/intake/online?number=" + n)
		p.want(t, http.StatusOK, "核验纸质材料收件", "M01 食品经营许可申请书：原件 1 份，复印件 0 份", `name="number" value="`+n+`"`)
		p = clerk.post("/intake/online", url.Values{"number": {n}, "version": {h.deskVersion(t, "shouli", n)}})
		if p.status != http.StatusSeeOther || p.location != "/cases/"+n {
			t.Fatalf("complete intake: %d → %q\n%s", p.status, p.location, p.body)
		}
		p = clerk.get(p.location)
		p.want(t, http.StatusOK, "已收件：食品经营许可（新办）", `href="/cases/`+n+`/print/0"`, "打印收件通知书")
		if st := h.deskState(t, "shouli", n); st != casework.Received {
			t.Errorf("after complete-intake the case is %s", st)
		}
		clerk.get("/cases/"+n+"/print/0").want(t, http.StatusOK, "收件通知书")
		// Once taken in, the box says so and offers nothing.
		p = clerk.get("/intake/online?number=" + n)
		p.want(t, http.StatusOK, "已不在待收件状态")
		p.wantNot(t, `method="post" action="/intake/online"`)
		clerk.get("/intake/online?number=20260930999999").want(t, http.StatusNotFound, "没有办件编号为 20260930999999 的办件")
		clerk.get("/intake/online?number=JC00000000").want(t, http.StatusUnprocessableEntity, "办件编号须为 14 至 20 位数字")
		// A stale version is refused, the case unchanged.
		p = clerk.post("/intake/online", url.Values{"number": {n}, "version": {"1"}})
		if p.status != http.StatusConflict {
			t.Errorf("stale complete-intake: %d\n%s", p.status, p.body)
		}
	})
}

func TestDeskPreReviewFail(t *testing.T) {
	eachHall(t, onlineDeskStart, func(t *testing.T, h *hall) {
		h.deskBlobs(t)
		actx, _ := h.deskApplicant(t, deskPhone, deskCompany, deskCode)
		n := h.deskSubmit(t, actx, "SCJG-XK-001", "M01", "M02", "M03", "M04", "M05").Case.Number
		reviewer := h.signIn(t, "shenpi")

		// Neither a reason per material nor an overall one: refused, shown
		// by the fail form.
		p := reviewer.post("/cases/"+n+"/fail-prereview", url.Values{"version": {h.deskVersion(t, "shenpi", n)}})
		if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, `action-fail-prereview failed`) {
			t.Fatalf("fail without reasons: %d\n%s", p.status, p.body)
		}
		if st := h.deskState(t, "shenpi", n); st != casework.Submitted {
			t.Fatalf("a refused fail changed the case to %s", st)
		}

		p = reviewer.follow(t, "/cases/"+n+"/fail-prereview", url.Values{"version": {h.deskVersion(t, "shenpi", n)},
			"correction.M03": {"复印件不清晰"}, "correction.M05": {"已过有效期"}, "reason": {"请重新扫描后上传"}})
		p.want(t, http.StatusOK, "已预审不通过", "<strong>不通过</strong>", "M03：复印件不清晰", "M05：已过有效期", "请重新扫描后上传")
		v, err := h.svc.Case(h.as["shenpi"], n)
		if err != nil {
			t.Fatal(err)
		}
		if v.Case.State != casework.RejectedOnline || v.Case.PreReview == nil || v.Case.PreReview.Reasons["M03"] != "复印件不清晰" {
			t.Errorf("after fail: %s %+v", v.Case.State, v.Case.PreReview)
		}
		if reviewer.get("/dept/prereview").row(n) != "" {
			t.Error("a failed application is still on the pre-review desk")
		}
		h.signIn(t, "shouli").get("/intake/online?number="+n).want(t, http.StatusOK, "预审未通过，须申请人在网上修改后重新提交")
	})
}

// deskBundleForm is a complete one form of 开办餐饮店: every required
// material of every member brought.
func deskBundleForm() url.Values {
	f := url.Values{
		"applicant.kind": {"entity"}, "applicant.name": {deskCompany}, "applicant.id_type": {"credit_code"},
		"applicant.id_number": {deskCode}, "applicant.phone": {deskPhone}, "applicant.address": {"江川区滨河路88号"},
		"form.shop_name": {"鲜味小馆"}, "form.shop_address": {"江川区滨河路88号1层"}, "form.area": {"120"},
		"form.contact": {"王芳"}, "form.signboard": {"鲜味小馆"}, "delivery.method": {"pickup"}, "template": {"YJS-CY"},
	}
	for item, codes := range map[string][]string{
		"SCJG-DJ-001": {"M01", "M02", "M03", "M04"},
		"SCJG-XK-001": {"M01", "M02", "M03", "M04", "M05"},
		"WSJK-XK-001": {"M01", "M02", "M03", "M04", "M05", "M06"},
		"CGJ-XK-002":  {"M01", "M02", "M03", "M04", "M05"},
	} {
		for _, c := range codes {
			f.Set("material."+item+"."+c, "provided")
		}
	}
	return f
}

func TestDeskWindowBundle(t *testing.T) {
	eachHall(t, onlineDeskStart, func(t *testing.T, h *hall) {
		clerk := h.signIn(t, "shouli")
		p := clerk.get("/intake/bundles")
		p.want(t, http.StatusOK, "开办餐饮店“一件事”", `href="/intake/bundles/YJS-CY"`, "江川区市场监督管理局", "前置：企业经营范围变更登记办结后受理")
		p = clerk.get("/intake/bundles/YJS-CY")
		p.want(t, http.StatusOK, `name="form.shop_name"`, `name="material.SCJG-DJ-001.M01"`, `name="material.CGJ-XK-002.M05"`,
			`name="applicant.id_number"`, `value="deferred"`, `name="deferral_due.SCJG-XK-001"`, "并联办理")

		// The shop name forgotten: the message by its field, what was typed
		// kept, nothing taken in.
		bad := deskBundleForm()
		bad.Del("form.shop_name")
		p = clerk.post("/intake/bundles", bad)
		p.want(t, http.StatusUnprocessableEntity, "未收件，请修改以下", `href="#form-shop_name"`)
		if msg := p.near(t, `id="msg-form-shop_name"`); !strings.Contains(msg, "请填写门店名称") {
			t.Errorf("no message by the shop name:\n%s", msg)
		}
		if !strings.Contains(p.body, `value="江川区滨河路88号1层"`) {
			t.Error("what was typed is lost")
		}
		// A food licence material not brought and a wrong credit code: the
		// member's message by its materials, the applicant's once.
		bad = deskBundleForm()
		bad.Set("material.SCJG-XK-001.M03", "missing")
		bad.Set("applicant.id_number", "91350100M000100Y44")
		p = clerk.post("/intake/bundles", bad)
		p.want(t, http.StatusUnprocessableEntity, `href="#SCJG-XK-001-materials"`, `href="#applicant-id_number"`)
		if msg := p.near(t, `id="msg-SCJG-XK-001-materials"`); !strings.Contains(msg, "食品经营许可（新办）：") {
			t.Errorf("no message by the food licence's materials:\n%s", msg)
		}
		// The ID number's message once, by the field, not once per member.
		if msg := p.near(t, `id="msg-applicant-id_number"`); !strings.Contains(msg, "校验位") || strings.Contains(msg, "；") {
			t.Errorf("ID number message:\n%s", msg)
		}
		if bs, err := h.svc.Bundles(h.as["shouli"], ""); err != nil || len(bs) != 0 {
			t.Fatalf("a refused bundle was stored: %v %v", bs, err)
		}

		p = clerk.post("/intake/bundles", deskBundleForm())
		if p.status != http.StatusSeeOther || !strings.HasPrefix(p.location, "/bundles/") {
			t.Fatalf("take in bundle: %d → %q\n%s", p.status, p.location, p.body)
		}
		number := strings.TrimPrefix(p.location, "/bundles/")
		p = clerk.get(p.location)
		p.want(t, http.StatusOK, "一件事编号 "+number, "共 4 件办件", "鲜味小馆", "办理中", "江川区市场监督管理局")
		bv, err := h.svc.Bundle(h.as["shouli"], number)
		if err != nil {
			t.Fatal(err)
		}
		if len(bv.Cases) != 4 {
			t.Fatalf("%d member cases", len(bv.Cases))
		}
		cases := map[string]string{}
		for _, cv := range bv.Cases {
			cases[cv.Case.ItemCode] = cv.Case.Number
			if !strings.Contains(p.row(cv.Case.Number), `href="/cases/`+cv.Case.Number+`/print/0"`) {
				t.Errorf("no receipt notice for %s:\n%s", cv.Case.Number, p.row(cv.Case.Number))
			}
		}
		if strings.Contains(p.body, deskCode) {
			t.Error("the bundle page shows the full credit code")
		}

		// The ordered members wait for the change of business scope.
		reviewer := h.signIn(t, "shenpi")
		xk := cases["SCJG-XK-001"]
		p = reviewer.post("/cases/"+xk+"/accept", url.Values{"version": {h.deskVersion(t, "shenpi", xk)}})
		if p.status != http.StatusConflict || !strings.Contains(p.body, "SCJG-DJ-001") || !strings.Contains(p.body, "尚未办结") {
			t.Errorf("accept a waiting member: %d\n%s", p.status, p.body)
		}
		if err := h.svc.AddUser(h.as["admin"], &org.User{Username: "shenpi3", Name: "钱卫东", Role: org.RoleReviewer, DepartmentCode: "WSJK"}, "Weijian2026"); err != nil {
			t.Fatal(err)
		}
		u, err := h.svc.Login(context.Background(), "shenpi3", "Weijian2026")
		if err != nil {
			t.Fatal(err)
		}
		wsjk := service.WithRequest(service.WithUser(context.Background(), u), service.Request{ID: "test", Channel: "web"})
		if _, err := h.svc.Act(wsjk, cases["WSJK-XK-001"], casework.ActAccept, casework.Input{}, 0); err == nil || !strings.Contains(err.Error(), "SCJG-DJ-001") {
			t.Errorf("WSJK accepted its waiting member: %v", err)
		}

		// The lead department sees every member, the waiting ones marked.
		p = reviewer.get("/bundles/" + number)
		p.want(t, http.StatusOK, "本部门", "一件事期限", "门店名称", "鲜味小馆")
		for item, n := range cases {
			if p.row(n) == "" {
				t.Errorf("the lead's bundle page lacks %s (%s)", n, item)
			}
		}
		for _, item := range []string{"SCJG-XK-001", "WSJK-XK-001"} {
			if row := p.row(cases[item]); !strings.Contains(row, "等待前置事项（企业经营范围变更登记）办结") {
				t.Errorf("waiting member %s:\n%s", item, row)
			}
		}
		if row := p.row(cases["WSJK-XK-001"]); strings.Contains(row, `href="/cases/`) {
			t.Errorf("the lead links to another department's case page:\n%s", row)
		}
		if row := p.row(cases["SCJG-DJ-001"]); !strings.Contains(row, `href="/cases/`+cases["SCJG-DJ-001"]+`"`) || !strings.Contains(row, "材料交接期限") {
			t.Errorf("own member:\n%s", row)
		}
		if list := reviewer.get("/bundles"); !strings.Contains(list.body, `id="bundle-`+number+`"`) || !strings.Contains(list.body, "本部门牵头") {
			t.Errorf("the bundle list lacks %s\n%s", number, list.body)
		}
		reviewer.get("/cases/"+xk).want(t, http.StatusOK, `href="/bundles/`+number+`"`, "一件事的前置事项（SCJG-DJ-001）尚未办结")
		h.signIn(t, "shenpi2").get("/bundles/"+number).want(t, http.StatusForbidden)
		if l := h.signIn(t, "shenpi2").get("/bundles"); strings.Contains(l.body, number) {
			t.Error("GHZY lists a bundle it has no part in")
		}

		// The change of business scope decided: the ordered members open.
		dj := cases["SCJG-DJ-001"]
		h.act(t, "shenpi", dj, casework.ActAccept, casework.Input{})
		h.act(t, "shenpi", dj, casework.ActHandover, casework.Input{})
		h.act(t, "shenpi", dj, casework.ActDecide, casework.Input{Confirm: true, Outcome: casework.Approve, ResultDocument: "营业执照（副本）"})
		p = reviewer.follow(t, "/cases/"+xk+"/accept", url.Values{"version": {h.deskVersion(t, "shenpi", xk)}})
		p.want(t, http.StatusOK, "已受理")
		p = reviewer.get("/bundles/" + number)
		if strings.Contains(p.body, "等待前置事项") {
			t.Errorf("members still wait after the prerequisite was approved:\n%s", p.body)
		}
		if row := p.row(dj); !strings.Contains(row, "决定：准予") {
			t.Errorf("decided member:\n%s", row)
		}
	})
}

func TestDeskAgent(t *testing.T) {
	eachHall(t, onlineDeskStart, func(t *testing.T, h *hall) {
		h.deskBlobs(t)
		actx, acc := h.deskApplicant(t, deskPhone, deskCompany, deskCode)
		m, err := h.svc.Authorise(actx, service.AuthorisationInput{Agent: "daiban", Items: []string{"SCJG-XK-002"}, Until: "2026-10-31"})
		if err != nil {
			t.Fatal(err)
		}
		agent := h.signIn(t, "daiban")
		p := agent.get("/agent")
		p.want(t, http.StatusOK, "代办授权", deskCompany, "食品经营许可（延续）", "2026-10-31", "<strong>有效</strong>",
			`href="/agent/apply?account=`+strconv.FormatInt(acc.ID, 10)+`&amp;item=SCJG-XK-002"`, "江川区味香餐饮有限公司", "全部事项")
		if !strings.Contains(p.body, `id="mandate-`+strconv.FormatInt(m.ID, 10)+`"`) {
			t.Error("the mandate has no row")
		}

		account := strconv.FormatInt(acc.ID, 10)
		// An item outside the mandate: told before choosing files, and
		// refused on submission with the service's message, nothing kept.
		agent.get("/agent/apply?account="+account+"&item=SCJG-XK-001").want(t, http.StatusForbidden, "该事项（SCJG-XK-001）不在代办授权范围内")
		files := map[string]map[string][]byte{}
		for _, c := range []string{"M01", "M02", "M03", "M04", "M05"} {
			files["file."+c] = map[string][]byte{c + ".pdf": deskPDF(c)}
		}
		p = agent.deskUpload("/agent/apply", url.Values{"account": {account}, "item": {"SCJG-XK-001"}, "delivery.method": {"pickup"}}, files)
		p.want(t, http.StatusForbidden, "该事项（SCJG-XK-001）不在代办授权范围内")
		if cs, err := h.svc.MyCases(actx); err != nil || len(cs) != 0 {
			t.Fatalf("a refused application was stored: %d %v", len(cs), err)
		}
		agent.get("/agent/apply?account=999999&item=SCJG-XK-002").want(t, http.StatusForbidden, "您没有该申请人的代办授权")

		// In scope: the form, one file input per electronic material.
		p = agent.get("/agent/apply?account=" + account + "&item=SCJG-XK-002")
		p.want(t, http.StatusOK, `enctype="multipart/form-data"`, `name="file.M01"`, `name="file.M04"`, "只收纸质材料", deskCompany)
		// A file that is not what its name says is refused, nothing kept.
		bad := map[string]map[string][]byte{
			"file.M01": {"申请书.pdf": deskPDF("M01")},
			"file.M03": {"营业执照.pdf": []byte("not a pdf at all")},
			"file.M04": {"声明.pdf": deskPDF("M04")},
		}
		p = agent.deskUpload("/agent/apply", url.Values{"account": {account}, "item": {"SCJG-XK-002"}}, bad)
		p.want(t, http.StatusUnprocessableEntity, "营业执照.pdf", "内容不是允许的类型", "请重新选择全部文件")
		if cs, _ := h.svc.MyCases(actx); len(cs) != 0 {
			t.Fatal("an application with a refused file was stored")
		}
		good := map[string]map[string][]byte{
			"file.M01": {"申请书.pdf": deskPDF("M01")},
			"file.M03": {"营业执照.pdf": deskPDF("M03")},
			"file.M04": {"声明.pdf": deskPDF("M04")},
		}
		p = agent.deskUpload("/agent/apply", url.Values{"account": {account}, "item": {"SCJG-XK-002"}, "delivery.method": {"pickup"}}, good)
		if p.status != http.StatusSeeOther || !strings.HasPrefix(p.location, "/agent/cases/") {
			t.Fatalf("apply for the applicant: %d → %q\n%s", p.status, p.location, p.body)
		}
		n := strings.TrimPrefix(p.location, "/agent/cases/")
		p = agent.get(p.location)
		p.want(t, http.StatusOK, "已代 "+deskCompany+" 网上申报「食品经营许可（延续）」", "办理进度", "待预审")
		cs, err := h.svc.MyCases(actx)
		if err != nil || len(cs) != 1 || cs[0].Case.Number != n || cs[0].Case.AgentUser != "daiban" {
			t.Fatalf("the applicant's cases: %v %v", cs, err)
		}
		p = agent.get("/agent")
		if row := p.row(n); !strings.Contains(row, `href="/agent/cases/`+n+`"`) || !strings.Contains(row, "由您代为申报") {
			t.Errorf("agent's case row:\n%s", row)
		}
		if strings.Contains(p.body, deskCode) {
			t.Error("the agent page shows the full credit code")
		}
		// The reviewer sees who applied, by name.
		p = h.signIn(t, "shenpi").get("/cases/" + n)
		p.want(t, http.StatusOK, "代办员 孙磊 代为申报")
		p.wantNot(t, "代办员 daiban")
	})
}

func TestDeskAgentPickup(t *testing.T) {
	eachHall(t, onlineDeskStart, func(t *testing.T, h *hall) {
		h.deskBlobs(t)
		actx, _ := h.deskApplicant(t, deskPhone, deskCompany, deskCode)
		n := h.deskSubmit(t, actx, "SCJG-XK-001", "M01", "M02", "M03", "M04", "M05").Case.Number
		h.act(t, "shenpi", n, casework.ActPassPreReview, casework.Input{})
		h.act(t, "shouli", n, casework.ActCompleteIntake, casework.Input{})
		h.act(t, "shenpi", n, casework.ActAccept, casework.Input{})
		h.act(t, "shenpi", n, casework.ActHandover, casework.Input{})
		h.act(t, "shenpi", n, casework.ActDecide, casework.Input{Confirm: true, Outcome: casework.Approve, ResultDocument: "JY13501020260001"})
		h.act(t, "shenpi", n, casework.ActSubmitResult, casework.Input{})
		h.act(t, "chujian", n, casework.ActAcceptResult, casework.Input{})

		clerk := h.signIn(t, "chujian")
		p := clerk.get("/cases/" + n)
		p.want(t, http.StatusOK, `name="agent_user"`, "代办员领取")
		form := url.Values{"signer": {"孙磊"}, "signer_id_type": {"resident_id"}, "signer_id_number": {signerID}, "agent_user": {"daiban"}}
		form.Set("version", h.deskVersion(t, "chujian", n))
		p = clerk.post("/cases/"+n+"/deliver", form)
		if p.status != http.StatusUnprocessableEntity {
			t.Fatalf("pickup by an agent without a mandate: %d\n%s", p.status, p.body)
		}
		if msg := p.near(t, `name="agent_user"`); !strings.Contains(msg, "代办员 daiban 没有该申请人的授权") {
			t.Errorf("no message by the agent field:\n%s", msg)
		}
		if !strings.Contains(p.body, `name="agent_user" value="daiban"`) {
			t.Error("the agent typed is lost")
		}
		if st := h.deskState(t, "chujian", n); st != casework.ResultReady {
			t.Fatalf("a refused pickup changed the case to %s", st)
		}

		// Authorised for the item, the agent collects.
		if _, err := h.svc.Authorise(actx, service.AuthorisationInput{Agent: "daiban", Items: []string{"SCJG-XK-001"}, Until: "2026-09-30"}); err != nil {
			t.Fatal(err)
		}
		form.Set("version", h.deskVersion(t, "chujian", n))
		clerk.follow(t, "/cases/"+n+"/deliver", form).want(t, http.StatusOK, "已发证，等待送达回执归档")
		if st := h.deskState(t, "chujian", n); st != casework.Delivered {
			t.Errorf("after pickup by the agent: %s", st)
		}
	})
}
