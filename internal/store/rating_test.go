package store_test

import (
	"sync"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/rating"
	"github.com/onewindow/onewindow/internal/store"
	"github.com/onewindow/onewindow/internal/store/storetest"
)

var ratedAt = time.Date(2026, 9, 30, 14, 0, 0, 0, clock.Shanghai)

// saveRating saves r as given (with its rectification when bad) and fails
// the test on an error.
func saveRating(t *testing.T, st *store.Store, r *rating.Rating, token string) *rating.Rectification {
	t.Helper()
	x, ev := rating.OpenRectification(r, calendar.New(calendar.Published(2026, 2026), calendar.DefaultSettings()), rating.DefaultSettings())
	must(t, st.CreateRating(t.Context(), r, token, x, ev))
	return x
}

func TestRatingsOnePerCaseAndVisit(t *testing.T) {
	storetest.Each(t, clock.At(ratedAt), func(t *testing.T, st *store.Store) {
		ctx := t.Context()
		must(t, st.Load(ctx, demoSeed(), "test"))
		c := saveDeskCase(t, st, "SCJG-XK-001", casework.Delivered, start, time.Time{})

		// Concurrent double submission of a case's rating: exactly one wins.
		var wg sync.WaitGroup
		errs := make([]error, 6)
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r := rating.New(rating.Input{Level: rating.Dissatisfied, Channel: rating.PC, Tags: []rating.Tag{"多次跑动"}}, ratedAt)
				r.CaseNumber, r.Department, r.KeyHash = c.Number, "SCJG", "h"
				x, ev := rating.OpenRectification(r, calendar.New(nil, calendar.DefaultSettings()), rating.DefaultSettings())
				errs[i] = st.CreateRating(ctx, r, "", x, ev)
			}()
		}
		wg.Wait()
		won := 0
		for _, err := range errs {
			switch {
			case err == nil:
				won++
			case !apperr.Is(err, apperr.Conflict):
				t.Fatalf("double submission: %v", err)
			}
		}
		if won != 1 {
			t.Fatalf("%d case ratings saved, want 1", won)
		}
		got, err := st.CaseRating(ctx, c.Number)
		must(t, err)
		if got.CaseNumber != c.Number || got.Level != rating.Dissatisfied || len(got.Tags) != 1 || got.Tags[0] != "多次跑动" || !got.CreatedAt.Equal(ratedAt) {
			t.Errorf("case rating read back: %+v", got)
		}
		x, err := st.RectificationOf(ctx, got.ID)
		must(t, err)
		if x.State != rating.Open || len(x.Events) != 1 || x.Events[0].Action != rating.ActOpen {
			t.Errorf("one rectification per bad rating: %+v", x)
		}
		if list, err := st.Rectifications(ctx, store.RectificationFilter{}); err != nil || len(list) != 1 {
			t.Errorf("rectifications after the race: %d, %v", len(list), err)
		}

		// A visit's token is used once: of concurrent submissions one wins.
		must(t, st.CreateVisitToken(ctx, store.VisitToken{Hash: "tok1", TicketID: "T-1", HallCode: "JC-ZWZX", Window: "A01",
			Clerk: "shouli", IssuedAt: ratedAt, ExpiresAt: ratedAt.Add(time.Hour)}))
		wantCode(t, st.CreateVisitToken(ctx, store.VisitToken{Hash: "tok2", TicketID: "T-1", HallCode: "JC-ZWZX", Window: "A01",
			Clerk: "shouli", IssuedAt: ratedAt, ExpiresAt: ratedAt.Add(time.Hour)}), apperr.Conflict)
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r := rating.New(rating.Input{Level: rating.VerySatisfied, Channel: rating.Pad}, ratedAt)
				r.TicketID, r.HallCode, r.Window, r.Clerk, r.KeyHash = "T-1", "JC-ZWZX", "A01", "shouli", "h"
				errs[i] = st.CreateRating(ctx, r, "tok1", nil, nil)
			}()
		}
		wg.Wait()
		won = 0
		for _, err := range errs {
			switch {
			case err == nil:
				won++
			case !apperr.Is(err, apperr.Conflict):
				t.Fatalf("double visit rating: %v", err)
			}
		}
		if won != 1 {
			t.Fatalf("%d visit ratings saved, want 1", won)
		}
		tok, err := st.VisitToken(ctx, "tok1")
		must(t, err)
		if tok.UsedAt.IsZero() || tok.TicketID != "T-1" {
			t.Errorf("token after use: %+v", tok)
		}
		// An expired token is refused in the transaction itself.
		must(t, st.CreateVisitToken(ctx, store.VisitToken{Hash: "tok3", TicketID: "T-3", HallCode: "JC-ZWZX", Window: "A01",
			Clerk: "shouli", IssuedAt: ratedAt.Add(-2 * time.Hour), ExpiresAt: ratedAt.Add(-time.Hour)}))
		r := rating.New(rating.Input{Level: 4, Channel: rating.Pad}, ratedAt)
		r.TicketID = "T-3"
		wantCode(t, st.CreateRating(ctx, r, "tok3", nil, nil), apperr.Conflict)
		// A rating names a visit or a case.
		wantCode(t, st.CreateRating(ctx, rating.New(rating.Input{Level: 4, Channel: rating.PC}, ratedAt), "", nil, nil), apperr.Invalid)
		wantCode(t, st.CreateRating(ctx, &rating.Rating{Level: 4, Channel: rating.PC, CaseNumber: "nope", CreatedAt: ratedAt}, "", nil, nil), apperr.NotFound)
	})
}

func TestRatingAdditionAndRectificationUpdates(t *testing.T) {
	storetest.Each(t, clock.At(ratedAt), func(t *testing.T, st *store.Store) {
		ctx := t.Context()
		must(t, st.Load(ctx, demoSeed(), "test"))
		r := rating.New(rating.Input{Level: rating.VeryDissatisfied, Channel: rating.Pad, RealName: true, Name: "李明", Phone: "13912345678"}, ratedAt)
		r.TicketID, r.HallCode, r.Window, r.Clerk, r.Department = "T-9", "JC-ZWZX", "C01", "clerk9", "GHZY"
		x := saveRating(t, st, r, "")
		if !x.Deadline.Equal(time.Date(2026, 10, 13, 17, 0, 0, 0, clock.Shanghai)) {
			t.Errorf("deadline %v", x.Deadline)
		}
		add := &rating.Addition{Tags: []rating.Tag{"态度不好"}, Text: "补充", CreatedAt: ratedAt.Add(time.Hour)}
		must(t, st.AddToRating(ctx, r.ID, add))
		wantCode(t, st.AddToRating(ctx, r.ID, add), apperr.Conflict)
		got, err := st.Rating(ctx, r.ID)
		must(t, err)
		if got.Addition == nil || got.Addition.Text != "补充" || got.Addition.Tags[0] != "态度不好" || got.Text != "" ||
			got.Name != "李明" || got.Phone != "13912345678" || !got.RealName || got.Department != "GHZY" || got.TicketID != "T-9" {
			t.Errorf("rating read back: %+v %+v", got, got.Addition)
		}

		actor := rating.Actor{Username: "shenpi2", Role: "reviewer", Department: "GHZY"}
		now := ratedAt.Add(24 * time.Hour)
		step := func(x *rating.Rectification) (*rating.RectificationEvent, error) {
			return x.Apply(rating.ActVerify, rating.StepInput{Note: "已核实"}, actor, now)
		}
		y, err := st.UpdateRectification(ctx, x.ID, step)
		must(t, err)
		if y.State != rating.InProgress || y.Version != 2 {
			t.Errorf("after verify: %+v", y)
		}
		// A refused change writes nothing.
		_, err = st.UpdateRectification(ctx, x.ID, step)
		wantCode(t, err, apperr.Conflict)
		y, err = st.Rectification(ctx, x.ID)
		must(t, err)
		if y.Version != 2 || len(y.Events) != 2 || y.Events[1].Actor != "shenpi2" || y.Events[1].From != rating.Open ||
			y.Events[1].Note != "已核实" || !y.Events[1].At.Equal(now) {
			t.Errorf("record: %+v", y)
		}
		list, err := st.Rectifications(ctx, store.RectificationFilter{Department: "GHZY", States: []rating.State{rating.InProgress}})
		must(t, err)
		if len(list) != 1 {
			t.Errorf("in progress for GHZY: %d", len(list))
		}
		list, err = st.Rectifications(ctx, store.RectificationFilter{DueBefore: time.Date(2026, 10, 14, 9, 0, 0, 0, clock.Shanghai)})
		must(t, err)
		if len(list) != 1 {
			t.Errorf("overdue on 10/14: %d", len(list))
		}
		list, err = st.Rectifications(ctx, store.RectificationFilter{DueBefore: time.Date(2026, 10, 13, 9, 0, 0, 0, clock.Shanghai)})
		must(t, err)
		if len(list) != 0 {
			t.Errorf("overdue on 10/13: %d", len(list))
		}
		_, err = st.Rectification(ctx, 999)
		wantCode(t, err, apperr.NotFound)
	})
}
