package store_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/catalog"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/demo"
	"github.com/onewindow/onewindow/internal/store"
	"github.com/onewindow/onewindow/internal/store/storetest"
)

// TestStorePersistsTheChange: the store decides no notice and no document.
// It persists exactly the notice and documents the change it is given
// carries, in the change's transaction: none when the change has none,
// even for events that send one (intake, accept), and what the change
// says when it says something else.
func TestStorePersistsTheChange(t *testing.T) {
	storetest.Each(t, clock.At(start), func(t *testing.T, st *store.Store) {
		ctx := t.Context()
		must(t, st.Load(ctx, demoSeed(), "test"))
		c := &casework.Case{
			ItemCode: "SCJG-XK-001", ItemVersion: 1, ItemName: "食品经营许可", DepartmentCode: "SCJG",
			Kind: catalog.Promised, PromisedDays: 5, State: casework.Received, Channel: casework.AtWindow, HallCode: demo.DistrictHall,
			Applicant: casework.Party{Kind: casework.Entity, Name: "江川区味来餐饮管理有限公司", Phone: "13912345678"},
			Delivery:  casework.Delivery{Method: casework.Pickup}, CheckCode: "123456",
			ReceivedAt: start, ReceivedBy: "shouli", Deadlines: casework.Deadlines{AcceptBy: start.AddDate(0, 0, 2)},
		}
		ev := &casework.Event{Type: casework.ActIntake, Actor: "shouli", Role: "intake", Desk: "web", At: start,
			To: casework.Received, Details: json.RawMessage(`{}`)}
		var numbered string
		must(t, st.CreateCase(ctx, c, ev, func(c *casework.Case, ev *casework.Event) casework.Change {
			numbered = c.Number // the case has its number when its first change is asked for
			return casework.Change{Event: ev}
		}))
		if numbered == "" || numbered != c.Number {
			t.Fatalf("opened saw number %q, the case has %q", numbered, c.Number)
		}
		ns, err := st.CaseNotifications(ctx, c.Number)
		must(t, err)
		docs, err := st.CaseDocuments(ctx, c.Number)
		must(t, err)
		if len(ns) != 0 || len(docs) != 0 {
			t.Errorf("an intake whose change carries nothing: %d notices, %d documents stored", len(ns), len(docs))
		}

		at := start.Add(time.Hour)
		_, err = st.UpdateCase(ctx, c.Number, func(c *casework.Case) (casework.Change, error) {
			c.State = casework.Accepted
			return casework.Change{Event: &casework.Event{Type: casework.ActAccept, Actor: "shenpi", Role: "reviewer", Desk: "web", At: at,
				From: casework.Received, To: casework.Accepted, Details: json.RawMessage(`{}`)}}, nil
		})
		must(t, err)
		if ns, _ = st.CaseNotifications(ctx, c.Number); len(ns) != 0 {
			t.Errorf("an acceptance whose change carries no notice stored %d notices", len(ns))
		}

		later := at.Add(time.Hour)
		_, err = st.UpdateCase(ctx, c.Number, func(c *casework.Case) (casework.Change, error) {
			return casework.Change{
				Event: &casework.Event{Type: casework.ActExtend, Actor: "shenpi", Role: "reviewer", Desk: "web", At: later,
					From: c.State, To: c.State, Details: json.RawMessage(`{}`)},
				Documents: []casework.Document{{Kind: casework.HandoverSheet, Title: "材料交接表", CreatedAt: later, Data: json.RawMessage(`{}`)}},
				Notice:    &casework.Message{Notice: casework.Notice{Subject: "主题", Body: "正文"}, To: "13800000000", At: later},
			}, nil
		})
		must(t, err)
		ns, err = st.CaseNotifications(ctx, c.Number)
		must(t, err)
		if len(ns) != 1 || ns[0].Subject != "主题" || ns[0].Body != "正文" || ns[0].Recipient != "13800000000" || !ns[0].CreatedAt.Equal(later) {
			t.Errorf("the change's notice stored as %+v", ns)
		}
		docs, err = st.CaseDocuments(ctx, c.Number)
		must(t, err)
		if len(docs) != 1 || docs[0].Kind != casework.HandoverSheet || docs[0].EventSeq != 3 {
			t.Errorf("the change's documents stored as %+v", docs)
		}
	})
}
