package service_test

import (
	"slices"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/store"
	"github.com/onewindow/onewindow/internal/store/storetest"
)

// TestCaseSearch finds cases by the applicant's phone, the days received,
// the item, the department, the state and the receiving clerk, as the
// search page and GET /cases both ask the one use case; department staff
// still see their own department only, and bad search input is refused
// with the field named.
func TestCaseSearch(t *testing.T) {
	clk := clock.At(start)
	storetest.Each(t, clk, func(t *testing.T, st *store.Store) {
		clk.Set(start)
		svc, as := hall(t, st, clk)
		take := func(user, item, phone string) string {
			t.Helper()
			in := deskApplication(false)
			in.ItemCode, in.Applicant.Phone = item, phone
			v, err := svc.Intake(as[user], in)
			if err != nil {
				t.Fatalf("%s takes in %s: %v", user, item, err)
			}
			return v.Case.Number
		}
		a := take("shouli", "SCJG-XK-001", "13912345678")
		clk.Set(time.Date(2026, 10, 8, 10, 0, 0, 0, clock.Shanghai))
		b := take("shouli2", "SCJG-XK-001", "0571-88886666")
		c := take("shouli", "GHZY-XK-001", "13912345678")
		if _, err := svc.Act(as["shenpi"], b, casework.ActAccept, casework.Input{}, 0); err != nil {
			t.Fatal(err)
		}

		day := func(s string) calendar.Date {
			d, err := calendar.ParseDate(s)
			if err != nil {
				t.Fatal(err)
			}
			return d
		}
		find := func(user string, f service.CaseFilter, want ...string) {
			t.Helper()
			p, err := svc.Cases(as[user], f)
			if err != nil {
				t.Fatalf("%s searches %+v: %v", user, f, err)
			}
			var got []string
			for _, v := range p.Cases {
				got = append(got, v.Case.Number)
			}
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) || p.Total != len(want) {
				t.Errorf("%s searches %+v: %v (total %d), want %v", user, f, got, p.Total, want)
			}
		}
		find("shouli", service.CaseFilter{Phone: "+86 139-1234-5678"}, a, c)
		find("shouli", service.CaseFilter{Phone: "057188886666"}, b)
		find("shouli", service.CaseFilter{From: day("2026-10-08")}, b, c)
		find("shouli", service.CaseFilter{To: day("2026-09-30")}, a)
		find("shouli", service.CaseFilter{From: day("2026-09-30"), To: day("2026-09-30")}, a)
		find("shouli", service.CaseFilter{Item: "GHZY-XK-001"}, c)
		find("shouli", service.CaseFilter{Department: "SCJG"}, a, b)
		find("shouli", service.CaseFilter{States: []casework.State{casework.Accepted}}, b)
		find("jiandu", service.CaseFilter{Clerk: "shouli2"}, b)
		find("jiandu", service.CaseFilter{Clerk: "shouli", Phone: "13912345678", Item: "SCJG-XK-001"}, a)
		// A reviewer searching every department still finds only SCJG's.
		find("shenpi", service.CaseFilter{Phone: "13912345678"}, a)
		find("shenpi", service.CaseFilter{Clerk: "shouli"}, a)

		for _, bad := range []struct {
			f     service.CaseFilter
			field string
		}{
			{service.CaseFilter{Phone: "5678"}, "phone"},
			{service.CaseFilter{From: day("2026-10-08"), To: day("2026-10-07")}, "to"},
		} {
			_, err := svc.Cases(as["shouli"], bad.f)
			if !apperr.Is(err, apperr.Invalid) || len(apperr.FieldsOf(err)) == 0 || apperr.FieldsOf(err)[0].Field != bad.field {
				t.Errorf("%+v: %v, want %s refused", bad.f, err, bad.field)
			}
		}
	})
}

// TestCaseSearchChoices offers items, departments and clerks by name: a
// hall clerk the staff of their hall, a supervisor every hall's, a
// reviewer their own department and its items only.
func TestCaseSearchChoices(t *testing.T) {
	clk := clock.At(start)
	storetest.Each(t, clk, func(t *testing.T, st *store.Store) {
		svc, as := hall(t, st, clk)
		values := func(cs []service.SearchChoice) []string {
			var out []string
			for _, c := range cs {
				out = append(out, c.Value+"="+c.Label)
			}
			return out
		}
		ch, err := svc.SearchChoices(as["shouli"])
		if err != nil {
			t.Fatal(err)
		}
		if got := values(ch.Clerks); !slices.Equal(got, []string{"shouli=张晓梅"}) {
			t.Errorf("the district hall's clerk is offered %v", got)
		}
		if !slices.Contains(values(ch.Items), "GHZY-XK-001=建设用地规划许可证核发") || !slices.Contains(values(ch.Departments), "SCJG=江川区市场监督管理局") {
			t.Errorf("items %v, departments %v", values(ch.Items), values(ch.Departments))
		}
		ch, err = svc.SearchChoices(as["jiandu"])
		if err != nil {
			t.Fatal(err)
		}
		if got := values(ch.Clerks); !slices.Contains(got, "shouli=张晓梅") || !slices.Contains(got, "shouli2=吴婷") || slices.Contains(got, "chujian=李文静") {
			t.Errorf("a supervisor is offered the clerks %v", got)
		}
		for _, c := range ch.Clerks {
			if c.Group == "" {
				t.Errorf("clerk %s without the hall's name", c.Label)
			}
		}
		ch, err = svc.SearchChoices(as["shenpi"])
		if err != nil {
			t.Fatal(err)
		}
		if got := values(ch.Departments); !slices.Equal(got, []string{"SCJG=江川区市场监督管理局"}) {
			t.Errorf("a reviewer is offered the departments %v", got)
		}
		for _, it := range ch.Items {
			if it.Group != "江川区市场监督管理局" {
				t.Errorf("a SCJG reviewer is offered %s (%s)", it.Label, it.Group)
			}
		}
		if ch, err := svc.SearchChoices(as["daiban"]); err != nil || len(ch.Clerks) != 0 || len(ch.Items) == 0 {
			t.Errorf("an agent is offered %d clerks, %d items: %v", len(ch.Clerks), len(ch.Items), err)
		}
		if _, err := svc.SearchChoices(as["anonymous"]); !apperr.Is(err, apperr.Unauthorized) {
			t.Errorf("nobody signed in asks for the staff list: %v", err)
		}
	})
}
