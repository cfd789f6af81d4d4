package api

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"

	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/demo"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/store"
	"github.com/onewindow/onewindow/internal/store/storetest"
)

// TestRatingRoutes registers the rating operations beside the case ones
// and runs the public paths through HTTP. The sign-in
// middleware is not mounted here: staff paths answer 401.
func TestRatingRoutes(t *testing.T) {
	now := time.Date(2026, 9, 30, 14, 0, 0, 0, clock.Shanghai)
	storetest.Each(t, clock.At(now), func(t *testing.T, st *store.Store) {
		log := slog.New(slog.NewTextHandler(io.Discard, nil))
		svc := service.New(st, clock.At(now), log, service.DefaultConfig())
		sys := service.AsSystem(context.Background())
		if _, err := svc.LoadDemo(sys, demo.Load()); err != nil {
			t.Fatal(err)
		}
		// Built here rather than with New, so that this test stands on
		// the case and rating operations alone (their schema names must
		// not collide).
		mux := http.NewServeMux()
		cfg := huma.DefaultConfig("test", "test")
		cfg.CreateHooks, cfg.DocsPath, cfg.SchemasPath, cfg.OpenAPIPath = nil, "", "", "/openapi"
		a := humago.NewWithPrefix(mux, Prefix, cfg)
		h := &Handlers{svc: svc, log: log}
		h.registerCases(a)
		h.registerRatings(a)
		token, err := svc.RatingToken(sys, "T-1", "A01", "shouli", demo.DistrictHall)
		if err != nil {
			t.Fatal(err)
		}
		body := `{"token":"` + token + `","level":2,"channel":"pad","tags":["等候时间长"],"real_name":true,"name":"李明","phone":"13912345678"}`
		tests := []struct {
			method, path, body string
			status             int
			has                []string
		}{
			{"POST", "/api/v1/ratings/visits", body, 201, []string{`"level_label":"不满意"`, `"bad":true`, `"phone":"139****5678"`, `"rectify_by":"2026-10-13T17:00:00+08:00"`, `"key":"`}},
			{"POST", "/api/v1/ratings/visits", body, 409, []string{`"code":"conflict"`}},
			{"POST", "/api/v1/ratings/visits", `{"token":"x","level":9,"channel":"pad"}`, 422, nil},
			{"POST", "/api/v1/ratings/cases/20990101000001", `{"check_code":"123456","level":5,"channel":"pc"}`, 404, nil},
			{"POST", "/api/v1/ratings/additions/1", `{"key":"ra_wrong","text":"补充"}`, 404, nil},
			{"GET", "/api/v1/rectifications", "", 401, nil},
			{"POST", "/api/v1/rectifications/1/verify", `{"note":"x"}`, 401, nil},
			{"GET", "/api/v1/ratings/rates?from=2026-09-01&to=2026-09-30", "", 401, nil},
		}
		for _, tc := range tests {
			req := httptest.NewRequest(tc.method, tc.path, strings.NewReader(tc.body))
			if tc.body != "" {
				req.Header.Set("Content-Type", "application/json")
			}
			rec := httptest.NewRecorder()
			mux.ServeHTTP(rec, req)
			if rec.Code != tc.status {
				t.Errorf("%s %s: %d %s, want %d", tc.method, tc.path, rec.Code, rec.Body, tc.status)
				continue
			}
			for _, h := range tc.has {
				if !strings.Contains(rec.Body.String(), h) {
					t.Errorf("%s %s: %s lacks %s", tc.method, tc.path, rec.Body, h)
				}
			}
			if !json.Valid(rec.Body.Bytes()) {
				t.Errorf("%s %s: not JSON: %s", tc.method, tc.path, rec.Body)
			}
		}
		var doc struct {
			Paths map[string]any `json:"paths"`
		}
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, httptest.NewRequest("GET", "/api/v1/openapi.json", nil))
		if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
			t.Fatal(err)
		}
		for _, p := range []string{"/ratings/cases/{number}", "/ratings/visits", "/ratings/additions/{id}", "/rectifications",
			"/rectifications/{id}", "/rectifications/{id}/uphold", "/ratings/rates"} {
			if _, ok := doc.Paths[p]; !ok {
				t.Errorf("OpenAPI lacks %s", p)
			}
		}
	})
}
