package supervise_test

import (
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/demo"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/supervision"
	"github.com/onewindow/onewindow/internal/web/webtest"
)

func sh(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, clock.Shanghai)
	if err != nil {
		panic(err)
	}
	return t
}

// scenario builds two food licences of 市场监管 around 国庆 2026 with the
// clock: "late" is decided after its deadline, "early" well before it;
// then the clock goes to 2026-11-05, so that last month (the home page's
// default) is October.
func scenario(t *testing.T, h *webtest.Hall) map[string]string {
	t.Helper()
	numbers := map[string]string{}
	in := webtest.FoodLicence()
	for i := range in.Materials {
		in.Materials[i].Status = casework.Provided
	}
	intake := func(name, when string) {
		t.Helper()
		h.Clk.Set(sh(when))
		v, err := h.Svc.Intake(h.As["shouli"], in)
		if err != nil {
			t.Fatal(err)
		}
		numbers[name] = v.Case.Number
	}
	act := func(name, user, when string, a casework.Action, in casework.Input) {
		t.Helper()
		h.Clk.Set(sh(when))
		h.Act(t, user, numbers[name], a, in)
	}
	intake("late", "2026-09-30 10:00")
	intake("early", "2026-09-30 10:30")
	act("early", "shenpi", "2026-09-30 11:00", casework.ActHandover, casework.Input{})
	act("late", "shenpi", "2026-09-30 14:00", casework.ActHandover, casework.Input{})
	act("early", "shenpi", "2026-09-30 15:00", casework.ActAccept, casework.Input{})
	act("late", "shenpi", "2026-10-08 10:00", casework.ActAccept, casework.Input{})
	act("early", "shenpi", "2026-10-09 10:00", casework.ActDecide, casework.Input{Confirm: true, Outcome: casework.Approve, ResultDocument: "JY13501020260101"})
	act("late", "shenpi", "2026-10-30 09:00", casework.ActDecide, casework.Input{Confirm: true, Outcome: casework.Approve, ResultDocument: "JY13501020260102"})
	h.Clk.Set(sh("2026-11-05 10:00"))
	return numbers
}

var hrefPattern = regexp.MustCompile(`<a href="([^"]+)"[^>]*>([^<]*)</a>`)

// cell returns the link (href unescaped, and text) in the table cell of
// class cls of the row of department name.
func cell(t *testing.T, body, name, cls string) (string, string) {
	t.Helper()
	i := strings.Index(body, `data-department="`+name+`"`)
	if i < 0 {
		t.Fatalf("no row of %s\n%s", name, body)
	}
	row := body[i:]
	row = row[:strings.Index(row, "</tr>")]
	j := strings.Index(row, `class="num `+cls+`"`)
	if j < 0 {
		t.Fatalf("no %s cell in %s", cls, row)
	}
	m := hrefPattern.FindStringSubmatch(row[j:])
	if m == nil {
		t.Fatalf("no link in the %s cell of %s", cls, row)
	}
	return html.UnescapeString(m[1]), m[2]
}

const scjg = "江川区市场监督管理局"

func TestHomeShowsRatesAndDrillsDownToTheCases(t *testing.T) {
	webtest.EachHall(t, sh("2026-09-30 09:00"), func(t *testing.T, h *webtest.Hall) {
		n := scenario(t, h)
		sup := h.SignIn(t, "jiandu")
		home := sup.Get("/supervision")
		home.Want(t, http.StatusOK, "督查考核 · 2026年10月", "按时办结率", "综合得分", scjg, `id="sv-trend"`, `id="sv-bars"`,
			`href="/supervision/ratings"`, "群众满意率", "部门协同配合")
		home.WantNot(t, ">SCJG<", "（SCJG）")

		// The figures are the service's, as the API gives them.
		rows, err := h.Svc.Supervision().Punctuality(h.As["jiandu"], service.Period{From: "2026-10-01", To: "2026-10-31", Group: "department"})
		if err != nil {
			t.Fatal(err)
		}
		var want service.StepFigure
		var coordination int64
		for _, r := range rows {
			if r.Key == "SCJG" {
				want = r.Steps[slicesIndex(r.Steps, supervision.Decide)]
				for _, k := range supervision.CoordinationSteps {
					coordination += r.Steps[slicesIndex(r.Steps, k)].Counted()
				}
			}
		}
		if want.OnTime != 1 || want.Late != 1 {
			t.Fatalf("October decisions of SCJG: %+v, want one on time and one late", want.Punctuality)
		}
		_, rate := cell(t, home.Body, scjg, "sv-rate")
		if rate != "50.0%" {
			t.Errorf("按时办结率 %q, want 50.0%%", rate)
		}

		// The red late number lists the late case, and only it.
		href, late := cell(t, home.Body, scjg, "sv-late")
		if late != "1" || !strings.Contains(home.Body, `class="sv-mark sv-red">1<`) {
			t.Errorf("late %q not marked red", late)
		}
		list := sup.Get(href)
		list.Want(t, http.StatusOK, scjg+" 审批决定环节超时的办件", `<strong id="drill-total">1</strong>`, `href="/cases/`+n["late"]+`"`)
		list.WantNot(t, n["early"])
		// The rate's drill-down lists both, as many as it counts.
		href, _ = cell(t, home.Body, scjg, "sv-rate")
		sup.Get(href).Want(t, http.StatusOK, `<strong id="drill-total">2</strong>`, n["late"], n["early"])

		// 部门协同配合 lists the steps it counts: acceptance, handover, correction.
		href, _ = cell(t, home.Body, scjg, "sv-coordination")
		coord := sup.Get(href)
		coord.Want(t, http.StatusOK, "受理、", `<strong id="drill-total">`+strconv.FormatInt(coordination, 10)+`</strong>`)
		if coordination == 0 {
			t.Error("no coordination step in October: the test proves nothing")
		}

		// Other periods: the year, and a refused custom one.
		sup.Get("/supervision?period=year&year=2026").Want(t, http.StatusOK, "督查考核 · 2026年", "2026-01-01 至 2026-12-31")
		sup.Get("/supervision?period=quarter&quarter=2026-4").Want(t, http.StatusOK, "2026年第四季度", "2026-10-01 至 2026-12-31")
		bad := sup.Get("/supervision?period=custom&from=2026-10-31&to=2026-10-01")
		bad.Want(t, http.StatusUnprocessableEntity, `id="to-error"`, "结束日期不能早于开始日期")
	})
}

func slicesIndex(fs []service.StepFigure, k supervision.Kind) int {
	for i, f := range fs {
		if f.Step == k {
			return i
		}
	}
	return -1
}

func TestDepartmentAdminSeesOwnDepartmentOnly(t *testing.T) {
	webtest.EachHall(t, sh("2026-09-30 09:00"), func(t *testing.T, h *webtest.Hall) {
		scenario(t, h)
		// A GHZY case decided in October, which 市场监管's admin must not see.
		dept := h.SignIn(t, "bumen")
		home := dept.Get("/supervision")
		home.Want(t, http.StatusOK, scjg, "本部门考核")
		if c := strings.Count(home.Body, `data-department="`); c != 1 {
			t.Errorf("department admin sees %d departments, want 1", c)
		}
		home.WantNot(t, `href="/supervision/ratings"`)
		dept.Get("/supervision/cases?from=2026-10-01&to=2026-10-31&group=department&key=GHZY").Want(t, http.StatusForbidden)
		h.SignIn(t, "shenpi").Get("/supervision").Want(t, http.StatusForbidden)
	})
}

func TestNoticeOpenedByHandAndAnswered(t *testing.T) {
	webtest.EachHall(t, sh("2026-09-30 09:00"), func(t *testing.T, h *webtest.Hall) {
		n := scenario(t, h)
		sup := h.SignIn(t, "jiandu")
		// The case page: the holding bar and the link to open a notice.
		page := sup.Get("/cases/" + n["late"])
		page.Want(t, http.StatusOK, "停留时长", `id="holding-bar"`, "审批部门（"+scjg+"）", `/supervision/notices/new?case=`+n["late"])
		h.SignIn(t, "shenpi").Get("/cases/"+n["late"]).WantNot(t, `id="holding-bar"`, "开具督办单")

		sup.Get("/supervision/notices/new?case="+n["late"]).Want(t, http.StatusOK, `value="`+n["late"]+`"`)
		refused := sup.Post("/supervision/notices", url.Values{"number": {n["late"]}, "reason": {""}})
		refused.Want(t, http.StatusUnprocessableEntity, `value="`+n["late"]+`"`, `id="reason-error"`)
		opened := sup.Follow(t, "/supervision/notices", url.Values{"number": {n["late"]}, "reason": {"审批决定超期半月，请说明原因"}})
		opened.Want(t, http.StatusOK, "已开具督办单", "审批决定超期半月，请说明原因", scjg, "待回复", "赵敏")
		path := regexp.MustCompile(`/supervision/notices/\d+/reply`).FindString(opened.Body)
		if path != "" {
			t.Errorf("the supervisor is offered the reply form")
		}
		list := sup.Get("/supervision/notices?status=open")
		list.Want(t, http.StatusOK, n["late"], "审批决定超期半月")
		m := regexp.MustCompile(`href="(/supervision/notices/\d+)"`).FindStringSubmatch(list.Body)
		if m == nil {
			t.Fatal("no notice in the list")
		}
		notice := m[1]

		dept := h.SignIn(t, "bumen")
		form := dept.Get(notice)
		form.Want(t, http.StatusOK, `action="`+notice+`/reply"`)
		bad := dept.Post(notice+"/reply", url.Values{"explanation": {""}, "measures": {"已安排专人跟进"}})
		bad.Want(t, http.StatusUnprocessableEntity, "已安排专人跟进", `class="field-error"`)
		done := dept.Follow(t, notice+"/reply", url.Values{"explanation": {"国庆后积压，\r\n审批人员不足"}, "measures": {"已安排专人跟进，每日清理"}})
		done.Want(t, http.StatusOK, "已回复督办单", "审批人员不足", "已安排专人跟进，每日清理", "陈丽华", "已回复")
		done.WantNot(t, `action="`+notice+`/reply"`)
		sup.Get("/supervision/notices?status=replied").Want(t, http.StatusOK, n["late"])
		sup.Get("/supervision/notices?status=open").WantNot(t, n["late"])
		// Another department's reviewer sees no notice.
		h.SignIn(t, "shenpi2").Get(notice).Want(t, http.StatusForbidden)
	})
}

func TestHallScreen(t *testing.T) {
	webtest.EachHall(t, sh("2026-09-30 09:00"), func(t *testing.T, h *webtest.Hall) {
		scenario(t, h)
		in := webtest.FoodLicence()
		// Taken in on Monday 11-02 and never accepted: red by Thursday.
		h.Clk.Set(sh("2026-11-02 10:00"))
		if _, err := h.Svc.Intake(h.As["shouli"], in); err != nil {
			t.Fatal(err)
		}
		// Today (Thursday 2026-11-05): one intake at the district hall.
		h.Clk.Set(sh("2026-11-05 10:00"))
		if _, err := h.Svc.Intake(h.As["shouli"], in); err != nil {
			t.Fatal(err)
		}
		b := h.Browser(t) // public, like the board
		page := b.Get("/screen/" + demo.DistrictHall)
		page.Want(t, http.StatusOK, "江川区政务服务中心", "今日收件", "在办件", "红色预警", "黄色预警", "今日满意率", "排队等候",
			`data-events="/board/`+demo.DistrictHall+`/events"`)
		res := b.Get("/screen/" + demo.DistrictHall + "/figures")
		if res.Status != http.StatusOK {
			t.Fatalf("figures: %d %s", res.Status, res.Body)
		}
		var f map[string]string
		if err := json.Unmarshal([]byte(res.Body), &f); err != nil {
			t.Fatal(err)
		}
		want, err := h.Svc.HallScreen(h.As["jiandu"], demo.DistrictHall)
		if err != nil {
			t.Fatal(err)
		}
		if f["intakes"] != "1" || f["in_progress"] != strconv.Itoa(want.InProgress) || want.InProgress != 4 || f["waiting"] != "0" {
			t.Errorf("figures %v, want one intake today and 4 in progress (%d)", f, want.InProgress)
		}
		if f["red"] != "1" || f["yellow"] != strconv.Itoa(want.Yellow) || f["satisfaction"] != "—" {
			t.Errorf("figures %v, want one red (the case of Monday), yellow %d, no satisfaction yet", f, want.Yellow)
		}
		b.Get("/screen/NOPE").Want(t, http.StatusNotFound)
	})
}

// TestBulletinPrintedAndDownloaded: the supervisor prints last month's
// bulletin (the late decision of 市场监管 among the late cases, the ranking
// by department names) and downloads its workbook from the same page;
// roles without figures are refused, a bad month is said.
func TestBulletinPrintedAndDownloaded(t *testing.T) {
	webtest.EachHall(t, sh("2026-09-30 09:00"), func(t *testing.T, h *webtest.Hall) {
		n := scenario(t, h)
		sup := h.SignIn(t, "jiandu")
		p := sup.Get("/supervision/bulletin")
		sup.Get("/supervision").Want(t, http.StatusOK, `href="/supervision/bulletin"`)
		p.Want(t, http.StatusOK, "2026年10月", "一、总体情况", "二、部门考核排名", scjg, n["late"], "下载 Excel 工作簿", "/supervision/bulletin?month=2026-10&amp;format=xlsx")
		p.WantNot(t, "SCJG", n["early"])
		x := sup.Get("/supervision/bulletin?month=2026-10&format=xlsx")
		x.Want(t, http.StatusOK)
		if !strings.HasPrefix(x.Body, "PK") {
			t.Errorf("the workbook is not a zip file: %.20q", x.Body)
		}
		sup.Get("/supervision/bulletin?month=2026-13").Want(t, http.StatusUnprocessableEntity)
		h.SignIn(t, "shenpi").Get("/supervision/bulletin").Want(t, http.StatusForbidden)
	})
}
