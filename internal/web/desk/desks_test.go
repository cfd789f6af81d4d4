package desk_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/identity"
)

// deskStart is a Wednesday morning, the last working day before the
// National Day holiday.
var deskStart = time.Date(2026, 9, 30, 9, 0, 0, 0, clock.Shanghai)

// take takes in a food licence application (paper materials; the result
// mailed if mail) and returns its number.
func (h *hall) take(t *testing.T, mail bool) string {
	t.Helper()
	in := casework.Intake{
		ItemCode: "SCJG-XK-001", Channel: casework.AtWindow,
		Applicant: casework.Party{Kind: casework.Entity, Name: "江川区味来餐饮管理有限公司", IDType: identity.CreditCode,
			IDNumber: "91350100M000100Y43", Phone: "13912345678"},
	}
	for _, code := range []string{"M01", "M02", "M03", "M04", "M05"} {
		in.Materials = append(in.Materials, casework.MaterialInput{Code: code, Status: casework.Provided})
	}
	if mail {
		in.Delivery = &casework.Delivery{Method: casework.Mail, Address: "江川区滨河路66号2栋301室"}
	}
	v, err := h.svc.Intake(h.as["shouli"], in)
	if err != nil {
		t.Fatal(err)
	}
	return v.Case.Number
}

func TestDeptDeskPage(t *testing.T) {
	eachHall(t, deskStart, func(t *testing.T, h *hall) {
		a, b := h.take(t, false), h.take(t, false)
		reviewer := h.signIn(t, "shenpi")

		p := reviewer.get("/dept")
		p.want(t, http.StatusOK, "江川区市场监督管理局", `aria-current="page" accesskey="1">待受理 <span class="count" aria-label="2 件">2</span>`,
			"今天 15:00 截止", "剩余 2 个工作日")
		rowA := p.row(a)
		for _, s := range []string{`action="/cases/` + a + `/accept"`, `name="back" value="/dept?tab=accept"`, `name="version" value="1"`,
			`href="/cases/` + a + `#form-return"`, "纸质材料待交接"} {
			if !strings.Contains(rowA, s) {
				t.Errorf("row of %s lacks %q:\n%s", a, s, rowA)
			}
		}
		// Only what the table allows: a reviewer cannot decide a case not yet
		// accepted, nor approve an extension.
		if strings.Contains(rowA, "form-decide") || strings.Contains(rowA, "approve-extension") {
			t.Errorf("row of %s offers actions the table does not allow:\n%s", a, rowA)
		}

		// An inline accept returns to the tab with a flash; the case moved on.
		p = reviewer.post("/cases/"+a+"/accept", url.Values{"version": {"1"}, "back": {"/dept?tab=accept"}})
		if p.status != http.StatusSeeOther || p.location != "/dept?tab=accept" {
			t.Fatalf("inline accept: %d → %q\n%s", p.status, p.location, p.body)
		}
		p = reviewer.get(p.location)
		p.want(t, http.StatusOK, "办件 "+a+"：已受理")
		if p.row(a) != "" || p.row(b) == "" {
			t.Errorf("after accepting %s the 待受理 tab lists %s: %v, %s: %v", a, a, p.row(a) != "", b, p.row(b) != "")
		}
		p = reviewer.get("/dept?tab=decide")
		p.want(t, http.StatusOK, "待决定")
		if row := p.row(a); !strings.Contains(row, "#form-decide") && !strings.Contains(row, "#form-pause") {
			t.Errorf("待决定 row of %s:\n%s", a, row)
		}
		// The handover tab links to the batch page and lists both.
		p = reviewer.get("/dept?tab=handover")
		p.want(t, http.StatusOK, `href="/handover"`)
		if p.row(a) == "" || p.row(b) == "" {
			t.Error("待交接 does not list both cases")
		}

		// The department admin approves an extension inline.
		h.act(t, "shenpi", a, casework.ActHandover, casework.Input{})
		v := h.act(t, "shenpi", a, casework.ActExtend, casework.Input{Days: 3, Reason: "整改后复查"})
		admin := h.signIn(t, "bumen")
		p = admin.get("/dept?tab=extension")
		p.want(t, http.StatusOK, "申请延期 3 个工作日：整改后复查")
		if row := p.row(a); !strings.Contains(row, `action="/cases/`+a+`/approve-extension"`) || !strings.Contains(row, "#form-reject-extension") {
			t.Errorf("dept admin's row:\n%s", row)
		}
		p = admin.post("/cases/"+a+"/approve-extension", url.Values{"version": {strconv.Itoa(v.Case.Version)}, "back": {"/dept?tab=extension"}})
		if p.status != http.StatusSeeOther || p.location != "/dept?tab=extension" {
			t.Fatalf("approve extension: %d → %q", p.status, p.location)
		}
		if row := reviewer.get("/dept?tab=extension").row(a); row != "" {
			t.Errorf("still awaiting approval:\n%s", row)
		}

		// Other departments, other desks.
		other := h.signIn(t, "shenpi2")
		p = other.get("/dept")
		p.want(t, http.StatusOK, "江川区规划和自然资源局")
		if p.row(b) != "" {
			t.Errorf("GHZY's desk lists SCJG's case %s", b)
		}
		other.get("/dept?dept=SCJG").want(t, http.StatusForbidden, "只能查看本部门的办件")
		reviewer.get("/dept?tab=nope").want(t, http.StatusUnprocessableEntity, "没有这个标签页")
		h.signIn(t, "chujian").get("/dept").want(t, http.StatusForbidden)
		reviewer.get("/issuance").want(t, http.StatusForbidden, "综合出件工作台只对综合出件窗口开放")
		// A supervisor picks a department and sees it read-only.
		p = h.signIn(t, "jiandu").get("/dept?dept=SCJG&tab=accept")
		p.want(t, http.StatusOK, `<option value="SCJG" selected>`)
		if row := p.row(b); row == "" || strings.Contains(row, "<form") {
			t.Errorf("supervisor's row of %s:\n%s", b, row)
		}
	})
}

func TestHandoverPage(t *testing.T) {
	eachHall(t, deskStart, func(t *testing.T, h *hall) {
		a, b, c := h.take(t, false), h.take(t, false), h.take(t, false)
		reviewer := h.signIn(t, "shenpi")
		p := reviewer.get("/handover")
		p.want(t, http.StatusOK, "材料交接", "12:00 前收件的，当日 15:00 前交接", "签收所选办件的纸质材料", "今天 15:00 截止")
		for _, n := range []string{a, b, c} {
			if row := p.row(n); !strings.Contains(row, `name="numbers" value="`+n+`"`) || !strings.Contains(row, "食品经营许可申请书：原件 1 份") {
				t.Errorf("row of %s:\n%s", n, row)
			}
		}
		// c is signed for elsewhere while this page is open.
		h.act(t, "shenpi", c, casework.ActHandover, casework.Input{})
		h.clk.Advance(30 * time.Minute)
		p = reviewer.post("/handover", url.Values{"numbers": {a, b, c}, "version_" + a: {"1"}, "version_" + b: {"1"}, "version_" + c: {"1"}})
		p.want(t, http.StatusOK, "已签收 2 件办件的纸质材料", "1 件未能签收，原因见该行", "打印本次签收的材料交接表（2 件）")
		for _, n := range []string{a, b} {
			if row := p.row(n); !strings.Contains(row, "<strong>已签收</strong> 2026-09-30 09:30") || strings.Contains(row, `name="numbers"`) {
				t.Errorf("signed row of %s:\n%s", n, row)
			}
		}
		if row := p.row(c); !strings.Contains(row, `class="field-error" role="alert">未能签收：`) {
			t.Errorf("refused row of %s:\n%s", c, row)
		}
		p.want(t, http.StatusOK, `href="/handover/print?numbers=`+url.QueryEscape(a+","+b)+`"`)
		if nothing := reviewer.post("/handover", url.Values{}); nothing.status != http.StatusUnprocessableEntity ||
			!strings.Contains(nothing.body, "请勾选要签收纸质材料的办件") {
			t.Errorf("empty batch: %d\n%s", nothing.status, nothing.body)
		}

		// The printable sheet.
		p = reviewer.get("/handover/print?numbers=" + a + "," + b)
		p.want(t, http.StatusOK, "<h1>材料交接表</h1>", "接收部门：江川区市场监督管理局", "日期：2026年9月30日", a, b,
			"江川区味来餐饮管理有限公司", "食品经营许可申请书（原件 1 份，复印件 0 份）", "2026-09-30 09:00<br>张晓梅<",
			"2026-09-30 15:00", "2026-09-30 09:30", "<td>王建国</td>", "移交人（综合受理窗口）签字", "/static/print/handover_batch.css") // A4 landscape, see the file
		p.wantNot(t, "shouli", "shenpi") // people by their real names only
		reviewer.get("/handover/print").want(t, http.StatusUnprocessableEntity, "请选择要列入交接表的办件")
		h.signIn(t, "shenpi2").get("/handover/print?numbers="+a).want(t, http.StatusForbidden)
		// The bureau picks a department; nothing to sign, but the sheet prints.
		d := h.take(t, false)
		p = h.signIn(t, "admin").get("/handover?dept=SCJG")
		p.want(t, http.StatusOK, `<option value="SCJG" selected>`, "打印全部待交接办件的交接表")
		if strings.Contains(p.body, "签收所选办件的纸质材料") || p.row(d) == "" {
			t.Errorf("admin's handover page offers signing, or lacks %s", d)
		}
	})
}

func TestIssuanceDeskPage(t *testing.T) {
	eachHall(t, deskStart, func(t *testing.T, h *hall) {
		pickup, mail := h.take(t, false), h.take(t, true)
		for _, n := range []string{pickup, mail} {
			h.act(t, "shenpi", n, casework.ActAccept, casework.Input{})
			h.act(t, "shenpi", n, casework.ActHandover, casework.Input{})
			h.act(t, "shenpi", n, casework.ActDecide, casework.Input{Confirm: true, Outcome: casework.Approve, ResultDocument: "JY135010202600" + n[len(n)-2:]})
			h.act(t, "shenpi", n, casework.ActSubmitResult, casework.Input{CollectItems: []string{"原《食品经营许可证》正本"}})
		}
		clerk := h.signIn(t, "chujian")
		p := clerk.get("/issuance")
		p.want(t, http.StatusOK, "待核验结果", "须收回：原《食品经营许可证》正本")
		if row := p.row(pickup); !strings.Contains(row, `action="/cases/`+pickup+`/accept-result"`) || !strings.Contains(row, "#form-refuse-result") {
			t.Errorf("check row:\n%s", row)
		}
		for _, n := range []string{pickup, mail} {
			h.act(t, "chujian", n, casework.ActAcceptResult, casework.Input{})
		}
		if row := clerk.get("/issuance?tab=pickup").row(pickup); !strings.Contains(row, `href="/cases/`+pickup+`#form-deliver"`) {
			t.Errorf("pickup row:\n%s", row)
		}

		// The mail form: a missing tracking number is shown next to its
		// field, the carrier typed is kept, nothing is mailed.
		p = clerk.get("/issuance?tab=mail")
		row := p.row(mail)
		if !strings.Contains(row, `action="/issuance/mail"`) || !strings.Contains(row, "江川区滨河路66号2栋301室") {
			t.Fatalf("mail row:\n%s", row)
		}
		v, _ := h.svc.Case(h.as["chujian"], mail)
		form := url.Values{"number": {mail}, "version": {strconv.Itoa(v.Case.Version)}, "carrier": {"顺丰速运"}, "tracking_number": {""}}
		p = clerk.post("/issuance/mail", form)
		p.want(t, http.StatusUnprocessableEntity, "办件 "+mail+" 未能登记邮寄")
		row = p.row(mail)
		for _, s := range []string{`id="carrier-` + mail + `" name="carrier" value="顺丰速运"`,
			`id="tracking-` + mail + `-error">请填写正确的邮件号`, `aria-invalid="true"`} {
			if !strings.Contains(row, s) {
				t.Errorf("refused mail row lacks %q:\n%s", s, row)
			}
		}
		if i, j := strings.Index(row, `name="tracking_number"`), strings.Index(row, "请填写正确的邮件号"); i < 0 || j < i {
			t.Errorf("the message is not next to the tracking number field:\n%s", row)
		}
		form.Set("tracking_number", "SF1234567890")
		p = clerk.post("/issuance/mail", form)
		if p.status != http.StatusSeeOther || p.location != "/issuance?tab=mail" {
			t.Fatalf("mail: %d → %q\n%s", p.status, p.location, p.body)
		}
		p = clerk.get("/issuance?tab=transit")
		p.want(t, http.StatusOK, "办件 "+mail+"：已邮寄（顺丰速运 邮件号 SF1234567890），等待妥投。")
		p.wantNot(t, "现为")
		if row := p.row(mail); !strings.Contains(row, "顺丰速运 邮件号 SF1234567890") || !strings.Contains(row, `/confirm-delivery"`) {
			t.Errorf("transit row:\n%s", row)
		}
		// On the case page, the mailed result reads as in the post, and
		// the confirmation's flash says what it did and what comes next.
		cp := clerk.get("/cases/" + mail)
		cp.want(t, http.StatusOK, `state-result_ready">已寄出，待妥投<`, "已决定 → 待邮寄</td>", "<td>已寄出，待妥投</td>")
		cp.wantNot(t, "待领取")
		v, _ = h.svc.Case(h.as["chujian"], mail)
		clerk.follow(t, "/cases/"+mail+"/confirm-delivery", url.Values{"version": {strconv.Itoa(v.Case.Version)}}).
			want(t, http.StatusOK, "办件 "+mail+"：已确认妥投，等待送达回执归档。")
		if row := clerk.get("/issuance?tab=archive").row(mail); !strings.Contains(row, "回执归档期限") || !strings.Contains(row, `/archive"`) {
			t.Errorf("archive row:\n%s", row)
		}
	})
}
