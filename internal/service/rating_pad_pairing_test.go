package service_test

import (
	"context"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/demo"
	"github.com/onewindow/onewindow/internal/store"
	"github.com/onewindow/onewindow/internal/store/storetest"
)

// TestPairPadByTheWindowsClerk: a window's rating pad is paired by the
// clerk signed in at that window (or a bureau admin), never by another
// clerk, a clerk not signed in at any window, or a supervisor; pairing
// again makes the earlier tablet stop working.
func TestPairPadByTheWindowsClerk(t *testing.T) {
	clk := clock.At(start.Add(30 * time.Minute))
	storetest.Each(t, clk, func(t *testing.T, st *store.Store) {
		clk.Set(start.Add(30 * time.Minute))
		svc, as := hall(t, st, clk)
		if err := svc.LoadDemoQueue(as["system"]); err != nil {
			t.Fatal(err)
		}
		pair := func(user, window string) (string, error) {
			return svc.PairPad(as[user], demo.DistrictHall, window)
		}
		refused := func(user, window string, code apperr.Code) {
			t.Helper()
			if _, err := pair(user, window); !apperr.Is(err, code) {
				t.Errorf("%s pairs %s's pad: %v, want %s", user, window, err, code)
			}
		}
		refused("shouli", "A01", apperr.Forbidden) // not signed in at A01 yet
		if _, err := svc.Resume(as["shouli"], demo.DistrictHall, "A01"); err != nil {
			t.Fatal(err)
		}
		admins, err := pair("admin", "A01")
		if err != nil {
			t.Fatalf("the bureau's admin pairs A01: %v", err)
		}
		clerks, err := pair("shouli", "A01")
		if err != nil {
			t.Fatalf("the clerk at A01 pairs its pad: %v", err)
		}
		refused("shouli", "A02", apperr.Forbidden)  // another window
		refused("chujian", "A01", apperr.Forbidden) // a colleague not signed in at A01
		refused("jiandu", "A01", apperr.Forbidden)
		refused("shenpi", "A01", apperr.Forbidden)
		refused("anonymous", "A01", apperr.Unauthorized)
		refused("shouli", "Z99", apperr.NotFound)

		if _, err := svc.PadPending(context.Background(), demo.DistrictHall, "A01", clerks); err != nil {
			t.Errorf("the tablet the clerk paired: %v", err)
		}
		if _, err := svc.PadPending(context.Background(), demo.DistrictHall, "A01", admins); !apperr.Is(err, apperr.Unauthorized) {
			t.Errorf("the tablet paired before: %v, want it to stop working", err)
		}
	})
}
