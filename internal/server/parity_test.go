package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/demo"
	"github.com/onewindow/onewindow/internal/identity"
	"github.com/onewindow/onewindow/internal/queue"
	"github.com/onewindow/onewindow/internal/service"
)

// visitRecord is what a visit and the case taken in during it leave
// behind, with what differs by nature between two runs (numbers, times,
// the window used, the channel) left out.
type visitRecord struct {
	CaseState    casework.State
	CaseEvents   []string // type by actor
	Documents    []casework.DocKind
	TicketState  queue.State
	TicketEvents []queue.Action
	TicketCases  int  // cases linked to the visit
	LinksTheCase bool // the one linked is the case taken in
	PadWaiting   bool // the window's rating pad had the visit's token when it was finished
}

// parityRun is one way of driving the scenario: through the pages or
// through the API. Each step takes what it needs and returns the case's
// number from the intake.
type parityRun struct {
	window  func(t *testing.T, number, action string, body string)
	intake  func(t *testing.T) string
	act     func(t *testing.T, role, number string, action casework.Action, in url.Values)
	windowN string
}

// The same visit through the pages and through the API leaves the same
// record (issue 11): a food licence taken in at the desk during a visit,
// the visit finished, the department accepts and decides, the issuance
// window hands the licence over. The case's state, its events' kinds
// and actors, its documents, the ticket's record and its link to the
// case, and the window's rating pad must all agree.
func TestPagesAndAPIShareTheUseCases(t *testing.T) {
	eachDatabase(t, func(t *testing.T, f *fixture) {
		f.withDemoQueue(t)
		sys := service.AsSystem(context.Background())
		keys := map[string]string{}
		for _, w := range []string{"A01", "A02"} {
			k, err := f.svc.PairPad(sys, demo.DistrictHall, w)
			if err != nil {
				t.Fatal(err)
			}
			keys[w] = k
		}
		for i := range 2 {
			r := f.do(t, scenario{method: "POST", path: "/api/v1/queue/tickets", body: map[string]string{"hall": demo.DistrictHall, "category": "A"}}, fmt.Sprint("take-", i))
			if r.status != http.StatusCreated {
				t.Fatalf("take a ticket: %d %s", r.status, r.body)
			}
		}
		for _, role := range []string{"intake", "reviewer", "issuance"} {
			u := f.user(t, role)
			r := f.do(t, scenario{method: "POST", path: "/login", browser: role,
				body: url.Values{"username": {u.Username}, "password": {u.Password}}}, "login-"+role)
			if r.status != http.StatusSeeOther {
				t.Fatalf("sign in as %s: %d", role, r.status)
			}
		}
		seq := 0
		send := func(t *testing.T, sc scenario, want int) *response {
			t.Helper()
			seq++
			r := f.do(t, sc, fmt.Sprint("parity-", seq))
			if r.status != want {
				t.Fatalf("%s %s: %d, want %d\n%.600s", sc.method, sc.path, r.status, want, r.body)
			}
			return r
		}
		application := foodLicence()
		pages := parityRun{
			windowN: "A01",
			window: func(t *testing.T, number, action, _ string) {
				send(t, scenario{method: "POST", path: "/window/" + number + "/" + action, browser: "intake", body: url.Values{}}, http.StatusSeeOther)
			},
			intake: func(t *testing.T) string {
				a := application.Applicant
				form := url.Values{"applicant.kind": {string(a.Kind)}, "applicant.name": {a.Name}, "applicant.id_type": {string(a.IDType)},
					"applicant.id_number": {a.IDNumber}, "applicant.phone": {a.Phone}}
				for _, m := range application.Materials {
					form.Set("material."+m.Code, string(m.Status))
				}
				r := send(t, scenario{method: "POST", path: "/intake/" + application.ItemCode, browser: "intake", body: form}, http.StatusSeeOther)
				return strings.TrimPrefix(r.header.Get("Location"), "/cases/")
			},
			act: func(t *testing.T, role, number string, action casework.Action, in url.Values) {
				send(t, scenario{method: "POST", path: "/cases/" + number + "/" + string(action), browser: role, body: in}, http.StatusSeeOther)
			},
		}
		api := parityRun{
			windowN: "A02",
			window: func(t *testing.T, number, action, body string) {
				if action == "call" {
					action = "call-next"
				}
				send(t, scenario{method: "POST", path: "/api/v1/queue/windows/" + demo.DistrictHall + "/" + number + "/" + action, user: "intake", body: body}, http.StatusOK)
			},
			intake: func(t *testing.T) string {
				r := send(t, scenario{method: "POST", path: "/api/v1/cases", user: "intake", body: application}, http.StatusCreated)
				return decode[struct{ Number string }](t, r).Number
			},
			act: func(t *testing.T, role, number string, action casework.Action, in url.Values) {
				body := map[string]any{}
				for k := range in {
					body[k] = in.Get(k)
				}
				if in.Get("confirm") == "1" {
					body["confirm"] = true // the page's confirm=1 is the API's confirm: true
				}
				send(t, scenario{method: "POST", path: "/api/v1/cases/" + number + "/" + string(action), user: role, body: body}, http.StatusOK)
			},
		}
		var records [2]visitRecord
		for i, run := range []parityRun{pages, api} {
			run.window(t, run.windowN, "resume", "")
			run.window(t, run.windowN, "call", "")
			run.window(t, run.windowN, "start", "")
			number := run.intake(t)
			run.window(t, run.windowN, "finish", "")
			token, err := f.svc.PadPending(context.Background(), demo.DistrictHall, run.windowN, keys[run.windowN])
			if err != nil {
				t.Fatal(err)
			}
			records[i].PadWaiting = token != ""
			run.act(t, "reviewer", number, casework.ActHandover, url.Values{})
			run.act(t, "reviewer", number, casework.ActAccept, url.Values{})
			run.act(t, "reviewer", number, casework.ActDecide, url.Values{"outcome": {string(casework.Approve)}, "result_document": {"JY13501020260001"}, "confirm": {"1"}})
			run.act(t, "reviewer", number, casework.ActSubmitResult, url.Values{})
			run.act(t, "issuance", number, casework.ActAcceptResult, url.Values{})
			run.act(t, "issuance", number, casework.ActDeliver, url.Values{"signer": {"李明"}, "signer_id_type": {string(identity.ResidentID)}, "signer_id_number": {personID}})

			c, err := f.svc.Case(sys, number)
			if err != nil {
				t.Fatal(err)
			}
			rec := &records[i]
			rec.CaseState = c.Case.State
			for _, e := range c.Events {
				rec.CaseEvents = append(rec.CaseEvents, string(e.Type)+" by "+e.Actor)
			}
			for _, d := range c.Documents {
				rec.Documents = append(rec.Documents, d.Kind)
			}
			tk, err := f.svc.Ticket(sys, ticketOfWindow(t, f, run.windowN))
			if err != nil {
				t.Fatal(err)
			}
			rec.TicketState = tk.Ticket.State
			for _, e := range tk.Events {
				rec.TicketEvents = append(rec.TicketEvents, e.Type)
			}
			rec.TicketCases = len(tk.Cases)
			rec.LinksTheCase = len(tk.Cases) == 1 && tk.Cases[0] == number
		}
		if !reflect.DeepEqual(records[0], records[1]) {
			t.Errorf("the pages and the API left different records:\npages %+v\napi   %+v", records[0], records[1])
		}
		t.Logf("record: %+v", records[0])
		// And the record is the one the scenario should leave.
		want := records[0]
		if want.CaseState != casework.Delivered || !want.LinksTheCase || !want.PadWaiting || want.TicketState != queue.Done ||
			len(want.CaseEvents) != 7 || len(want.Documents) == 0 {
			t.Errorf("record %+v: want the case delivered after 7 events with documents, linked to its finished visit, the pad waiting", want)
		}
	})
}

// ticketOfWindow is the id of the ticket last served at window: the one
// whose record names it.
func ticketOfWindow(t *testing.T, f *fixture, window string) int64 {
	t.Helper()
	var id int64
	err := f.st.DB().QueryRow(`SELECT id FROM tickets WHERE at_window = $1 ORDER BY id DESC LIMIT 1`, window).Scan(&id)
	if err != nil {
		t.Fatal(err)
	}
	return id
}
