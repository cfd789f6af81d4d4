package service_test

import (
	"strings"
	"testing"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/demo"
	"github.com/onewindow/onewindow/internal/queue"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/store"
	"github.com/onewindow/onewindow/internal/store/storetest"
)

func TestGuidanceLog(t *testing.T) {
	clk := clock.At(start)
	storetest.Each(t, clk, func(t *testing.T, st *store.Store) {
		clk.Set(start)
		svc, as := hall(t, st, clk)
		hallCode := demo.DistrictHall
		cat := &queue.Category{HallCode: hallCode, Code: "A", Name: "企业开办", Prefix: "A", Hours: queue.DefaultHours(), DailyCap: 100}
		wantQueueCode(t, "category", svc.CreateCategory(as["admin"], cat), "")
		if _, err := svc.TakeTicket(as["anonymous"], service.TicketRequest{Hall: hallCode, Category: "A"}); err != nil {
			t.Fatal(err)
		}
		ok := service.GuidanceEntry{Items: []string{"scjg-xk-001", "SCJG-XK-002"}, Note: "问营业执照变更", TicketNumber: "a001", Outcome: service.GuidanceSentToWindow}
		tests := []struct {
			name, as string
			in       service.GuidanceEntry
			want     apperr.Code
			field    string
		}{
			{"unknown item", "shouli", service.GuidanceEntry{Items: []string{"SCJG-XK-001", "NOPE-1"}, Outcome: service.GuidanceAnswered}, apperr.Invalid, "items"},
			{"note too long", "shouli", service.GuidanceEntry{Items: []string{"SCJG-XK-001"}, Note: strings.Repeat("字", service.GuidanceNoteMax+1), Outcome: service.GuidanceAnswered}, apperr.Invalid, "note"},
			{"nothing asked", "shouli", service.GuidanceEntry{Outcome: service.GuidanceAnswered}, apperr.Invalid, "items"},
			{"no outcome", "shouli", service.GuidanceEntry{Items: []string{"SCJG-XK-001"}}, apperr.Invalid, "outcome"},
			{"other without a note", "shouli", service.GuidanceEntry{Items: []string{"SCJG-XK-001"}, Outcome: service.GuidanceOther}, apperr.Invalid, "note"},
			{"unknown ticket", "shouli", service.GuidanceEntry{Items: []string{"SCJG-XK-001"}, TicketNumber: "A099", Outcome: service.GuidanceAnswered}, apperr.Invalid, "ticket"},
			{"anonymous", "anonymous", ok, apperr.Unauthorized, ""},
			{"supervisor", "jiandu", ok, apperr.Forbidden, ""},
			{"issuance clerk", "chujian", ok, apperr.Forbidden, ""},
			{"clerk of another hall", "shouli2", service.GuidanceEntry{Hall: hallCode, Items: ok.Items, Outcome: ok.Outcome}, apperr.Forbidden, ""},
			{"admin without a hall", "admin", ok, apperr.Invalid, "hall"},
			{"clerk", "shouli", ok, "", ""},
			{"admin at a hall", "admin", service.GuidanceEntry{Hall: hallCode, Note: "问停车场位置", Outcome: service.GuidanceOther}, "", ""},
			{"note of exactly the limit", "shouli", service.GuidanceEntry{Note: strings.Repeat("字", service.GuidanceNoteMax), Outcome: service.GuidanceAnswered}, "", ""},
		}
		for _, tc := range tests {
			_, err := svc.RecordGuidance(as[tc.as], tc.in)
			wantQueueCode(t, tc.name, err, tc.want)
			if tc.field != "" {
				fields := apperr.FieldsOf(err)
				if len(fields) == 0 || fields[0].Field != tc.field {
					t.Errorf("%s: fields %+v, want %s", tc.name, fields, tc.field)
				}
			}
		}

		day := calendar.DateOf(start)
		list, err := svc.GuidanceLog(as["shouli"], "", day)
		wantQueueCode(t, "log", err, "")
		if len(list) != 3 {
			t.Fatalf("log has %d entries, want 3: %+v", len(list), list)
		}
		g := list[0]
		if g.Clerk != "shouli" || g.TicketNumber != "A001" || g.TicketID == 0 || strings.Join(g.Items, ",") != "SCJG-XK-001,SCJG-XK-002" ||
			len(g.ItemNames) != 2 || g.ItemNames[0] == "" || g.OutcomeLabel() != "引导至窗口" || !g.At.Equal(start) {
			t.Errorf("first entry %+v", g)
		}
		if list[1].Clerk != "admin" || len(list[1].Items) != 0 {
			t.Errorf("second entry %+v", list[1])
		}
		_, err = svc.GuidanceLog(as["jiandu"], hallCode, day)
		wantQueueCode(t, "supervisor reads", err, "")
		_, err = svc.GuidanceLog(as["shouli2"], hallCode, day)
		wantQueueCode(t, "clerk of another hall reads", err, apperr.Forbidden)
		other, err := svc.GuidanceLog(as["shouli"], "", day.AddDays(1))
		if err != nil || len(other) != 0 {
			t.Errorf("next day: %v, %d entries", err, len(other))
		}
	})
}
