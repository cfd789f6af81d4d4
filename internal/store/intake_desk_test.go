package store_test

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/catalog"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/demo"
	"github.com/onewindow/onewindow/internal/identity"
	"github.com/onewindow/onewindow/internal/store"
	"github.com/onewindow/onewindow/internal/store/storetest"
)

// attempt returns a one-time notice for the demo's food licence at hall.
func attempt(hall, idNumber string, at time.Time) *casework.IntakeAttempt {
	return &casework.IntakeAttempt{
		ItemCode: "SCJG-XK-001", ItemVersion: 1,
		Applicant: casework.Party{Kind: casework.Person, Name: "李四", IDType: identity.ResidentID, IDNumber: idNumber},
		Missing: []casework.MissingMaterial{
			{Code: "M01", Name: "食品经营许可申请书", Required: true, Originals: 1, Paper: true, Electronic: true, Notes: "法定代表人（负责人）签字并加盖公章"},
			{Code: "M04", Name: "规章制度目录清单", Required: true, Originals: 1, Paper: true, Deferrable: true},
		},
		Note: "请携带公章", Clerk: "shouli", ClerkName: "张晓梅", HallCode: hall, CreatedAt: at,
	}
}

func TestIntakeAttempts(t *testing.T) {
	storetest.Each(t, clock.At(start), func(t *testing.T, st *store.Store) {
		ctx := t.Context()
		must(t, st.Load(ctx, demoSeed(), "system"))
		a1 := attempt(demo.DistrictHall, "11010519491231002X", start)
		a2 := attempt(demo.BinheHall, "440304199602290012", start.Add(time.Hour))
		a3 := attempt(demo.DistrictHall, "", start.AddDate(0, 0, 1))
		a3.Applicant.IDType = ""
		for _, a := range []*casework.IntakeAttempt{a1, a2, a3} {
			must(t, st.CreateIntakeAttempt(ctx, a))
			if a.ID == 0 {
				t.Fatal("CreateIntakeAttempt left the id 0")
			}
		}

		got, err := st.IntakeAttempt(ctx, a1.ID)
		must(t, err)
		if !got.CreatedAt.Equal(a1.CreatedAt) {
			t.Errorf("created at %v, want %v", got.CreatedAt, a1.CreatedAt)
		}
		if got.ItemName != "食品经营许可（新办）" {
			t.Errorf("item name %q", got.ItemName)
		}
		got.CreatedAt, got.ItemName = a1.CreatedAt, ""
		if !reflect.DeepEqual(got, a1) {
			t.Errorf("read back:\n got %+v\nwant %+v", got, a1)
		}
		if got.Applicant.IDNumber != "11010519491231002X" {
			t.Errorf("the store must keep the full ID number, got %q", got.Applicant.IDNumber)
		}

		day := func(d time.Time) store.IntakeAttemptFilter {
			from := time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, clock.Shanghai)
			return store.IntakeAttemptFilter{From: from, To: from.AddDate(0, 0, 1)}
		}
		ids := func(f store.IntakeAttemptFilter) []int64 {
			t.Helper()
			list, err := st.IntakeAttempts(ctx, f)
			must(t, err)
			var out []int64
			for _, a := range list {
				out = append(out, a.ID)
			}
			return out
		}
		today := day(start)
		if got, want := ids(today), []int64{a2.ID, a1.ID}; !reflect.DeepEqual(got, want) {
			t.Errorf("today's notices %v, want %v (newest first)", got, want)
		}
		today.Hall = demo.DistrictHall
		if got, want := ids(today), []int64{a1.ID}; !reflect.DeepEqual(got, want) {
			t.Errorf("today's notices at the district hall %v, want %v", got, want)
		}
		if got, want := ids(store.IntakeAttemptFilter{}), []int64{a3.ID, a2.ID, a1.ID}; !reflect.DeepEqual(got, want) {
			t.Errorf("every notice %v, want %v", got, want)
		}
		if got := ids(store.IntakeAttemptFilter{Limit: 1}); len(got) != 1 || got[0] != a3.ID {
			t.Errorf("limit 1: %v", got)
		}

		// An item version that does not exist is refused by the reference.
		bad := attempt(demo.DistrictHall, "", start)
		bad.ItemVersion = 9
		wantField(t, st.CreateIntakeAttempt(ctx, bad), "item_code")
		if n := len(ids(store.IntakeAttemptFilter{})); n != 3 {
			t.Errorf("%d notices after a refused one, want 3", n)
		}
		_, err = st.IntakeAttempt(ctx, 999999)
		wantCode(t, err, apperr.NotFound)

		// What the applicant was told is never changed or removed.
		if _, err := st.DB().ExecContext(ctx, `UPDATE intake_attempts SET note = 'x' WHERE id = $1`, a1.ID); err == nil {
			t.Error("a notice was updated in place")
		}
		if _, err := st.DB().ExecContext(ctx, `DELETE FROM intake_attempts WHERE id = $1`, a1.ID); err == nil {
			t.Error("a notice was deleted")
		}
	})
}

// takeIn saves a case of the demo's food licence for applicant at at.
func takeIn(t *testing.T, st *store.Store, applicant casework.Party, at time.Time) *casework.Case {
	t.Helper()
	c := &casework.Case{
		ItemCode: "SCJG-XK-001", ItemVersion: 1, ItemName: "食品经营许可（新办）", DepartmentCode: "SCJG",
		Kind: catalog.Promised, PromisedDays: 5, State: casework.Received, Channel: casework.AtWindow, HallCode: demo.DistrictHall,
		Applicant: applicant, Delivery: casework.Delivery{Method: casework.Pickup}, CheckCode: "123456",
		ReceivedAt: at, ReceivedBy: "shouli",
	}
	ev := &casework.Event{Type: casework.ActIntake, Actor: "shouli", Role: "intake", Desk: "web", At: at,
		To: casework.Received, Details: json.RawMessage(`{}`)}
	must(t, st.CreateCase(t.Context(), c, ev, casework.Opened))
	return c
}

func TestRecallApplicant(t *testing.T) {
	storetest.Each(t, clock.At(start), func(t *testing.T, st *store.Store) {
		ctx := t.Context()
		must(t, st.Load(ctx, demoSeed(), "system"))
		const id = "310101200101011237"
		_, err := st.RecallApplicant(ctx, id)
		wantCode(t, err, apperr.NotFound)
		_, err = st.RecallApplicant(ctx, "")
		wantCode(t, err, apperr.NotFound)

		// Only a one-time notice so far: its kind and name.
		must(t, st.CreateIntakeAttempt(ctx, attempt(demo.DistrictHall, id, start)))
		rec, err := st.RecallApplicant(ctx, id)
		must(t, err)
		if rec.Source != "notice" || rec.Applicant.Name != "李四" || rec.Applicant.Kind != casework.Person || !rec.At.Equal(start) {
			t.Errorf("recall from a notice: %+v", rec)
		}

		// Cases win over notices, and the latest case by intake time wins,
		// whatever order they were saved in.
		p := casework.Party{Kind: casework.Person, Name: "李四", IDType: identity.ResidentID, IDNumber: id, Phone: "13800000001", Address: "旧地址"}
		later := p
		later.Phone, later.Address = "13900000002", "江川区新址路1号"
		newer := takeIn(t, st, later, start.AddDate(0, 0, 2))
		takeIn(t, st, p, start.AddDate(0, 0, 1))
		other := p
		other.IDNumber, other.Name = "11010519491231002X", "王五"
		takeIn(t, st, other, start.AddDate(0, 0, 3))
		rec, err = st.RecallApplicant(ctx, id)
		must(t, err)
		if rec.Source != "case" || rec.Number != newer.Number || rec.Applicant != later || !rec.At.Equal(newer.ReceivedAt) {
			t.Errorf("recall from cases: %+v, want %+v from %s", rec, later, newer.Number)
		}
	})
}
