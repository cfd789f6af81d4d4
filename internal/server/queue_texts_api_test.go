package server_test

import (
	"context"
	"strings"
	"testing"

	"github.com/onewindow/onewindow/internal/demo"
	"github.com/onewindow/onewindow/internal/queue"
)

// Queue texts through the API on two nodes of one database: a ticket
// taken with a phone (POST /queue/tickets) is texted once when the calls
// on either node bring it near; a malformed phone is 422 and takes no
// number; the phone never appears in an answer.
func TestQueueTextsThroughTheAPI(t *testing.T) {
	eachDatabase(t, func(t *testing.T, f *fixture) {
		f.withDemoQueue(t)
		const win = "/api/v1/queue/windows/" + demo.DistrictHall + "/A01/"
		take := map[string]string{"hall": demo.DistrictHall, "category": "A"}
		withPhone := map[string]string{"hall": demo.DistrictHall, "category": "A", "phone": "13800138000"}
		var phoned int64
		f.run(t, []scenario{
			{name: "open A01", method: "POST", path: win + "resume", user: "intake", want: 200},
			{name: "a malformed phone", method: "POST", path: "/api/v1/queue/tickets", want: 422,
				body: map[string]string{"hall": demo.DistrictHall, "category": "A", "phone": "1380013"}, check: wantProblem("invalid", "", "phone")},
			{name: "take A001", method: "POST", path: "/api/v1/queue/tickets", body: take, want: 201},
			{name: "take A002", method: "POST", path: "/api/v1/queue/tickets", body: take, want: 201},
			{name: "take A003", method: "POST", path: "/api/v1/queue/tickets", body: take, want: 201},
			{name: "take A004 with a phone", method: "POST", path: "/api/v1/queue/tickets", body: withPhone, want: 201, node: 1,
				check: func(t *testing.T, r *response) {
					tk := decode[queue.Ticket](t, r)
					if tk.Number != "A004" || strings.Contains(string(r.body), "13800138000") || strings.Contains(string(r.body), "8000") {
						t.Errorf("ticket %s, answer %s", tk.Number, r.body)
					}
					phoned = tk.ID
				}},
			// Three ahead (the default text_ahead): texted at the next call.
			{name: "call A001", method: "POST", path: win + "call-next", user: "intake", want: 200, node: 0, check: wantTicket("A001", queue.Called)},
		})
		texts := func() int {
			t.Helper()
			ns, err := f.st.TicketTexts(context.Background(), phoned)
			if err != nil {
				t.Fatal(err)
			}
			return len(ns)
		}
		if n := texts(); n != 1 {
			t.Fatalf("A004 has %d texts after the first call, want 1", n)
		}
		f.run(t, []scenario{
			{name: "no-show A001", method: "POST", path: win + "no-show", user: "intake", body: `{"reason":"absent"}`, want: 200, node: 1},
			{name: "call A002 on the other node", method: "POST", path: win + "call-next", user: "intake", want: 200, node: 1, check: wantTicket("A002", queue.Called)},
			{name: "no-show A002", method: "POST", path: win + "no-show", user: "intake", body: `{"reason":"absent"}`, want: 200, node: 0},
			{name: "call A003", method: "POST", path: win + "call-next", user: "intake", want: 200, node: 0, check: wantTicket("A003", queue.Called)},
		})
		if n := texts(); n != 1 {
			t.Errorf("A004 has %d texts after more calls on both nodes, want 1", n)
		}
	})
}
