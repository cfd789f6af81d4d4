package store_test

import (
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/catalog"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/demo"
	"github.com/onewindow/onewindow/internal/store"
	"github.com/onewindow/onewindow/internal/store/storetest"
)

// saveDeskCase saves a case of item (SCJG-XK-001 or GHZY-XK-001) in state,
// taken in at at, whose accept_by is due.
func saveDeskCase(t *testing.T, st *store.Store, item string, state casework.State, at, due time.Time) *casework.Case {
	t.Helper()
	dept := item[:4]
	c := &casework.Case{
		ItemCode: item, ItemVersion: 1, ItemName: item, DepartmentCode: dept,
		Kind: catalog.Promised, PromisedDays: 5, State: state, Channel: casework.AtWindow, HallCode: demo.DistrictHall,
		Applicant: casework.Party{Kind: casework.Entity, Name: "江川区味来餐饮管理有限公司"},
		Delivery:  casework.Delivery{Method: casework.Pickup}, CheckCode: "123456",
		ReceivedAt: at, ReceivedBy: "shouli", Deadlines: casework.Deadlines{AcceptBy: due},
	}
	ev := &casework.Event{Type: casework.ActIntake, Actor: "shouli", Role: "intake", Desk: "web", At: at,
		To: state, Details: json.RawMessage(`{}`)}
	must(t, st.CreateCase(t.Context(), c, ev, casework.Opened))
	return c
}

func TestDeskCases(t *testing.T) {
	storetest.Each(t, clock.At(start), func(t *testing.T, st *store.Store) {
		ctx := t.Context()
		must(t, st.Load(ctx, demoSeed(), "test"))
		day := func(n int) time.Time { return start.AddDate(0, 0, n) }
		late := saveDeskCase(t, st, "SCJG-XK-001", casework.Received, start, day(3))
		early := saveDeskCase(t, st, "SCJG-XK-001", casework.Received, start, day(1))
		saveDeskCase(t, st, "SCJG-XK-001", casework.Archived, start, time.Time{})
		other := saveDeskCase(t, st, "GHZY-XK-001", casework.Received, start, day(2))

		got, err := st.DeskCases(ctx, store.DeskFilter{States: []casework.State{casework.Received, casework.Accepted}, Department: "SCJG"})
		must(t, err)
		var numbers []string
		for _, c := range got {
			numbers = append(numbers, c.Number)
		}
		// The received SCJG cases, earliest running deadline first; not the
		// archived one, not GHZY's.
		if want := []string{early.Number, late.Number}; !slices.Equal(numbers, want) {
			t.Errorf("SCJG received: %v, want %v", numbers, want)
		}
		if got[0].Version != 1 || got[0].CheckCode != "123456" || got[0].ID == 0 {
			t.Errorf("case columns not filled: %+v", got[0])
		}
		all, err := st.DeskCases(ctx, store.DeskFilter{States: []casework.State{casework.Received}})
		must(t, err)
		if len(all) != 3 || all[1].Number != other.Number {
			t.Errorf("every department: %d cases, second %s", len(all), all[1].Number)
		}
		_, err = st.DeskCases(ctx, store.DeskFilter{})
		wantField(t, err, "state")

		byNumber, err := st.CasesByNumber(ctx, []string{other.Number, early.Number})
		must(t, err)
		if len(byNumber) != 2 || byNumber[0].Number != other.Number || byNumber[1].Number != early.Number {
			t.Errorf("by number: %+v", byNumber)
		}
		_, err = st.CasesByNumber(ctx, []string{early.Number, "20990101000001"})
		wantCode(t, err, apperr.NotFound)
	})
}

func TestLatestDocumentsAndUserNames(t *testing.T) {
	storetest.Each(t, clock.At(start), func(t *testing.T, st *store.Store) {
		ctx := t.Context()
		must(t, st.Load(ctx, demoSeed(), "test"))
		c := saveDeskCase(t, st, "SCJG-XK-001", casework.Received, start, start.AddDate(0, 0, 2))
		bare := saveDeskCase(t, st, "SCJG-XK-001", casework.Received, start, start.AddDate(0, 0, 2))
		for i, by := range []string{"shenpi", "shenpi2"} {
			at := start.Add(time.Duration(i+1) * time.Hour)
			_, err := st.UpdateCase(ctx, c.Number, func(c *casework.Case) (casework.Change, error) {
				data, _ := json.Marshal(casework.HandoverData{Number: c.Number, SignedBy: by, SignedAt: at})
				ev := &casework.Event{Type: casework.ActHandover, Actor: by, Role: "reviewer", Desk: "web", At: at,
					From: c.State, To: c.State, Details: json.RawMessage(`{}`)}
				return casework.Change{Event: ev, Documents: []casework.Document{{Kind: casework.HandoverSheet, Title: "材料交接表", CreatedAt: at, Data: data}}}, nil
			})
			must(t, err)
		}
		docs, err := st.LatestDocuments(ctx, []string{c.Number, bare.Number}, casework.HandoverSheet)
		must(t, err)
		var hd casework.HandoverData
		must(t, json.Unmarshal(docs[c.Number].Data, &hd))
		if len(docs) != 1 || hd.SignedBy != "shenpi2" || docs[c.Number].EventSeq != 3 || !docs[c.Number].CreatedAt.Equal(start.Add(2*time.Hour)) {
			t.Errorf("latest handover sheet: %d docs, %+v, %+v", len(docs), docs[c.Number], hd)
		}
		if receipts, err := st.LatestDocuments(ctx, []string{c.Number}, casework.DeliveryReceipt); err != nil || len(receipts) != 0 {
			t.Errorf("no delivery receipt yet: %v %+v", err, receipts)
		}

		names, err := st.UserNames(ctx, []string{"shouli", "shenpi", "nobody"})
		must(t, err)
		if len(names) != 2 || names["shouli"] != "张晓梅" || names["shenpi"] != "王建国" {
			t.Errorf("names: %+v", names)
		}
	})
}
