package store_test

import (
	"encoding/json"
	"testing"

	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/demo"
	"github.com/onewindow/onewindow/internal/store"
	"github.com/onewindow/onewindow/internal/store/storetest"
)

// TestMigratePickupHall runs migration 17 over cases written before it:
// every case gets the hall it collects at in the pickup_hall column, a
// fully online case (never taken in at a hall) the district hall in its
// record too, and an online case taken in after its submission the intake
// hall its record names in hall_code; the rest of each record reads back
// as it was.
func TestMigratePickupHall(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			ctx := t.Context()
			st := storetest.OpenAt(t, d, clock.At(start), 12)
			must(t, st.Load(ctx, legacySeed(), "system"))
			var itemID, deptID int64
			must(t, st.DB().QueryRowContext(ctx, `SELECT id, department_id FROM items WHERE code = 'CGJ-XK-003' AND version = 1`).Scan(&itemID, &deptID))
			legacy := []struct {
				number, hallColumn string
				c                  casework.Case
			}{
				{"20260930000001", demo.DistrictHall, casework.Case{Channel: casework.AtWindow, HallCode: demo.DistrictHall, State: casework.Decided}},
				{"20260930000002", "", casework.Case{Channel: casework.Online, OnlineFull: true, State: casework.ResultReady}},
				{"20260930000003", "", casework.Case{Channel: casework.Online, HallCode: demo.BinheHall, State: casework.Received}},
				{"20260930000004", demo.BinheHall, casework.Case{Channel: casework.Online, HallCode: demo.BinheHall, OnlineFull: true, State: casework.Accepted}},
				{"20260930000005", "", casework.Case{Channel: casework.Online, State: casework.Submitted}},
			}
			for _, l := range legacy {
				c := l.c
				c.Number, c.ItemCode, c.ItemName, c.DepartmentCode, c.Kind = l.number, "CGJ-XK-003", "临时占用城市道路审批", "CGJ", "promised"
				data, err := json.Marshal(c)
				must(t, err)
				_, err = st.DB().ExecContext(ctx, `INSERT INTO cases (number, check_code, item_id, department_id, hall_code, kind, state, version,
					applicant_name, applicant_id, received_at, updated_at, last_seq, last_hash, data)
					VALUES ($1, '123456', $2, $3, $4, 'promised', $5, 1, '某公司', '', $6, $6, 1, 'x', $7)`,
					l.number, itemID, deptID, l.hallColumn, string(c.State), "2026-09-30T09:00:00+08:00", string(data))
				must(t, err)
			}
			storetest.Migrate(t, st)

			want := map[string]struct{ hall, pickup, recorded string }{
				"20260930000001": {demo.DistrictHall, demo.DistrictHall, ""},
				"20260930000002": {"", demo.DistrictHall, demo.DistrictHall},
				"20260930000003": {demo.BinheHall, demo.BinheHall, ""},
				"20260930000004": {demo.BinheHall, demo.DistrictHall, demo.DistrictHall},
				"20260930000005": {"", "", ""},
			}
			for number, w := range want {
				var hall, pickup string
				must(t, st.DB().QueryRowContext(ctx, `SELECT hall_code, pickup_hall FROM cases WHERE number = $1`, number).Scan(&hall, &pickup))
				c, err := st.Case(ctx, number)
				must(t, err)
				if hall != w.hall || pickup != w.pickup || c.PickupHall != w.recorded || c.DeskHall(casework.PickupHall) != w.pickup {
					t.Errorf("%s: columns hall %q pickup %q, record pickup %q (desk %q); want %q %q %q",
						number, hall, pickup, c.PickupHall, c.DeskHall(casework.PickupHall), w.hall, w.pickup, w.recorded)
				}
				if c.Number != number || c.ItemName != "临时占用城市道路审批" || c.DepartmentCode != "CGJ" {
					t.Errorf("%s: the record reads back as %+v", number, c)
				}
			}
			desk, err := st.DeskCases(ctx, store.DeskFilter{States: []casework.State{casework.Decided, casework.ResultReady, casework.Accepted}, PickupHall: demo.DistrictHall})
			must(t, err)
			var numbers []string
			for _, c := range desk {
				numbers = append(numbers, c.Number)
			}
			if len(numbers) != 3 {
				t.Errorf("the district hall's issuance desk lists %q, want the cases 1, 2 and 4", numbers)
			}
		})
	}
}
