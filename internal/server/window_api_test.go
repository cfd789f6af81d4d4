package server_test

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/demo"
	"github.com/onewindow/onewindow/internal/queue"
	"github.com/onewindow/onewindow/internal/rating"
	"github.com/onewindow/onewindow/internal/service"
)

// pathParam matches a {name} in an OpenAPI path.
var pathParam = regexp.MustCompile(`\{([A-Za-z_]+)\}`)

// Every {param} in every path of the served OpenAPI document is declared
// as a path parameter of each of its operations, and nothing else is: an
// input struct whose path fields huma cannot see (an embedded unexported
// struct, issue 11) leaves them empty at run time and undeclared here.
func TestEveryPathParameterIsDeclared(t *testing.T) {
	eachDatabase(t, func(t *testing.T, f *fixture) {
		r := f.do(t, scenario{method: "GET", path: "/api/v1/openapi.json"}, "openapi")
		doc := decode[struct {
			Paths map[string]map[string]struct {
				OperationID string `json:"operationId"`
				Parameters  []struct {
					Name, In string
					Required bool
				}
			}
		}](t, r)
		checked := 0
		for _, path := range slices.Sorted(mapKeys(doc.Paths)) {
			var want []string
			for _, m := range pathParam.FindAllStringSubmatch(path, -1) {
				want = append(want, m[1])
			}
			for method, op := range doc.Paths[path] {
				var got []string
				for _, p := range op.Parameters {
					if p.In == "path" {
						got = append(got, p.Name)
						if !p.Required {
							t.Errorf("%s %s (%s): path parameter %s not required", method, path, op.OperationID, p.Name)
						}
					}
				}
				slices.Sort(got)
				w := slices.Sorted(slices.Values(want))
				if !slices.Equal(got, w) {
					t.Errorf("%s %s (%s): path parameters %v declared, the path has %v", strings.ToUpper(method), path, op.OperationID, got, w)
				}
				checked += len(want)
			}
		}
		if checked < 40 {
			t.Errorf("only %d path parameters checked: is the document served?", checked)
		}
	})
}

// withDemoQueue loads the demo hall's queue categories and sets the clock
// inside their issuing hours.
func (f *fixture) withDemoQueue(t *testing.T) {
	t.Helper()
	f.clk.Set(time.Date(2026, 9, 30, 9, 30, 0, 0, clock.Shanghai))
	if err := f.svc.LoadDemoQueue(service.AsSystem(context.Background())); err != nil {
		t.Fatal(err)
	}
}

// windowOut is the answer of a window operation.
type windowOut struct {
	Window         queue.Window
	Ticket         *struct{ queue.Ticket }
	RatingPadUntil *time.Time `json:"rating_pad_until"`
}

// wantTicket checks the window operation's ticket is number in state.
func wantTicket(number string, state queue.State) func(*testing.T, *response) {
	return func(t *testing.T, r *response) {
		t.Helper()
		w := decode[windowOut](t, r)
		if w.Ticket == nil || w.Ticket.Number != number || w.Ticket.State != state {
			t.Errorf("ticket %+v, want %s %s", w.Ticket, number, state)
		}
	}
}

// The window's operations through HTTP: no-show and transfer read their
// hall and window from the path (they answered 403 and 422 with empty ones
// before, issue 11), and a visit finished through the API waits on the
// window's rating pad, where its applicant rates it (R16).
func TestWindowOperationsThroughTheAPI(t *testing.T) {
	eachDatabase(t, func(t *testing.T, f *fixture) {
		f.withDemoQueue(t)
		key, err := f.svc.PairPad(service.AsSystem(context.Background()), demo.DistrictHall, "A01")
		if err != nil {
			t.Fatal(err)
		}
		const win = "/api/v1/queue/windows/" + demo.DistrictHall + "/A01/"
		take := map[string]string{"hall": demo.DistrictHall, "category": "A"}
		f.run(t, []scenario{
			{name: "open A01", method: "POST", path: win + "resume", user: "intake", want: 200},
			{name: "take A001", method: "POST", path: "/api/v1/queue/tickets", body: take, want: 201},
			{name: "take A002", method: "POST", path: "/api/v1/queue/tickets", body: take, want: 201},
			{name: "take A003", method: "POST", path: "/api/v1/queue/tickets", body: take, want: 201},
			{name: "call A001", method: "POST", path: win + "call-next", user: "intake", want: 200, check: wantTicket("A001", queue.Called)},
			{name: "no-show without a reason", method: "POST", path: win + "no-show", user: "intake", body: `{}`, want: 422},
			{name: "no-show of A001", method: "POST", path: win + "no-show", user: "intake", body: `{"reason":"absent"}`, want: 200,
				check: wantTicket("A001", queue.NoShow)},
			{name: "no-show at another hall's window", method: "POST", path: "/api/v1/queue/windows/" + demo.BinheHall + "/A01/no-show",
				user: "intake", body: `{"reason":"absent"}`, want: 403},
			{name: "call A002", method: "POST", path: win + "call-next", user: "intake", want: 200, check: wantTicket("A002", queue.Called)},
			{name: "transfer to an unknown category", method: "POST", path: win + "transfer", user: "intake", body: `{"to_category":"ZZ"}`, want: 422,
				check: wantProblem("invalid", "", "to_category")},
			{name: "transfer A002 to category B", method: "POST", path: win + "transfer", user: "intake", body: `{"to_category":"B"}`, want: 200,
				check: wantTicket("A002", queue.Waiting)},
			{name: "call A003", method: "POST", path: win + "call-next", user: "intake", want: 200, check: wantTicket("A003", queue.Called)},
			{name: "start A003", method: "POST", path: win + "start", user: "intake", want: 200, check: wantTicket("A003", queue.Serving)},
			{name: "finish A003", method: "POST", path: win + "finish", user: "intake", want: 200, check: all(wantTicket("A003", queue.Done),
				func(t *testing.T, r *response) {
					w := decode[windowOut](t, r)
					if w.RatingPadUntil == nil || !w.RatingPadUntil.Equal(f.clk.Now().Add(service.PadWait)) {
						t.Errorf("rating pad until %v, want %v", w.RatingPadUntil, f.clk.Now().Add(service.PadWait))
					}
					if strings.Contains(string(r.body), "rv_") {
						t.Errorf("the visit's rating token is in the answer: %s", r.body)
					}
				})},
			{name: "finish again", method: "POST", path: win + "finish", user: "intake", want: 409},
		})

		// The applicant rates the visit on A01's pad.
		anon := context.Background()
		token, err := f.svc.PadPending(anon, demo.DistrictHall, "A01", key)
		if err != nil || token == "" {
			t.Fatalf("nothing waits on the pad after finishing through the API: %q %v", token, err)
		}
		rc, err := f.svc.RateOnPad(anon, demo.DistrictHall, "A01", key, token, rating.Input{Level: 5})
		if err != nil {
			t.Fatalf("rate on pad: %v", err)
		}
		if rc.Rating.Window != "A01" || rc.Rating.Clerk != f.user(t, "intake").Username || rc.Rating.TicketID == "" {
			t.Errorf("rating %+v: want window A01, clerk %s and the visit's ticket", rc.Rating, f.user(t, "intake").Username)
		}
		if left, err := f.svc.PadPending(anon, demo.DistrictHall, "A01", key); err != nil || left != "" {
			t.Errorf("pad after rating: %q %v, want nothing waiting", left, err)
		}
	})
}
