package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/export"
	"github.com/onewindow/onewindow/internal/service"
)

// The ledgers through the API: JSON pages, exports by format and by
// Accept, and the refusals before any byte of a file.
func TestLedgerAPI(t *testing.T) {
	eachDatabase(t, func(t *testing.T, f *fixture) {
		svc := service.New(f.st, f.clk, slog.New(slog.NewTextHandler(io.Discard, nil)), service.DefaultConfig())
		// The sweep opens a notice on every step of the history open past
		// its deadline: the notice ledger's lines. Whether 30 made-up cases
		// leave one open past its deadline depends on the generator's
		// story, so more are made until one does.
		var rep *service.SweepReport
		cases := 0
		for seed := uint64(4); ; seed++ {
			_, err := svc.GenerateHistory(service.AsSystem(context.Background()), service.HistoryOptions{
				Cases: 30, From: time.Date(2026, 8, 3, 0, 0, 0, 0, clock.Shanghai), To: start, Seed: seed})
			if err != nil {
				t.Fatal(err)
			}
			cases += 30
			if rep, err = svc.Supervision().Sweep(service.AsSystem(context.Background())); err != nil {
				t.Fatalf("sweep: %v", err)
			}
			if rep.Opened > 0 {
				break
			}
			if seed == 12 {
				t.Fatalf("no generated case left a step open past its deadline (%d cases)", cases)
			}
		}
		const period = "from=2026-08-01&to=2026-09-30"
		f.run(t, []scenario{
			{name: "case ledger page", method: "GET", path: "/api/v1/ledgers/cases?" + period + "&size=10&page=2", user: "supervisor", want: 200,
				check: func(t *testing.T, r *response) {
					var p struct {
						Ledger  string
						Title   string
						Total   int
						Page    int
						Entries []struct {
							Number   string `json:"number"`
							IDNumber string `json:"id_number"`
							Late     bool   `json:"late"`
						}
					}
					if err := json.Unmarshal(r.body, &p); err != nil {
						t.Fatal(err)
					}
					if p.Ledger != "cases" || p.Title != "办件台账" || p.Total != cases || p.Page != 2 || len(p.Entries) != 10 {
						t.Fatalf("page = %+v", p)
					}
					for _, e := range p.Entries {
						if !strings.Contains(e.IDNumber, "****") {
							t.Errorf("%s: ID number %q unmasked", e.Number, e.IDNumber)
						}
					}
				}},
			{name: "case ledger as CSV", method: "GET", path: "/api/v1/ledgers/cases?" + period + "&format=csv", user: "supervisor", want: 200,
				check: func(t *testing.T, r *response) {
					if ct := r.header.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
						t.Errorf("Content-Type %q", ct)
					}
					if cd := r.header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") || !strings.Contains(cd, "filename*=UTF-8''") {
						t.Errorf("Content-Disposition %q", cd)
					}
					if !bytes.HasPrefix(r.body, []byte(export.BOM+"办件编号,")) || bytes.Count(r.body, []byte("\r\n")) != cases+1 {
						t.Errorf("CSV: %d lines, starts %q", bytes.Count(r.body, []byte("\r\n")), r.body[:min(len(r.body), 40)])
					}
				}},
			{name: "handovers as xlsx by Accept", method: "GET", path: "/api/v1/ledgers/handovers?" + period, user: "admin",
				header: map[string]string{"Accept": export.XLSXType}, want: 200,
				check: func(t *testing.T, r *response) {
					if ct := r.header.Get("Content-Type"); ct != export.XLSXType || !bytes.HasPrefix(r.body, []byte("PK")) {
						t.Errorf("Content-Type %q, body starts %q", ct, r.body[:min(len(r.body), 4)])
					}
				}},
			{name: "ratings of the department admin's own department", method: "GET", path: "/api/v1/ledgers/ratings?" + period, user: "dept_admin", want: 200,
				check: func(t *testing.T, r *response) {
					if !strings.Contains(string(r.body), `"department":"SCJG"`) && !strings.Contains(string(r.body), `"entries":[]`) {
						t.Errorf("body %s", r.body)
					}
				}},
			{name: "notice ledger, open ones", method: "GET", path: "/api/v1/ledgers/notices?" + period + "&state=open&size=500", user: "supervisor", want: 200,
				check: func(t *testing.T, r *response) {
					var p struct {
						Ledger  string
						Total   int
						Entries []struct {
							Number   string `json:"number"`
							State    string `json:"state"`
							OpenedBy string `json:"opened_by"`
						}
					}
					if err := json.Unmarshal(r.body, &p); err != nil {
						t.Fatal(err)
					}
					if p.Ledger != "notices" || p.Total != rep.Opened || len(p.Entries) != rep.Opened {
						t.Fatalf("page = %+v, the sweep opened %d", p, rep.Opened)
					}
					for _, e := range p.Entries {
						if e.State != "open" || e.OpenedBy != "系统" {
							t.Errorf("entry %+v", e)
						}
					}
				}},
			{name: "notice ledger, answered ones as CSV", method: "GET", path: "/api/v1/ledgers/notices?" + period + "&state=answered&format=csv", user: "admin", want: 200,
				check: func(t *testing.T, r *response) {
					if !bytes.HasPrefix(r.body, []byte(export.BOM+"督办单编号,")) || bytes.Count(r.body, []byte("\r\n")) != 1 {
						t.Errorf("CSV of no answered notice: %q", r.body)
					}
				}},
			{name: "unknown notice state", method: "GET", path: "/api/v1/ledgers/notices?state=lost", user: "supervisor", want: 422},
			{name: "notice state on the case ledger", method: "GET", path: "/api/v1/ledgers/cases?state=escalated", user: "supervisor", want: 422},
			{name: "notices of a reviewer", method: "GET", path: "/api/v1/ledgers/notices", user: "reviewer", want: 403},
			{name: "another department's ledger", method: "GET", path: "/api/v1/ledgers/deliveries?department=GHZY&format=csv", user: "dept_admin", want: 403},
			{name: "intake clerk", method: "GET", path: "/api/v1/ledgers/cases?format=xlsx", user: "intake", want: 403},
			{name: "supervisor revealing ID numbers", method: "GET", path: "/api/v1/ledgers/cases?reveal_ids=true", user: "supervisor", want: 403},
			{name: "not signed in", method: "GET", path: "/api/v1/ledgers/cases", want: 401},
			{name: "unknown format", method: "GET", path: "/api/v1/ledgers/cases?format=pdf", user: "supervisor", want: 422},
			{name: "bad date", method: "GET", path: "/api/v1/ledgers/cases?from=2026-13-01&to=2026-12-31", user: "supervisor", want: 422},
			{name: "late only on the rating ledger", method: "GET", path: "/api/v1/ledgers/ratings?late=true", user: "supervisor", want: 422},
			{name: "in the OpenAPI document", method: "GET", path: "/api/v1/openapi.json", want: 200,
				check: func(t *testing.T, r *response) {
					var doc struct {
						Paths map[string]map[string]struct {
							Responses map[string]struct {
								Content map[string]any
							}
						}
					}
					if err := json.Unmarshal(r.body, &doc); err != nil {
						t.Fatal(err)
					}
					for _, p := range []string{"/ledgers/cases", "/ledgers/handovers", "/ledgers/deliveries", "/ledgers/ratings", "/ledgers/notices"} {
						c := doc.Paths[p]["get"].Responses["200"].Content
						if c["application/json"] == nil || c[export.XLSXType] == nil || c[export.CSVType] == nil {
							t.Errorf("%s: 200 content %v", p, c)
						}
					}
				}},
		})
	})
}
