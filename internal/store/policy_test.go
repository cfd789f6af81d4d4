package store_test

import (
	"sync"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/identity"
	"github.com/onewindow/onewindow/internal/store"
	"github.com/onewindow/onewindow/internal/store/storetest"
)

// TestDeadlinePolicyVersions: version 1 (the reform plan's) comes with the
// schema; a publication on the current version makes the next one, in
// force at once; a publication on an older version is a conflict that
// writes nothing; a case keeps the copy it was taken in under.
func TestDeadlinePolicyVersions(t *testing.T) {
	t.Parallel()
	clk := clock.At(start)
	storetest.Each(t, clk, func(t *testing.T, st *store.Store) {
		ctx := t.Context()
		clk.Set(start)
		must(t, st.Load(ctx, demoSeed(), "system"))

		cur, err := st.DeadlinePolicy(ctx)
		must(t, err)
		if cur.Policy != casework.DefaultPolicy() || !cur.PublishedAt.IsZero() || cur.PublishedBy != "" {
			t.Fatalf("the schema's policy = %+v; want version 1, the reform plan's", cur)
		}
		old := takeIn(t, st, casework.Party{Kind: casework.Entity, Name: "某某餐饮有限公司", IDType: identity.CreditCode,
			IDNumber: "91320120MA1XK5T2QF", Phone: "13800000000"}, start)

		clk.Advance(time.Hour)
		v2 := casework.Policy{AcceptDays: 3, PreReviewDays: 3, CorrectDays: 2, ArchiveDays: 2,
			Split: calendar.Clock(13, 0), HandoverSameDay: calendar.Clock(16, 30), HandoverNextDay: calendar.Clock(9, 30)}
		must(t, st.PublishDeadlinePolicy(ctx, &v2, 1, "按区政府新方案调整", "admin"))
		if v2.Version != 2 {
			t.Fatalf("published version %d; want 2", v2.Version)
		}
		cur, err = st.DeadlinePolicy(ctx)
		must(t, err)
		if cur.Policy != v2 || !cur.PublishedAt.Equal(start.Add(time.Hour)) || cur.PublishedBy != "admin" ||
			cur.PublisherName != "刘志强" || cur.Note != "按区政府新方案调整" {
			t.Fatalf("in force after publishing: %+v", cur)
		}

		// An edit of version 1 after version 2 came out is stale.
		stale := v2
		stale.AcceptDays = 5
		err = st.PublishDeadlinePolicy(ctx, &stale, 1, "", "admin")
		wantCode(t, err, apperr.Conflict)
		all, err := st.DeadlinePolicies(ctx)
		must(t, err)
		if len(all) != 2 || all[0].Version != 2 || all[1].Version != 1 || all[0].AcceptDays != 3 {
			t.Fatalf("versions after a stale edit: %+v", all)
		}

		// Two publishers on the same version: one wins, the other is told.
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				p := v2
				p.CorrectDays = 3 + i
				errs[i] = st.PublishDeadlinePolicy(ctx, &p, 2, "", "admin")
			}()
		}
		wg.Wait()
		if (errs[0] == nil) == (errs[1] == nil) {
			t.Fatalf("two publications on version 2: %v, %v; want exactly one conflict", errs[0], errs[1])
		}
		for _, err := range errs {
			if err != nil {
				wantCode(t, err, apperr.Conflict)
			}
		}
		all, err = st.DeadlinePolicies(ctx)
		must(t, err)
		if len(all) != 3 {
			t.Fatalf("%d versions; want 3", len(all))
		}

		// The case taken in before keeps its (default) policy; a new case
		// keeps the copy it was given, through the store and back.
		got, err := st.Case(ctx, old.Number)
		must(t, err)
		if got.DeadlinePolicy() != casework.DefaultPolicy() {
			t.Errorf("the older case now runs under %+v", got.DeadlinePolicy())
		}
		c := &casework.Case{
			ItemCode: "SCJG-XK-001", ItemVersion: 1, ItemName: "食品经营许可（新办）", DepartmentCode: "SCJG",
			State: casework.Received, Channel: casework.AtWindow, Applicant: old.Applicant, CheckCode: "654321",
			Delivery: casework.Delivery{Method: casework.Pickup}, ReceivedAt: clk.Now(), ReceivedBy: "shouli", Policy: v2,
		}
		must(t, st.CreateCase(ctx, c, &casework.Event{Type: casework.ActIntake, Actor: "shouli", Role: "intake", Desk: "web",
			At: clk.Now(), To: casework.Received, Details: []byte(`{}`)}, casework.Opened))
		got, err = st.Case(ctx, c.Number)
		must(t, err)
		if got.Policy != v2 {
			t.Errorf("the new case reads back under %+v; want %+v", got.Policy, v2)
		}
		if n := policyVersionColumn(t, st, c.Number); n != 2 {
			t.Errorf("policy_version column = %d; want 2", n)
		}
		if n := policyVersionColumn(t, st, old.Number); n != 1 {
			t.Errorf("policy_version column of the older case = %d; want 1", n)
		}
	})
}

func policyVersionColumn(t *testing.T, st *store.Store, number string) int {
	t.Helper()
	var n int
	must(t, st.DB().QueryRowContext(t.Context(), `SELECT policy_version FROM cases WHERE number = $1`, number).Scan(&n))
	return n
}
