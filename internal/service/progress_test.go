package service_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/identity"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/store"
	"github.com/onewindow/onewindow/internal/store/storetest"
)

// The public progress page's applicants: what they gave at intake must
// never come back through Progress.
const (
	progressCompany = "江川区味来餐饮管理有限公司"
	progressCredit  = "91350100M000100Y43"
	progressPhone   = "13912345678"
	progressAddress = "江川区滨河路66号2栋301室"
	progressSigner  = "李明"
	progressSignerI = "11010519491231002X"
	returnReason    = "经营场所平面布局图与现场不符，请联系王建国"
	pauseReason     = "现场核查经营场所，联系人张晓梅"
)

// privateWords are every piece of personal data the cases below hold,
// and the staff's usernames and names.
var privateWords = []string{
	progressCompany, progressCredit, identity.Mask(progressCredit), progressPhone, progressAddress,
	progressSigner, progressSignerI, identity.Mask(progressSignerI), returnReason, pauseReason,
	"shouli", "shenpi", "chujian", "张晓梅", "王建国", "李文静",
}

// foodApplication applies for SCJG-XK-001 (promised, 5 working days),
// with the materials in deferred left for later.
func foodApplication(delivery casework.DeliveryMethod, deferred ...string) casework.Intake {
	in := casework.Intake{
		ItemCode: "SCJG-XK-001", Channel: casework.AtWindow,
		Applicant: casework.Party{Kind: casework.Entity, Name: progressCompany, IDType: identity.CreditCode, IDNumber: progressCredit, Phone: progressPhone},
	}
	for _, code := range []string{"M01", "M02", "M03", "M04", "M05"} {
		st := casework.Provided
		if slices.Contains(deferred, code) {
			st = casework.Deferred
		}
		in.Materials = append(in.Materials, casework.MaterialInput{Code: code, Status: st})
	}
	if delivery == casework.Mail {
		in.Delivery = &casework.Delivery{Method: casework.Mail, Address: progressAddress}
	}
	return in
}

// receiptCode reads the check code off the case's receipt notice, as the
// applicant does.
func receiptCode(t *testing.T, v *service.CaseView) string {
	t.Helper()
	for _, d := range v.Documents {
		if d.Kind == casework.ReceiptNotice {
			var r casework.ReceiptData
			if err := json.Unmarshal(d.Data, &r); err != nil {
				t.Fatal(err)
			}
			if len(r.CheckCode) != 6 {
				t.Fatalf("check code %q", r.CheckCode)
			}
			return r.CheckCode
		}
	}
	t.Fatal("no receipt notice")
	return ""
}

// progressOf asks for the case's progress as a stranger would: nobody
// signed in. It fails on any personal data in the answer.
func progressOf(t *testing.T, svc *service.Service, number, code string) *service.Progress {
	t.Helper()
	p, err := svc.Progress(context.Background(), number, code)
	if err != nil {
		t.Fatalf("progress of %s: %v", number, err)
	}
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range privateWords {
		if strings.Contains(string(b), w) {
			t.Errorf("progress of %s in state %s shows %q: %s", number, p.State, w, b)
		}
	}
	if p.Number != number || p.Item != "食品经营许可（新办）" || p.ItemCode != "SCJG-XK-001" || p.Department != "江川区市场监督管理局" ||
		p.Hall != "江川区政务服务中心" || p.PromisedDays != 5 || p.Instant || p.ReceivedAt.IsZero() {
		t.Errorf("progress header: %+v", p)
	}
	if p.StateWords == "" || len(p.Next) == 0 {
		t.Errorf("state %s: words %q, next %q", p.State, p.StateWords, p.Next)
	}
	return p
}

func deadlineNames(p *service.Progress) []string {
	var out []string
	for _, d := range p.Deadlines {
		if d.Label == "" || d.At.IsZero() {
			out = append(out, "?"+d.Name)
			continue
		}
		out = append(out, d.Name)
	}
	return out
}

func nextHas(t *testing.T, p *service.Progress, words ...string) {
	t.Helper()
	all := strings.Join(p.Next, "\n")
	for _, w := range words {
		if !strings.Contains(all, w) {
			t.Errorf("state %s: next steps %q do not say %q", p.State, p.Next, w)
		}
	}
}

func TestProgressThroughACase(t *testing.T) {
	clk := clock.At(start)
	storetest.Each(t, clk, func(t *testing.T, st *store.Store) {
		clk.Set(start)
		svc, as := hall(t, st, clk)
		act := func(who, number string, a casework.Action, in casework.Input) {
			t.Helper()
			if _, err := svc.Act(as[who], number, a, in, 0); err != nil {
				t.Fatalf("%s by %s: %v", a, who, err)
			}
		}
		v, err := svc.Intake(as["shouli"], foodApplication(casework.Mail, "M05"))
		if err != nil {
			t.Fatal(err)
		}
		n, code := v.Case.Number, receiptCode(t, v)

		// Taken in with a deferred material: both limits run, and the
		// applicant is told what to bring by when.
		p := progressOf(t, svc, n, code)
		if p.State != casework.Received || p.StateWords != "已收件，等待部门受理" ||
			!slices.Equal(deadlineNames(p), []string{"accept_by", "supply_by"}) ||
			!slices.Equal(p.Deferred, []string{"食品安全管理人员任命文件及培训考核证明"}) {
			t.Errorf("received: %+v", p)
		}
		nextHas(t, p, "容缺", "食品安全管理人员任命文件及培训考核证明", "2026年10月", "综合受理窗口", "逾期未补齐", "决定是否受理")
		// What the applicant must do comes first, and nobody is told to sit
		// back while materials are due.
		if len(p.Next) != 2 || !strings.HasPrefix(p.Next[0], "请于") || strings.Contains(strings.Join(p.Next, ""), "不需要做什么") {
			t.Errorf("received with a deferral: next %q", p.Next)
		}
		// Spaces around the number and the code are forgiven.
		if _, err := svc.Progress(context.Background(), " "+n+" ", code+" "); err != nil {
			t.Errorf("number and code with spaces: %v", err)
		}

		// Returned: the materials to correct, by their handbook names only.
		act("shenpi", n, casework.ActReturn, casework.Input{Reason: returnReason, Corrections: []string{"M03"}})
		p = progressOf(t, svc, n, code)
		if p.State != casework.Returned || !strings.HasPrefix(p.StateWords, "已退回，请按材料补齐补正通知书补正材料") || !strings.Contains(p.StateWords, casework.LapseConsequence) ||
			!slices.Equal(p.ToCorrect, []string{"与食品经营相适应的主要设备设施、经营布局、操作流程等文件"}) {
			t.Errorf("returned: %+v", p)
		}
		nextHas(t, p, "补正", "与食品经营相适应的主要设备设施", "重新提交", "办件编号和查询码不变", "容缺")
		if len(p.Next) != 2 || !strings.Contains(p.Next[0], "补正") {
			t.Errorf("returned: the correction is not the first step: %q", p.Next)
		}

		// Accepted: the decision deadline runs; nothing to do.
		act("shouli", n, casework.ActResubmit, casework.Input{Materials: []string{"M03"}})
		act("shouli", n, casework.ActSupply, casework.Input{Materials: []string{"M05"}})
		act("shenpi", n, casework.ActAccept, casework.Input{})
		p = progressOf(t, svc, n, code)
		if p.State != casework.Accepted || p.StateWords != "已受理，正在审查" || !slices.Equal(deadlineNames(p), []string{"decide_by"}) ||
			len(p.Deferred) != 0 || p.Paused != nil {
			t.Errorf("accepted: %+v", p)
		}
		nextHas(t, p, "正在审查", "前办结", "您暂时不需要做什么")
		decideBy := p.Deadlines[0].At

		// Paused for a site survey: the clock stops, the legal type shows,
		// and where the deadline moves to if the clock restarts today.
		act("shenpi", n, casework.ActPause, casework.Input{PauseType: casework.SiteSurvey, Reason: pauseReason})
		clk.Set(time.Date(2026, 10, 12, 10, 0, 0, 0, clock.Shanghai)) // after the National Day holiday
		p = progressOf(t, svc, n, code)
		if p.State != casework.Accepted || p.Paused == nil || p.Paused.Type != casework.SiteSurvey || p.Paused.Label != "现场踏勘" ||
			!strings.Contains(p.StateWords, "暂停计时（现场踏勘）") || len(p.Deadlines) != 0 ||
			!p.Paused.DueBefore.Equal(decideBy) || !p.Paused.DueIfResumedToday.After(decideBy) {
			t.Errorf("paused: %+v %+v", p, p.Paused)
		}
		nextHas(t, p, "现场踏勘", "暂停计时", "顺延")

		// Resumed: the pause is kept with the days it added, and the new
		// decision deadline is the one shown.
		act("shenpi", n, casework.ActResume, casework.Input{})
		p = progressOf(t, svc, n, code)
		if p.Paused != nil || len(p.Pauses) != 1 || p.Pauses[0].Days < 1 || p.Pauses[0].Until.IsZero() ||
			len(p.Deadlines) != 1 || !p.Deadlines[0].At.After(decideBy) {
			t.Errorf("resumed: %+v", p)
		}

		act("shenpi", n, casework.ActHandover, casework.Input{})
		act("shenpi", n, casework.ActDecide, casework.Input{Confirm: true, Outcome: casework.Approve, ResultDocument: "食品经营许可证 JY13201200000001"})
		p = progressOf(t, svc, n, code)
		if p.State != casework.Decided || p.Outcome != casework.Approve || len(p.Deadlines) != 0 {
			t.Errorf("decided: %+v", p)
		}
		act("shenpi", n, casework.ActSubmitResult, casework.Input{})
		act("chujian", n, casework.ActAcceptResult, casework.Input{})

		// Result ready, to be mailed: first waiting for the post, then with
		// the tracking number.
		p = progressOf(t, svc, n, code)
		if p.State != casework.ResultReady || p.StateWords != "办理结果待寄出" || p.Tracking != "" {
			t.Errorf("ready to mail: %+v", p)
		}
		nextHas(t, p, "邮寄")
		act("chujian", n, casework.ActMail, casework.Input{Carrier: "EMS", Tracking: "EA123456789CN"})
		p = progressOf(t, svc, n, code)
		if p.StateWords != "办理结果已寄出" || p.Carrier != "EMS" || p.Tracking != "EA123456789CN" {
			t.Errorf("mailed: %+v", p)
		}
		nextHas(t, p, "EMS", "EA123456789CN")

		act("chujian", n, casework.ActConfirmDelivery, casework.Input{})
		act("chujian", n, casework.ActArchive, casework.Input{})
		p = progressOf(t, svc, n, code)
		if p.State != casework.Archived || p.StateWords != "已办结" || len(p.Deadlines) != 0 {
			t.Errorf("archived: %+v", p)
		}
		nextHas(t, p, "已办结")
	})
}

func TestProgressPickupAndLapse(t *testing.T) {
	clk := clock.At(start)
	storetest.Each(t, clk, func(t *testing.T, st *store.Store) {
		clk.Set(start)
		svc, as := hall(t, st, clk)
		// A renewal (SCJG-XK-002) is collected in person against the old
		// licence (R10).
		in := casework.Intake{
			ItemCode: "SCJG-XK-002", Channel: casework.AtWindow,
			Applicant: casework.Party{Kind: casework.Entity, Name: progressCompany, IDType: identity.CreditCode, IDNumber: progressCredit, Phone: progressPhone},
		}
		it, err := svc.Item(as["shouli"], in.ItemCode, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range it.Materials {
			if m.Required {
				in.Materials = append(in.Materials, casework.MaterialInput{Code: m.Code, Status: casework.Provided})
			}
		}
		v, err := svc.Intake(as["shouli"], in)
		if err != nil {
			t.Fatal(err)
		}
		n, code := v.Case.Number, receiptCode(t, v)
		for _, step := range []struct {
			who string
			a   casework.Action
			in  casework.Input
		}{
			{"shenpi", casework.ActAccept, casework.Input{}},
			{"shenpi", casework.ActHandover, casework.Input{}},
			{"shenpi", casework.ActDecide, casework.Input{Confirm: true, Outcome: casework.Approve, ResultDocument: "食品经营许可证 JY13201200000002"}},
			{"shenpi", casework.ActSubmitResult, casework.Input{}},
			{"chujian", casework.ActAcceptResult, casework.Input{}},
		} {
			if _, err := svc.Act(as[step.who], n, step.a, step.in, 0); err != nil {
				t.Fatalf("%s: %v", step.a, err)
			}
		}
		p, err := svc.Progress(context.Background(), n, code)
		if err != nil {
			t.Fatal(err)
		}
		if p.State != casework.ResultReady || p.StateWords != "办理结果已到综合出件窗口，等待领取" ||
			!slices.Equal(p.Collect, []string{"原《食品经营许可证》正本", "原《食品经营许可证》副本"}) {
			t.Errorf("ready for pickup: %+v", p)
		}
		nextHas(t, p, "身份证件", "江川区政务服务中心综合出件窗口（江川区江川大道188号）", "交回", "原《食品经营许可证》正本")
		if _, err := svc.Act(as["chujian"], n, casework.ActDeliver, casework.Input{Signer: progressSigner, SignerIDType: identity.ResidentID, SignerIDNumber: progressSignerI}, 0); err != nil {
			t.Fatal(err)
		}
		p = progressOf2(t, svc, n, code)
		if p.State != casework.Delivered || p.StateWords != "办理结果已领取，已办结" || len(p.Collect) != 0 {
			t.Errorf("delivered: %+v", p)
		}

		// Deferred materials that never came: the case lapses, and the page
		// says why in words of its own, not the staff's.
		v, err = svc.Intake(as["shouli"], foodApplication(casework.Pickup, "M04"))
		if err != nil {
			t.Fatal(err)
		}
		n, code = v.Case.Number, receiptCode(t, v)
		clk.Set(time.Date(2026, 10, 20, 9, 0, 0, 0, clock.Shanghai))
		if done, err := svc.SweepLapsed(context.Background()); err != nil || done != 1 {
			t.Fatalf("sweep: %d, %v", done, err)
		}
		p = progressOf2(t, svc, n, code)
		if p.State != casework.Terminated || p.StateWords != "容缺材料逾期未补齐，已终止办理" || len(p.Deadlines) != 0 {
			t.Errorf("lapsed: %+v", p)
		}
		nextHas(t, p, "重新申请")
	})
}

// progressOf2 is progressOf for an item other than the food licence: the
// same privacy check without the header's expectations.
func progressOf2(t *testing.T, svc *service.Service, number, code string) *service.Progress {
	t.Helper()
	p, err := svc.Progress(context.Background(), number, code)
	if err != nil {
		t.Fatalf("progress of %s: %v", number, err)
	}
	b, _ := json.Marshal(p)
	for _, w := range privateWords {
		if strings.Contains(string(b), w) {
			t.Errorf("progress of %s shows %q: %s", number, w, b)
		}
	}
	return p
}

func TestProgressRefusesWithOneAnswer(t *testing.T) {
	storetest.Each(t, clock.At(start), func(t *testing.T, st *store.Store) {
		svc, as := hall(t, st, clock.At(start))
		v, err := svc.Intake(as["shouli"], foodApplication(casework.Pickup))
		if err != nil {
			t.Fatal(err)
		}
		n, code := v.Case.Number, receiptCode(t, v)
		wrong := "000000"
		if code == wrong {
			wrong = "111111"
		}
		unknown := n[:8] + "999999"
		for _, tc := range []struct{ name, number, code string }{
			{"wrong code", n, wrong},
			{"code of another length", n, code + "0"},
			{"code's prefix", n, code[:5]},
			{"unknown number", unknown, code},
			{"number's prefix", n[:10], code},
			{"a very long number", strings.Repeat("2", 500), code},
			{"SQL in the number", n + "' OR '1'='1", code},
		} {
			_, err := svc.Progress(context.Background(), tc.number, tc.code)
			if !apperr.Is(err, apperr.NotFound) || apperr.MessageOf(err) != "办件编号或查询码不正确" {
				t.Errorf("%s: %v, want NotFound 办件编号或查询码不正确", tc.name, err)
			}
		}
		// Nothing typed is a form to fill in, not a wrong answer.
		_, err = svc.Progress(context.Background(), "", " ")
		if !apperr.Is(err, apperr.Invalid) || len(apperr.FieldsOf(err)) != 2 {
			t.Errorf("empty: %v %+v", err, apperr.FieldsOf(err))
		}
		// Signed-in staff get the same public view, no more.
		p, err := svc.Progress(as["shenpi"], n, code)
		if err != nil || p.Number != n {
			t.Errorf("as staff: %v", err)
		}
	})
}

// TestProgressLocksAGuessedNumber: ten wrong check codes lock the number
// for an hour, even against the right code; other numbers are not affected.
func TestProgressLocksAGuessedNumber(t *testing.T) {
	clk := clock.At(start)
	storetest.Each(t, clk, func(t *testing.T, st *store.Store) {
		clk.Set(start)
		svc, as := hall(t, st, clk)
		v1, err := svc.Intake(as["shouli"], foodApplication(casework.Pickup))
		if err != nil {
			t.Fatal(err)
		}
		v2, err := svc.Intake(as["shouli"], foodApplication(casework.Pickup))
		if err != nil {
			t.Fatal(err)
		}
		n, code := v1.Case.Number, receiptCode(t, v1)
		wrong := "000000"
		if code == wrong {
			wrong = "111111"
		}
		for i := 1; i <= 10; i++ {
			if _, err := svc.Progress(context.Background(), n, wrong); !apperr.Is(err, apperr.NotFound) {
				t.Fatalf("wrong code %d: %v", i, err)
			}
		}
		if _, err := svc.Progress(context.Background(), n, code); !apperr.Is(err, apperr.Locked) {
			t.Fatalf("right code after ten wrong ones: %v, want locked", err)
		}
		if _, err := svc.Progress(context.Background(), v2.Case.Number, receiptCode(t, v2)); err != nil {
			t.Fatalf("another number while the first is locked: %v", err)
		}
		clk.Advance(61 * time.Minute)
		if _, err := svc.Progress(context.Background(), n, code); err != nil {
			t.Fatalf("right code after the lock: %v", err)
		}
	})
}
