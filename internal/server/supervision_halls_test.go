package server_test

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/onewindow/onewindow/internal/demo"
	"github.com/onewindow/onewindow/internal/export"
)

type hallFiguresReply struct {
	Rows []struct {
		Hall        string `json:"hall"`
		Name        string `json:"name"`
		Intake      int    `json:"intake"`
		IntakeCases string `json:"intake_cases"`
		Transit     struct {
			Trips   int    `json:"trips"`
			Minutes int64  `json:"minutes"`
			P90     *int64 `json:"p90_hours"`
			Cases   string `json:"cases"`
		} `json:"transit"`
		Pickups     int    `json:"pickups"`
		PickupCases string `json:"pickup_cases"`
	} `json:"rows"`
}

// TestHallFiguresAPI: GET /api/v1/supervision/halls over HTTP: a street
// case whose paper arrived on Monday counts its transit (Friday 14:59 to
// Monday 10:05: 186 working minutes); the links list what the numbers
// count; xlsx and CSV by format or Accept; refusals before any byte; the
// hall manager's row; both operations in the OpenAPI document.
func TestHallFiguresAPI(t *testing.T) {
	eachDesk(t, "2026-12-04T14:59:00+08:00", func(t *testing.T, d *caseDesk) {
		r := d.post(t, "shouli2", "/api/v1/cases", foodLicence())
		mustStatus(t, r, http.StatusCreated)
		number := decodeAs[caseBody](t, r).Number
		r = d.post(t, "shouli2", "/api/v1/transit/batches", map[string]any{"to": demo.DistrictHall, "confirm": true})
		mustStatus(t, r, http.StatusCreated)
		path := "/api/v1/transit/batches/" + decodeAs[batchReply](t, r).Number
		mustStatus(t, d.post(t, "shouli2", path+"/sign-out", map[string]any{"courier": "王师傅", "confirm": true}), http.StatusOK)
		d.at("2026-12-07T10:05:00+08:00")
		mustStatus(t, d.post(t, "shouli", path+"/sign-in", map[string]any{"confirm": true}), http.StatusOK)

		const period = "from=2026-12-01&to=2026-12-31"
		r = d.get(t, "jiandu", "/api/v1/supervision/halls?"+period)
		mustStatus(t, r, http.StatusOK)
		body := decodeAs[hallFiguresReply](t, r)
		if len(body.Rows) != 4 || body.Rows[0].Hall != demo.DistrictHall || body.Rows[1].Hall != demo.BinheHall {
			t.Fatalf("rows %s", r.body)
		}
		binhe := body.Rows[1]
		if binhe.Intake != 1 || binhe.Transit.Trips != 1 || binhe.Transit.Minutes != 186 || binhe.Transit.P90 == nil || *binhe.Transit.P90 != 4 {
			t.Errorf("滨河 %+v", binhe)
		}
		tr := d.get(t, "jiandu", binhe.Transit.Cases)
		mustStatus(t, tr, http.StatusOK)
		moves := decodeAs[struct {
			Total int `json:"total"`
			Moves []struct {
				Number  string `json:"number"`
				Minutes int64  `json:"minutes"`
			} `json:"moves"`
		}](t, tr)
		if moves.Total != 1 || len(moves.Moves) != 1 || moves.Moves[0].Number != number || moves.Moves[0].Minutes != 186 {
			t.Errorf("transit drill-down %s", tr.body)
		}
		in := d.get(t, "jiandu", binhe.IntakeCases)
		if n := decodeAs[struct {
			Total int `json:"total"`
		}](t, in).Total; n != 1 {
			t.Errorf("intake drill-down %s", in.body)
		}
		pk := d.get(t, "jiandu", binhe.PickupCases)
		if n := decodeAs[struct {
			Total int `json:"total"`
		}](t, pk).Total; n != 0 || pk.status != 200 {
			t.Errorf("pickup drill-down %s", pk.body)
		}

		// Spreadsheets, by format and by Accept.
		x, h := d.sendAs(t, "GET", d.tokens["jiandu"], "/api/v1/supervision/halls?"+period+"&format=xlsx", nil, nil)
		mustStatus(t, x, http.StatusOK)
		if h.Get("Content-Type") != export.XLSXType || !strings.Contains(h.Get("Content-Disposition"), "filename*=UTF-8''") {
			t.Errorf("xlsx headers %v", h)
		}
		wb, err := excelize.OpenReader(bytes.NewReader(x.body))
		if err != nil {
			t.Fatal(err)
		}
		cells, err := wb.GetRows("各大厅")
		if err != nil || len(cells) != 5 || cells[2][0] != "江川区滨河街道为民服务中心" || cells[2][2] != "1" {
			t.Errorf("workbook rows %v: %v", cells, err)
		}
		c, h := d.sendAs(t, "GET", d.tokens["jiandu"], "/api/v1/supervision/halls?"+period, nil, map[string]string{"Accept": "text/csv"})
		mustStatus(t, c, http.StatusOK)
		if !strings.HasPrefix(string(c.body), export.BOM+"大厅,层级,收件数") || !strings.HasPrefix(h.Get("Content-Type"), "text/csv") {
			t.Errorf("csv %s %v", c.body, h)
		}

		// The hall manager's row; refusals.
		r = d.get(t, "dating", "/api/v1/supervision/halls?"+period)
		mustStatus(t, r, http.StatusOK)
		if rows := decodeAs[hallFiguresReply](t, r).Rows; len(rows) != 1 || rows[0].Hall != demo.DistrictHall {
			t.Errorf("hall manager's rows %s", r.body)
		}
		mustStatus(t, d.get(t, "dating", binhe.Transit.Cases), http.StatusForbidden)
		mustStatus(t, d.get(t, "dating", "/api/v1/supervision/halls?"+period+"&format=csv"), http.StatusOK)
		mustStatus(t, d.get(t, "shenpi", "/api/v1/supervision/halls?"+period+"&format=xlsx"), http.StatusForbidden)
		mustStatus(t, d.get(t, "", "/api/v1/supervision/halls?"+period), http.StatusUnauthorized)
		for _, bad := range []string{"?from=2026-12-31&to=2026-12-01", "?" + period + "&format=pdf", "?from=2026-12-01"} {
			if r := d.get(t, "jiandu", "/api/v1/supervision/halls"+bad); r.status != http.StatusUnprocessableEntity {
				t.Errorf("%s: %d %s", bad, r.status, r.body)
			}
		}
		mustStatus(t, d.get(t, "jiandu", "/api/v1/supervision/moves?"+period+"&key="+demo.BinheHall+"&kind=mail"), http.StatusUnprocessableEntity)
		o := d.get(t, "", "/api/v1/openapi.json")
		for _, p := range []string{`"/supervision/halls"`, `"/supervision/moves"`} {
			if !strings.Contains(string(o.body), p) {
				t.Errorf("OpenAPI lacks %s", p)
			}
		}
	})
}
