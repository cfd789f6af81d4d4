package desk_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/identity"
	"github.com/onewindow/onewindow/internal/service"
)

// intakeStart is a Wednesday morning, the last working day before the
// National Day holiday.
var intakeStart = time.Date(2026, 9, 30, 9, 0, 0, 0, clock.Shanghai)

// restaurantForm is a complete application for the new food licence by a
// company, with two deferrable materials deferred.
func restaurantForm() url.Values {
	return url.Values{
		"applicant.kind": {"entity"}, "applicant.name": {"江川区好味餐饮有限公司"}, "applicant.id_type": {"credit_code"},
		"applicant.id_number": {"91350100m000100y43"}, "applicant.phone": {"13800138000"}, "applicant.address": {"江川区滨河路1号"},
		"channel": {"window"}, "delivery.method": {"pickup"}, "deferral_due": {""},
		"material.M01": {"provided"}, "material.M02": {"provided"}, "material.M03": {"provided"},
		"material.M04": {"deferred"}, "material.M05": {"deferred"}, "material.M06": {"missing"},
	}
}

func (h *hall) caseCount(t *testing.T) int {
	t.Helper()
	page, err := h.svc.Cases(h.as["jiandu"], service.CaseFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return page.Total
}

func TestIntakeSearchPage(t *testing.T) {
	eachHall(t, intakeStart, func(t *testing.T, h *hall) {
		clerk := h.signIn(t, "shouli")
		r := clerk.get("/intake?q=spjy")
		r.want(t, http.StatusOK, "食品经营许可（新办）", "食品经营许可（延续）", "spjyxkxb", "承诺件", "5 个工作日", "10 个工作日", "不收费",
			"可容缺，3 个工作日内补齐", `href="/intake/SCJG-XK-001"`, "找到 2 项")
		r.wantNot(t, "个体工商户设立登记")
		clerk.get("/intake?q=gtgsh").want(t, http.StatusOK, "个体工商户设立登记", "即办件", "当场办结")
		clerk.get("/intake").want(t, http.StatusOK, "城市建筑垃圾处置核准", "社会保障卡补换")
		clerk.get("/intake?q=zzzz").want(t, http.StatusOK, "没有与「zzzz」相符的事项")

		h.signIn(t, "shenpi").get("/intake").want(t, http.StatusForbidden, "无权使用综合受理台")
		if r := h.browser(t).get("/intake"); r.status != http.StatusSeeOther || r.location != "/login" {
			t.Errorf("anonymous: %d → %q", r.status, r.location)
		}
	})
}

func TestIntakeFormErrors(t *testing.T) {
	eachHall(t, intakeStart, func(t *testing.T, h *hall) {
		clerk := h.signIn(t, "shouli")
		clerk.get("/intake/SCJG-XK-001").want(t, http.StatusOK,
			"食品经营许可申请书", "法定代表人（负责人）签字并加盖公章", `name="material.M04" value="deferred"`, "可容缺",
			"本人（单位）承诺在补齐期限前提交上列容缺材料", `name="deferral_due" type="date" value="2026-10-`, "出具一次性告知单")
		// The food licence is for organisations only: no person to choose.
		clerk.get("/intake/SCJG-XK-001").wantNot(t, `value="person"`)
		clerk.get("/intake/NOPE-001").want(t, http.StatusNotFound, "未知的事项")
		h.signIn(t, "chujian").get("/intake/SCJG-XK-001").want(t, http.StatusForbidden)

		// A bad credit code: the message by the ID field, everything typed kept.
		f := restaurantForm()
		f.Set("applicant.id_number", "91350100M000100Y44")
		f.Set("applicant.phone", "12345")
		r := clerk.post("/intake/SCJG-XK-001", f)
		r.want(t, http.StatusUnprocessableEntity,
			`id="msg-applicant-id_number" aria-live="polite">统一社会信用代码校验位不正确`,
			`id="msg-applicant-phone">请填写正确的手机号或固定电话`,
			`value="江川区好味餐饮有限公司"`, `value="91350100M000100Y44"`, `value="江川区滨河路1号"`,
			`name="material.M04" value="deferred" checked`, `name="material.M01" value="provided" checked`,
			`<a href="#applicant-id_number">统一社会信用代码校验位不正确</a>`, "未收件，请修改以下 2 处")

		// A material the handbook does not list is refused (R15).
		f = restaurantForm()
		f.Set("material.M99", "provided")
		clerk.post("/intake/SCJG-XK-001", f).want(t, http.StatusUnprocessableEntity,
			`id="msg-materials" role="alert">办事指南未列明该材料，不能收取：M99`)

		// Missing required materials, and mail without an address.
		f = restaurantForm()
		f.Set("material.M01", "missing")
		f.Set("material.M02", "deferred") // not deferrable
		f.Set("delivery.method", "mail")
		clerk.post("/intake/SCJG-XK-001", f).want(t, http.StatusUnprocessableEntity,
			"该材料不可容缺：营业执照或者其他主体资格证明文件", "材料不齐，不能收件，还缺：食品经营许可申请书",
			`id="msg-delivery-address">邮寄送达须填写详细地址`, `name="delivery.method" value="mail" checked`)

		// A deferral date past the item's limit.
		f = restaurantForm()
		f.Set("deferral_due", "2026-12-31")
		clerk.post("/intake/SCJG-XK-001", f).want(t, http.StatusUnprocessableEntity, `id="msg-deferral_due">补齐期限不能晚于`)

		// A person's ID for the instant item, with a bad agent.
		g := url.Values{"applicant.kind": {"person"}, "applicant.name": {"张三"}, "applicant.id_type": {"resident_id"},
			"applicant.id_number": {"110105194912310021"}, "applicant.phone": {"13900000000"}, "channel": {"window"},
			"has_agent": {"1"}, "agent.name": {""}, "agent.id_type": {"resident_id"}, "agent.id_number": {"x"}, "agent.phone": {"1"},
			"material.M01": {"provided"}, "material.M02": {"provided"}, "material.M03": {"provided"}}
		clerk.post("/intake/SCJG-XK-003", g).want(t, http.StatusUnprocessableEntity,
			`id="msg-applicant-id_number" aria-live="polite">身份证号码校验位不正确`, `value="张三"`,
			`id="msg-agent-name">请填写姓名或名称`, `id="msg-agent-id_number" aria-live="polite">身份证号码应为 18 位`)

		if n := h.caseCount(t); n != 0 {
			t.Errorf("%d cases after refused intakes", n)
		}
	})
}

var caseLocation = regexp.MustCompile(`^/cases/(\d{14})$`)

func TestIntakeTakesTheCaseIn(t *testing.T) {
	eachHall(t, intakeStart, func(t *testing.T, h *hall) {
		clerk := h.signIn(t, "shouli")
		r := clerk.post("/intake/SCJG-XK-001", restaurantForm())
		m := caseLocation.FindStringSubmatch(r.location)
		if r.status != http.StatusSeeOther || m == nil {
			t.Fatalf("intake: %d → %q\n%s", r.status, r.location, r.body)
		}
		cv, err := h.svc.Case(h.as["shouli"], m[1])
		if err != nil {
			t.Fatal(err)
		}
		c := cv.Case
		if c.ItemCode != "SCJG-XK-001" || c.Applicant.Name != "江川区好味餐饮有限公司" || c.Deadlines.SupplyBy.IsZero() ||
			len(cv.Documents) != 2 || c.Channel != casework.AtWindow {
			t.Errorf("case: %+v, %d documents", c, len(cv.Documents))
		}
		// The stored number is upper-cased as the form said it would be.
		if rec, err := h.svc.RecallApplicant(h.as["shouli"], "91350100M000100Y43"); err != nil || rec.Number != m[1] {
			t.Errorf("recall after intake: %v %+v", err, rec)
		}
		clerk.get(r.location).want(t, http.StatusOK, "已收件：食品经营许可（新办），办件编号 "+m[1], "容缺受理承诺书", `/cases/`+m[1]+`/print/0`)

		// An instant item for a person with an agent: the case page then
		// offers the decision on the spot.
		g := url.Values{"applicant.kind": {"person"}, "applicant.name": {"张三"}, "applicant.id_type": {"resident_id"},
			"applicant.id_number": {"11010519491231002x"}, "applicant.phone": {"13900000000"}, "channel": {"window"},
			"delivery.method": {"pickup"}, "deferral_due": {"2026-10-09"},
			"has_agent": {"1"}, "agent.name": {"李四"}, "agent.id_type": {"resident_id"}, "agent.id_number": {"440304199602290012"}, "agent.phone": {"13700000000"},
			"material.M01": {"provided"}, "material.M02": {"provided"}, "material.M03": {"provided"}, "material.M04": {"missing"}, "material.M05": {"provided"}}
		r = clerk.post("/intake/SCJG-XK-003", g)
		m = caseLocation.FindStringSubmatch(r.location)
		if r.status != http.StatusSeeOther || m == nil {
			t.Fatalf("instant intake: %d → %q\n%s", r.status, r.location, r.body)
		}
		cv, err = h.svc.Case(h.as["shouli"], m[1])
		if err != nil || cv.Case.Kind != "instant" || cv.Case.Agent == nil || cv.Case.Agent.Name != "李四" {
			t.Fatalf("instant case: %v %+v", err, cv)
		}
		clerk.get(r.location).want(t, http.StatusOK, "本件为即办件，请在「当场办结并发证」中一次办结", `action="/cases/`+m[1]+`/finish-instant"`,
			"交给在场的代办人李四", `action="/cases/`+m[1]+`/decide"`)
		// The one flow: a denial without its reason is refused by the field,
		// what was typed kept and nothing changed; then it finishes whole.
		fin := url.Values{"version": {"1"}, "outcome": {"deny"}, "result_document": {"不予许可决定书"}}
		p := clerk.post("/cases/"+m[1]+"/finish-instant", fin)
		p.want(t, http.StatusUnprocessableEntity, "不予许可须说明理由", `value="不予许可决定书"`)
		if cv, _ = h.svc.Case(h.as["shouli"], m[1]); cv.Case.State != casework.Received || len(cv.Events) != 1 {
			t.Fatalf("a refused finish changed the case: %s, %d events", cv.Case.State, len(cv.Events))
		}
		fin.Set("outcome", "approve")
		fin.Set("result_document", "食品经营许可证 JY13201200000009")
		p = clerk.follow(t, "/cases/"+m[1]+"/finish-instant", fin)
		p.want(t, http.StatusOK, "已当场办结（准予）、已当场发证、已将送达回执归档，本件办结", "打印送达回执")
		if cv, _ = h.svc.Case(h.as["shouli"], m[1]); cv.Case.State != casework.Archived || len(cv.Events) != 4 {
			t.Fatalf("after the one flow: %s, %d events", cv.Case.State, len(cv.Events))
		}
		p.wantNot(t, `action="/cases/`+m[1]+`/finish-instant"`)

		// Mail-in registration with the result mailed back.
		f := restaurantForm()
		f.Set("channel", "mail")
		f.Set("delivery.method", "mail")
		f.Set("delivery.address", "江川区滨河路1号三楼")
		f.Set("material.M04", "provided")
		f.Set("material.M05", "provided")
		r = clerk.post("/intake/SCJG-XK-001", f)
		if m = caseLocation.FindStringSubmatch(r.location); m == nil {
			t.Fatalf("mail-in: %d\n%s", r.status, r.body)
		}
		cv, _ = h.svc.Case(h.as["shouli"], m[1])
		if cv.Case.Channel != casework.ByMail || cv.Case.Delivery.Method != casework.Mail || cv.Case.Delivery.Recipient != "江川区好味餐饮有限公司" {
			t.Errorf("mail-in case: %+v", cv.Case)
		}

		// Only intake clerks take in.
		h.signIn(t, "shenpi").post("/intake/SCJG-XK-001", restaurantForm()).want(t, http.StatusForbidden)
		if n := h.caseCount(t); n != 3 {
			t.Errorf("%d cases, want 3", n)
		}
	})
}

func TestIntakeCheckIDAndRecall(t *testing.T) {
	eachHall(t, intakeStart, func(t *testing.T, h *hall) {
		clerk := h.signIn(t, "shouli")
		type answer struct {
			OK      bool   `json:"ok"`
			Found   bool   `json:"found"`
			Message string `json:"message"`
			Number  string `json:"number"`
			Name    string `json:"name"`
			Phone   string `json:"phone"`
			Address string `json:"address"`
			Kind    string `json:"kind"`
			Source  string `json:"source"`
		}
		ask := func(b *browser, path string, status int) answer {
			t.Helper()
			r := b.get(path)
			if r.status != status {
				t.Fatalf("%s: %d, want %d: %s", path, r.status, status, r.body)
			}
			var a answer
			if err := json.Unmarshal([]byte(r.body), &a); err != nil {
				t.Fatalf("%s: %v: %s", path, err, r.body)
			}
			return a
		}
		if a := ask(clerk, "/intake/check-id?type=resident_id&number=+11010519491231002x+", 200); !a.OK || a.Number != "11010519491231002X" || !strings.Contains(a.Message, "有效") {
			t.Errorf("a valid ID: %+v", a)
		}
		if a := ask(clerk, "/intake/check-id?type=resident_id&number=110105194912310021", 200); a.OK || a.Message != "身份证号码校验位不正确" {
			t.Errorf("a bad check digit: %+v", a)
		}
		if a := ask(clerk, "/intake/check-id?type=credit_code&number=91350100M000100Y43", 200); !a.OK {
			t.Errorf("a valid credit code: %+v", a)
		}
		if a := ask(clerk, "/intake/check-id?type=credit_code&number=91350100M000100Y4", 200); a.OK || !strings.Contains(a.Message, "18 位") {
			t.Errorf("a short credit code: %+v", a)
		}
		if a := ask(clerk, "/intake/check-id?type=nonsense&number=1", 200); a.OK || a.Message != "未知的证件类型" {
			t.Errorf("an unknown type: %+v", a)
		}
		ask(h.signIn(t, "shenpi"), "/intake/check-id?type=resident_id&number=11010519491231002X", 403)
		ask(h.browser(t), "/intake/check-id?type=resident_id&number=11010519491231002X", 401)

		if a := ask(clerk, "/intake/recall?id_number=91350100M000100Y43", 200); a.Found {
			t.Errorf("recall before any case: %+v", a)
		}
		if r := clerk.post("/intake/SCJG-XK-001", restaurantForm()); r.status != http.StatusSeeOther {
			t.Fatalf("intake: %d\n%s", r.status, r.body)
		}
		a := ask(h.signIn(t, "shouli2"), "/intake/recall?id_number=91350100m000100y43", 200)
		if !a.Found || a.Name != "江川区好味餐饮有限公司" || a.Phone != "13800138000" || a.Address != "江川区滨河路1号" || a.Kind != "entity" || a.Source != "case" {
			t.Errorf("recall: %+v", a)
		}
		ask(clerk, "/intake/recall?id_number=", 422)
		ask(h.signIn(t, "chujian"), "/intake/recall?id_number=91350100M000100Y43", 403)
	})
}

func TestOneTimeNotice(t *testing.T) {
	eachHall(t, intakeStart, func(t *testing.T, h *hall) {
		clerk := h.signIn(t, "shouli")
		f := restaurantForm()
		f.Set("applicant.id_number", "91350100M000100Y43")
		f.Set("material.M02", "missing")
		f.Set("note", "请携带单位公章")

		// Refusals show the form again, as typed.
		g := url.Values{}
		for k, v := range f {
			g[k] = v
		}
		g.Set("applicant.name", " ")
		clerk.post("/intake/SCJG-XK-001/notice", g).want(t, http.StatusUnprocessableEntity,
			`id="msg-applicant-name">请填写申请人姓名或名称`, "未出具一次性告知单", `请携带单位公章</textarea>`)
		g = restaurantForm()
		for _, c := range []string{"M01", "M02", "M03", "M04", "M05"} {
			g.Set("material."+c, "provided")
		}
		clerk.post("/intake/SCJG-XK-001/notice", g).want(t, http.StatusUnprocessableEntity, "必交材料已齐全，不需要出具一次性告知单")
		h.signIn(t, "shenpi").post("/intake/SCJG-XK-001/notice", f).want(t, http.StatusForbidden)

		r := clerk.post("/intake/SCJG-XK-001/notice", f)
		if r.status != http.StatusSeeOther || !regexp.MustCompile(`^/intake/notices/\d+/print$`).MatchString(r.location) {
			t.Fatalf("notice: %d → %q\n%s", r.status, r.location, r.body)
		}
		masked := identity.Mask("91350100M000100Y43")
		p := clerk.get(r.location)
		p.want(t, http.StatusOK, "<h1>一次性告知单</h1>", "江川区好味餐饮有限公司", masked, "食品经营许可（新办）",
			"食品安全自查、从业人员健康管理", "食品安全管理人员任命文件及培训考核证明", // deferred: missing too
			"需补齐的材料（共 2 项）", "请携带单位公章", "具有与经营的食品品种、数量相适应", // the handbook's conditions
			"行政许可法》第三十二条", "张晓梅", "江川区政务服务中心", "2026年9月30日", "签收", "江川区江川大道188号")
		p.wantNot(t, "91350100M000100Y43", "食品经营许可申请书", "授权委托书")
		// M02, the business licence, not brought: the hall obtains it from
		// the electronic licence library, so it is listed once, as exempt.
		if got := strings.Count(p.body, "营业执照或者其他主体资格证明文件"); got != 1 ||
			!strings.Contains(p.body, `<p class="exempt" id="exempt"><strong>免于提交：</strong>营业执照或者其他主体资格证明文件（由窗口通过电子证照库获取）`) {
			t.Errorf("the business licence is listed %d times, or not as exempt:\n%s", got, p.body)
		}

		clerk.get("/intake/notices").want(t, http.StatusOK, "江川区好味餐饮有限公司", masked, "食品经营许可（新办）", "食品安全管理人员任命文件及培训考核证明", r.location)
		h.signIn(t, "shouli2").get("/intake/notices").wantNot(t, "江川区好味餐饮有限公司")
		h.signIn(t, "shouli2").get(r.location).want(t, http.StatusForbidden, "只能查看本大厅")
		h.signIn(t, "jiandu").get(r.location).want(t, http.StatusOK, masked)
		clerk.get("/intake/notices/999999/print").want(t, http.StatusNotFound)
		clerk.get("/intake/notices/abc/print").want(t, http.StatusNotFound)
		clerk.get("/intake/notices?day=2026-10-01").want(t, http.StatusOK, "没有一次性告知记录")
		if n := h.caseCount(t); n != 0 {
			t.Errorf("a one-time notice made %d cases", n)
		}
	})
}
