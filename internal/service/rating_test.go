package service_test

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/identity"
	"github.com/onewindow/onewindow/internal/rating"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/store"
	"github.com/onewindow/onewindow/internal/store/storetest"
)

// rateAt is when the applicants below rate: the eve of National Day 2026.
var rateAt = time.Date(2026, 9, 30, 14, 0, 0, 0, clock.Shanghai)

// nobody is a request with nobody signed in: the applicant's own.
var nobody = context.Background()

func wantCode(t *testing.T, what string, err error, code apperr.Code) {
	t.Helper()
	if apperr.CodeOf(err) != code {
		t.Fatalf("%s: %v, want %q", what, err, code)
	}
}

// foodCase takes in a food licence case and, if deliver, takes it through
// to pickup; it returns its number and check code.
func foodCase(t *testing.T, svc *service.Service, as map[string]context.Context, deliver bool) (string, string) {
	t.Helper()
	v, err := svc.Intake(as["shouli"], foodApplication(casework.Pickup))
	if err != nil {
		t.Fatal(err)
	}
	n, code := v.Case.Number, receiptCode(t, v)
	if !deliver {
		return n, code
	}
	for _, step := range []struct {
		who string
		a   casework.Action
		in  casework.Input
	}{
		{"shenpi", casework.ActAccept, casework.Input{}},
		{"shenpi", casework.ActHandover, casework.Input{}},
		{"shenpi", casework.ActDecide, casework.Input{Confirm: true, Outcome: casework.Approve, ResultDocument: "食品经营许可证 JY13201200000009"}},
		{"shenpi", casework.ActSubmitResult, casework.Input{}},
		{"chujian", casework.ActAcceptResult, casework.Input{}},
		{"chujian", casework.ActDeliver, casework.Input{Signer: progressSigner, SignerIDType: identity.ResidentID, SignerIDNumber: progressSignerI}},
	} {
		if _, err := svc.Act(as[step.who], n, step.a, step.in, 0); err != nil {
			t.Fatalf("%s: %v", step.a, err)
		}
	}
	return n, code
}

var realNameBad = rating.Input{Level: rating.VeryDissatisfied, Channel: rating.Mobile, Tags: []rating.Tag{"多次跑动"},
	Text: "跑了三次", RealName: true, Name: "李明", Phone: "13912345678"}

func TestRateCase(t *testing.T) {
	clk := clock.At(rateAt)
	storetest.Each(t, clk, func(t *testing.T, st *store.Store) {
		clk.Set(rateAt)
		svc, as := hall(t, st, clk)
		open, openCode := foodCase(t, svc, as, false)
		n, code := foodCase(t, svc, as, true)

		_, err := svc.RateCase(nobody, open, openCode, realNameBad)
		wantCode(t, "rating a case still under review", err, apperr.Conflict)
		_, err = svc.RateCase(nobody, n, "000000", realNameBad)
		wantCode(t, "wrong check code", err, apperr.NotFound)
		_, err = svc.RateCase(nobody, "20990101000001", code, realNameBad)
		wantCode(t, "unknown case", err, apperr.NotFound)
		for _, who := range []string{"shouli", "jiandu", "admin", "system"} {
			_, err = svc.RateCase(as[who], n, code, realNameBad)
			wantCode(t, who+" rates for the applicant", err, apperr.Forbidden)
		}
		pad := realNameBad
		pad.Channel = rating.Pad
		_, err = svc.RateCase(nobody, n, code, pad)
		wantCode(t, "pad channel online", err, apperr.Invalid)

		rc, err := svc.RateCase(nobody, n, code, realNameBad)
		if err != nil {
			t.Fatal(err)
		}
		// 5 working days after 9/30: 10/8, 10/9, 10/10 (调休), 10/12, 10/13.
		if want := time.Date(2026, 10, 13, 17, 0, 0, 0, clock.Shanghai); !rc.RectifyBy.Equal(want) {
			t.Errorf("rectify by %v, want %v", rc.RectifyBy, want)
		}
		if rc.Rating.Name != "李*" || rc.Rating.Phone != "139****5678" || rc.Rating.Department != "SCJG" ||
			rc.Rating.Clerk != "shouli" || rc.Rating.CaseNumber != n || rc.Key == "" || !rc.AddBy.Equal(rateAt.AddDate(0, 0, 7)) {
			t.Errorf("receipt: %+v", rc)
		}
		_, err = svc.RateCase(nobody, n, code, rating.Input{Level: 5, Channel: rating.PC})
		wantCode(t, "second rating of the case", err, apperr.Conflict)

		// The addition: with the key or the check code, once, never the level.
		_, err = svc.AddToRating(nobody, rc.Rating.ID, "ra_wrong", "", rating.AdditionInput{Text: "补充"})
		wantCode(t, "wrong key", err, apperr.NotFound)
		_, err = svc.AddToRating(as["shouli"], rc.Rating.ID, rc.Key, "", rating.AdditionInput{Text: "补充"})
		wantCode(t, "clerk adds", err, apperr.Forbidden)
		clk.Set(rateAt.AddDate(0, 0, 6))
		r, err := svc.AddToRating(nobody, rc.Rating.ID, "", code, rating.AdditionInput{Text: "后来窗口主动联系了我", Tags: []rating.Tag{"服务热情"}})
		if err != nil {
			t.Fatal(err)
		}
		if r.Level != rating.VeryDissatisfied || r.Text != "跑了三次" || r.Addition == nil || r.Addition.Text != "后来窗口主动联系了我" || r.Phone != "139****5678" {
			t.Errorf("after the addition: %+v", r)
		}
		_, err = svc.AddToRating(nobody, rc.Rating.ID, rc.Key, "", rating.AdditionInput{Text: "再补充"})
		wantCode(t, "second addition", err, apperr.Conflict)
	})
}

func TestRateVisit(t *testing.T) {
	clk := clock.At(rateAt)
	storetest.Each(t, clk, func(t *testing.T, st *store.Store) {
		clk.Set(rateAt)
		svc, as := hall(t, st, clk)
		_, err := svc.RatingToken(as["shenpi"], "T-1", "A01", "shenpi", "JC-ZWZX")
		wantCode(t, "reviewer issues a token", err, apperr.Forbidden)
		_, err = svc.RatingToken(as["shouli"], "T-1", "A01", "chujian", "JC-ZWZX")
		wantCode(t, "token for another clerk", err, apperr.Forbidden)
		_, err = svc.RatingToken(as["shouli"], "T-1", "Z99", "shouli", "JC-ZWZX")
		wantCode(t, "unknown window", err, apperr.Invalid)
		_, err = svc.RatingToken(nobody, "T-1", "A01", "shouli", "JC-ZWZX")
		wantCode(t, "nobody signed in", err, apperr.Unauthorized)
		token, err := svc.RatingToken(as["shouli"], "T-1", "A01", "shouli", "JC-ZWZX")
		if err != nil {
			t.Fatal(err)
		}
		_, err = svc.RatingToken(as["shouli"], "T-1", "A01", "shouli", "JC-ZWZX")
		wantCode(t, "second token for one visit", err, apperr.Conflict)

		_, err = svc.RateVisit(as["shouli"], token, rating.Input{Level: 5, Channel: rating.Pad})
		wantCode(t, "the clerk rates on the pad", err, apperr.Forbidden)
		_, err = svc.RateVisit(nobody, "rv_forged", rating.Input{Level: 5, Channel: rating.Pad})
		wantCode(t, "forged token", err, apperr.NotFound)

		// The same token submitted five times at once: exactly one rating.
		var wg sync.WaitGroup
		errs := make([]error, 5)
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = svc.RateVisit(nobody, token, rating.Input{Level: rating.Satisfied, Channel: rating.Pad, Tags: []rating.Tag{"一次办好"}})
			}()
		}
		wg.Wait()
		won := 0
		for _, err := range errs {
			switch {
			case err == nil:
				won++
			case !apperr.Is(err, apperr.Conflict):
				t.Fatalf("concurrent visit rating: %v", err)
			}
		}
		if won != 1 {
			t.Fatalf("%d ratings of one visit, want 1", won)
		}

		// A specialised desk's bad rating goes to its department; the
		// token lasts a day; an addition after 7 days is refused.
		t2, err := svc.RatingToken(as["system"], "T-2", "C01", "shenpi2", "JC-ZWZX")
		if err != nil {
			t.Fatal(err)
		}
		rc, err := svc.RateVisit(nobody, t2, rating.Input{Level: rating.Dissatisfied, Channel: rating.Pad, Tags: []rating.Tag{"等候时间长"}})
		if err != nil {
			t.Fatal(err)
		}
		if rc.Rating.Department != "GHZY" || rc.Rating.Window != "C01" || rc.Rating.TicketID != "T-2" || rc.RectifyBy.IsZero() {
			t.Errorf("specialised desk's rating: %+v", rc)
		}
		list, err := svc.Rectifications(as["shenpi2"], service.RectificationFilter{})
		if err != nil || len(list) != 1 || list[0].Rectification.Department != "GHZY" {
			t.Fatalf("GHZY's rectifications: %v, %v", list, err)
		}
		t3, err := svc.RatingToken(as["system"], "T-3", "A01", "shouli", "JC-ZWZX")
		if err != nil {
			t.Fatal(err)
		}
		clk.Set(rateAt.Add(25 * time.Hour))
		_, err = svc.RateVisit(nobody, t3, rating.Input{Level: 5, Channel: rating.Pad})
		wantCode(t, "token after a day", err, apperr.Conflict)
		clk.Set(rateAt.AddDate(0, 0, 7).Add(time.Minute))
		_, err = svc.AddToRating(nobody, rc.Rating.ID, rc.Key, "", rating.AdditionInput{Text: "补充"})
		wantCode(t, "addition after 7 days", err, apperr.Conflict)
	})
}

func TestRectificationLifecycle(t *testing.T) {
	clk := clock.At(rateAt)
	storetest.Each(t, clk, func(t *testing.T, st *store.Store) {
		clk.Set(rateAt)
		svc, as := hall(t, st, clk)
		n, code := foodCase(t, svc, as, true)
		if _, err := svc.RateCase(nobody, n, code, realNameBad); err != nil {
			t.Fatal(err)
		}
		// Who sees what.
		_, err := svc.Rectifications(as["shouli"], service.RectificationFilter{})
		wantCode(t, "intake clerk lists", err, apperr.Forbidden)
		_, err = svc.Rectifications(nobody, service.RectificationFilter{})
		wantCode(t, "nobody lists", err, apperr.Unauthorized)
		_, err = svc.Rectifications(as["shenpi2"], service.RectificationFilter{Department: "SCJG"})
		wantCode(t, "GHZY lists SCJG", err, apperr.Forbidden)
		if l, err := svc.Rectifications(as["shenpi2"], service.RectificationFilter{}); err != nil || len(l) != 0 {
			t.Fatalf("GHZY sees %d, %v", len(l), err)
		}
		l, err := svc.Rectifications(as["jiandu"], service.RectificationFilter{State: rating.Open})
		if err != nil || len(l) != 1 {
			t.Fatalf("supervisor sees %d, %v", len(l), err)
		}
		id := l[0].Rectification.ID
		_, err = svc.Rectification(as["shenpi2"], id)
		wantCode(t, "GHZY reads SCJG's", err, apperr.Forbidden)
		v, err := svc.Rectification(as["bumen"], id)
		if err != nil {
			t.Fatal(err)
		}
		if v.Status != rating.Open || v.Warning != calendar.WarningNone || v.Rating.Phone != "139****5678" ||
			len(v.Allowed) != 2 || v.Rectification.Events[0].Action != rating.ActOpen {
			t.Errorf("view: %+v %+v", v, v.Rectification)
		}

		act := func(who string, a rating.Action, in rating.StepInput) (*service.RectificationView, error) {
			return svc.ActOnRectification(as[who], id, a, in, 0)
		}
		_, err = act("jiandu", rating.ActVerify, rating.StepInput{Note: "x"})
		wantCode(t, "supervisor verifies", err, apperr.Forbidden)
		clk.Set(time.Date(2026, 10, 8, 10, 0, 0, 0, clock.Shanghai))
		if _, err = act("shenpi", rating.ActVerify, rating.StepInput{Note: "核实：材料清单未写明须原件"}); err != nil {
			t.Fatal(err)
		}
		_, err = svc.ActOnRectification(as["bumen"], id, rating.ActRectify, rating.StepInput{Note: "已修订办事指南"}, 1)
		wantCode(t, "stale version", err, apperr.Conflict)
		_, err = act("bumen", rating.ActRectify, rating.StepInput{Note: "已修订办事指南"})
		wantCode(t, "rectified without follow-up", err, apperr.Invalid)
		clk.Set(time.Date(2026, 10, 13, 16, 0, 0, 0, clock.Shanghai))
		if v, err = act("bumen", rating.ActRectify, rating.StepInput{Note: "已修订办事指南", FollowUp: rating.ByPhone, FollowUpResult: "申请人表示满意"}); err != nil {
			t.Fatal(err)
		}
		// The department reported it; the supervisor closes it.
		if v.Status != rating.Confirming || v.Rectification.Proposed != rating.Done || len(v.Allowed) != 0 || !v.Rectification.ClosedAt.IsZero() {
			t.Errorf("reported: %+v", v)
		}
		_, err = act("bumen", rating.ActConfirm, rating.StepInput{})
		wantCode(t, "the department confirms its own", err, apperr.Forbidden)
		_, err = act("jiandu", rating.ActSendBack, rating.StepInput{})
		wantCode(t, "sent back without a reason", err, apperr.Invalid)
		if v, err = act("jiandu", rating.ActSendBack, rating.StepInput{Note: "回访未见申请人意见"}); err != nil || v.Status != rating.InProgress {
			t.Fatalf("sent back: %+v, %v", v, err)
		}
		if _, err = act("bumen", rating.ActRectify, rating.StepInput{Note: "已修订办事指南并再次回访", FollowUp: rating.ByPhone, FollowUpResult: "申请人表示满意"}); err != nil {
			t.Fatal(err)
		}
		if v, err = act("admin", rating.ActConfirm, rating.StepInput{}); err != nil {
			t.Fatal(err)
		}
		if v.Status != rating.Done || len(v.Allowed) != 0 || v.Rectification.ClosedAt.IsZero() {
			t.Errorf("done: %+v", v)
		}
		v, err = svc.Rectification(as["jiandu"], id)
		if err != nil || len(v.Rectification.Events) != 6 || v.Rectification.Events[2].FollowUp != rating.ByPhone ||
			v.Rectification.Events[1].Actor != "shenpi" || v.Rectification.Events[3].Action != rating.ActSendBack ||
			v.Rectification.Events[5].Actor != "admin" {
			t.Fatalf("record: %+v, %v", v, err)
		}

		// A window's rating: the bureau appeals, the supervisor rejects,
		// then (again) upholds.
		clk.Set(rateAt)
		tok, err := svc.RatingToken(as["system"], "T-7", "A01", "shouli", "JC-ZWZX")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.RateVisit(nobody, tok, rating.Input{Level: rating.VeryDissatisfied, Channel: rating.Pad}); err != nil {
			t.Fatal(err)
		}
		l, err = svc.Rectifications(as["admin"], service.RectificationFilter{State: rating.Open})
		if err != nil || len(l) != 1 || l[0].Rectification.Window != "A01" {
			t.Fatalf("window rectification: %v, %v", l, err)
		}
		id = l[0].Rectification.ID
		_, err = act("bumen", rating.ActAppeal, rating.StepInput{Note: "误评"})
		wantCode(t, "department appeals a window's", err, apperr.Forbidden)
		if _, err = act("admin", rating.ActAppeal, rating.StepInput{Note: "评价人按错了键，监控可证"}); err != nil {
			t.Fatal(err)
		}
		_, err = act("admin", rating.ActUphold, rating.StepInput{Note: "成立"})
		wantCode(t, "admin decides own appeal", err, apperr.Forbidden)
		if v, err = act("jiandu", rating.ActReject, rating.StepInput{Note: "证据不足"}); err != nil || v.Status != rating.InProgress {
			t.Fatalf("rejected: %+v, %v", v, err)
		}
		if _, err = act("admin", rating.ActAppeal, rating.StepInput{Note: "补充监控录像"}); err != nil {
			t.Fatal(err)
		}
		if v, err = act("jiandu", rating.ActUphold, rating.StepInput{Note: "录像显示误触"}); err != nil || v.Status != rating.Upheld {
			t.Fatalf("upheld: %+v, %v", v, err)
		}
		_, err = act("admin", rating.ActRectify, rating.StepInput{Note: "x"})
		wantCode(t, "rectify after upheld", err, apperr.Conflict)

		// A third, left alone, turns yellow then red (整改超期).
		tok, err = svc.RatingToken(as["system"], "T-8", "A02", "shouli", "JC-ZWZX")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.RateVisit(nobody, tok, rating.Input{Level: rating.Dissatisfied, Channel: rating.Terminal}); err != nil {
			t.Fatal(err)
		}
		clk.Set(time.Date(2026, 10, 12, 9, 0, 0, 0, clock.Shanghai))
		l, err = svc.Rectifications(as["jiandu"], service.RectificationFilter{State: rating.Open})
		if err != nil || len(l) != 1 || l[0].Warning != calendar.WarningYellow || l[0].Status != rating.Open {
			t.Fatalf("on 10/12: %+v, %v", l, err)
		}
		clk.Set(time.Date(2026, 10, 13, 17, 1, 0, 0, clock.Shanghai))
		l, err = svc.Rectifications(as["jiandu"], service.RectificationFilter{State: rating.Overdue})
		if err != nil || len(l) != 1 || l[0].Warning != calendar.WarningRed || l[0].Status != rating.Overdue || l[0].Rectification.Window != "A02" {
			t.Fatalf("overdue on 10/13 17:01: %+v, %v", l, err)
		}
		_, err = svc.Rectifications(as["jiandu"], service.RectificationFilter{State: "lost"})
		wantCode(t, "unknown state", err, apperr.Invalid)
	})
}

func TestRates(t *testing.T) {
	clk := clock.At(rateAt)
	storetest.Each(t, clk, func(t *testing.T, st *store.Store) {
		clk.Set(rateAt.AddDate(0, 0, -1))
		svc, as := hall(t, st, clk)
		type visit struct {
			ticket, window, clerk string
			level                 rating.Level
			realName              bool
		}
		rate := func(v visit) {
			t.Helper()
			tok, err := svc.RatingToken(as["system"], v.ticket, v.window, v.clerk, "JC-ZWZX")
			if err != nil {
				t.Fatal(err)
			}
			in := rating.Input{Level: v.level, Channel: rating.Pad}
			if v.realName {
				in.RealName, in.Name, in.Phone = true, "王五", "13800000000"
			}
			if _, err := svc.RateVisit(nobody, tok, in); err != nil {
				t.Fatal(err)
			}
		}
		// The day before the period: not counted.
		rate(visit{"V0", "A01", "shouli", 1, true})
		clk.Set(rateAt)
		for _, v := range []visit{
			{"V1", "A01", "shouli", 5, false},
			{"V2", "A01", "shouli", 2, true}, // rectified
			{"V3", "A01", "shouli", 1, true}, // left open
			{"V4", "C01", "shenpi2", 4, false},
			{"V5", "C01", "shenpi2", 1, false}, // appeal upheld: not counted
			{"V6", "A02", "shouli2", 2, true},  // explained
		} {
			rate(v)
		}
		open, err := svc.Rectifications(as["jiandu"], service.RectificationFilter{State: rating.Open})
		if err != nil || len(open) != 5 {
			t.Fatalf("open rectifications: %d, %v", len(open), err)
		}
		byTicket := map[string]int64{}
		for _, v := range open {
			x, err := svc.Rectification(as["jiandu"], v.Rectification.ID)
			if err != nil {
				t.Fatal(err)
			}
			byTicket[x.Rating.TicketID] = x.Rectification.ID
		}
		step := func(who, ticket string, a rating.Action, in rating.StepInput) {
			t.Helper()
			if _, err := svc.ActOnRectification(as[who], byTicket[ticket], a, in, 0); err != nil {
				t.Fatalf("%s %s: %v", ticket, a, err)
			}
		}
		followUp := rating.StepInput{Note: "已处理", FollowUp: rating.ByPhone, FollowUpResult: "认可"}
		step("admin", "V2", rating.ActVerify, rating.StepInput{Note: "属实"})
		step("admin", "V2", rating.ActRectify, followUp)
		step("admin", "V6", rating.ActVerify, rating.StepInput{Note: "属实"})
		step("admin", "V6", rating.ActExplain, followUp)
		step("shenpi2", "V5", rating.ActAppeal, rating.StepInput{Note: "恶意评价"})
		step("jiandu", "V5", rating.ActUphold, rating.StepInput{Note: "成立"})

		from, to := time.Date(2026, 9, 30, 0, 0, 0, 0, clock.Shanghai), time.Date(2026, 10, 1, 0, 0, 0, 0, clock.Shanghai)
		// Reported, not yet confirmed: not rectified.
		if got, err := svc.Rates(as["jiandu"], from, to, rating.ByHall); err != nil || len(got) != 1 || got[0].RealNameRectified != 0 {
			t.Fatalf("before the supervisor confirms: %+v, %v", got, err)
		}
		step("jiandu", "V2", rating.ActConfirm, rating.StepInput{})
		step("jiandu", "V6", rating.ActConfirm, rating.StepInput{Note: "说明合理"})
		_, err = svc.Rates(as["shenpi"], from, to, rating.ByDepartment)
		wantCode(t, "reviewer asks for rates", err, apperr.Forbidden)
		_, err = svc.Rates(as["jiandu"], from, to, "item")
		wantCode(t, "unknown grouping", err, apperr.Invalid)
		_, err = svc.Rates(as["jiandu"], to, from, rating.ByHall)
		wantCode(t, "reversed period", err, apperr.Invalid)

		tests := []struct {
			g    rating.GroupBy
			want []rating.Rate
		}{
			{rating.ByWindow, []rating.Rate{
				{Hall: "JC-ZWZX", Key: "A01", Total: 3, Bad: 2, RealNameBad: 2, RealNameRectified: 1},
				{Hall: "JC-ZWZX", Key: "A02", Total: 1, Bad: 1, RealNameBad: 1, RealNameRectified: 1},
				{Hall: "JC-ZWZX", Key: "C01", Total: 1},
			}},
			{rating.ByDepartment, []rating.Rate{
				{Key: "", Total: 4, Bad: 3, RealNameBad: 3, RealNameRectified: 2},
				{Key: "GHZY", Total: 1},
			}},
			{rating.ByClerk, []rating.Rate{
				{Key: "shenpi2", Total: 1},
				{Key: "shouli", Total: 3, Bad: 2, RealNameBad: 2, RealNameRectified: 1},
				{Key: "shouli2", Total: 1, Bad: 1, RealNameBad: 1, RealNameRectified: 1},
			}},
			{rating.ByHall, []rating.Rate{{Key: "JC-ZWZX", Total: 5, Bad: 3, RealNameBad: 3, RealNameRectified: 2}}},
		}
		for _, tc := range tests {
			for _, who := range []string{"jiandu", "admin"} {
				got, err := svc.Rates(as[who], from, to, tc.g)
				if err != nil {
					t.Fatal(err)
				}
				if len(got) != len(tc.want) {
					t.Fatalf("%s by %s: %+v, want %+v", who, tc.g, got, tc.want)
				}
				for i := range got {
					if got[i] != tc.want[i] {
						t.Errorf("%s by %s [%d]: %+v, want %+v", who, tc.g, i, got[i], tc.want[i])
					}
				}
			}
		}
		// The hall: satisfaction 2/5, real-name rectification 2/3.
		got, _ := svc.Rates(as["jiandu"], from, to, rating.ByHall)
		if sat, _ := got[0].Satisfaction(); sat != 0.4 {
			t.Errorf("hall satisfaction %v", sat)
		}
		if rect, _ := got[0].Rectification(); rect != 2.0/3 {
			t.Errorf("hall rectification rate %v", rect)
		}
		// With the day before: V0 counts too.
		got, _ = svc.Rates(as["jiandu"], from.AddDate(0, 0, -1), to, rating.ByHall)
		if got[0].Total != 6 || got[0].RealNameBad != 4 {
			t.Errorf("two days: %+v", got[0])
		}
	})
}

// TestRectificationDaysSetting: the rectification deadline follows the
// configured number of working days (3 here) over the National Day holiday.
func TestRectificationDaysSetting(t *testing.T) {
	clk := clock.At(rateAt)
	storetest.Each(t, clk, func(t *testing.T, st *store.Store) {
		clk.Set(rateAt)
		_, as := hall(t, st, clk)
		cfg := service.DefaultConfig()
		cfg.Rating.RectificationDays = 3
		svc := service.New(st, clk, slog.New(slog.NewTextHandler(io.Discard, nil)), cfg)
		n, code := foodCase(t, svc, as, true)
		r, err := svc.RateCase(nobody, n, code, realNameBad)
		if err != nil {
			t.Fatal(err)
		}
		// 3 working days after 9/30: 10/8, 10/9 and the working Saturday 10/10.
		if want := time.Date(2026, 10, 10, 17, 0, 0, 0, clock.Shanghai); !r.RectifyBy.Equal(want) {
			t.Fatalf("rectify by %s, want %s", r.RectifyBy, want)
		}
	})
}
