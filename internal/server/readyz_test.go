package server_test

import (
	"context"
	"testing"

	"github.com/onewindow/onewindow/internal/store/storetest"
)

// readiness is /readyz's answer.
type readiness struct {
	Status   string
	Problems []string
	Node     string
	ReadOnly bool `json:"read_only"`
	Write    struct {
		OK    bool
		MS    float64
		Fault string
	}
	Schema struct {
		Current, Binary int64
		OK              bool
	}
	Outbox struct {
		Pending   int
		InFlight  int `json:"in_flight"`
		Failed    int
		OldestAge float64 `json:"oldest_age_seconds"`
	}
}

// TestReadyz: /healthz said ok while every write failed. /readyz proves a
// write commits, reports the schema and the outbox, and answers 503 when
// the database is read-only or the schema is not this program's.
func TestReadyz(t *testing.T) {
	eachDatabase(t, func(t *testing.T, f *fixture) {
		ready := func(want int, check func(t *testing.T, r readiness)) scenario {
			return scenario{method: "GET", path: "/readyz", want: want, check: func(t *testing.T, res *response) {
				check(t, decode[readiness](t, res))
			}}
		}
		current, binary, err := f.st.SchemaVersion(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		sc := ready(200, func(t *testing.T, r readiness) {
			if r.Status != "ready" || len(r.Problems) != 0 || !r.Write.OK || r.ReadOnly || r.Node == "" ||
				!r.Schema.OK || r.Schema.Current != current || r.Schema.Binary != binary || r.Outbox.Pending != 0 {
				t.Errorf("a healthy node: %+v", r)
			}
			var beats int
			f.st.DB().QueryRow(`SELECT COUNT(*) FROM node_heartbeats WHERE node = $1`, r.Node).Scan(&beats)
			if beats != 1 {
				t.Errorf("%d heartbeat rows of %q, want 1", beats, r.Node)
			}
		})
		sc.name = "ready"
		f.run(t, []scenario{sc})

		// A notice waiting in the outbox shows, with its age.
		if _, err := f.st.DB().Exec(`INSERT INTO notifications (recipient, subject, body, created_at, next_attempt_at) VALUES ($1, $2, $3, $4, $4)`,
			"13900000000", "已收件", "测试", start.Add(-90*1e9).UTC().Format("2006-01-02T15:04:05.000000Z")); err != nil {
			t.Fatal(err)
		}
		sc = ready(200, func(t *testing.T, r readiness) {
			if r.Outbox.Pending != 1 || r.Outbox.OldestAge != 90 {
				t.Errorf("outbox %+v, want 1 pending for 90 s", r.Outbox)
			}
		})
		sc.name = "outbox backlog"
		f.run(t, []scenario{sc})

		writable := storetest.ReadOnly(t, f.st)
		sc = ready(503, func(t *testing.T, r readiness) {
			if r.Status != "not ready" || !r.ReadOnly || r.Write.OK || r.Write.Fault != "read-only" || len(r.Problems) == 0 {
				t.Errorf("a read-only database: %+v", r)
			}
		})
		sc.name = "read-only"
		health := scenario{name: "healthz stays up", method: "GET", path: "/healthz", want: 200}
		f.run(t, []scenario{sc, health})
		writable()

		// A schema this program does not know (a newer node migrated).
		if _, err := f.st.DB().Exec(`INSERT INTO goose_db_version (version_id, is_applied) VALUES ($1, true)`, binary+1); err != nil {
			t.Fatal(err)
		}
		sc = ready(503, func(t *testing.T, r readiness) {
			if r.Schema.OK || r.Schema.Current != binary+1 || !r.Write.OK || len(r.Problems) != 1 {
				t.Errorf("a newer schema: %+v", r)
			}
		})
		sc.name = "newer schema"
		f.run(t, []scenario{sc})
	})
}
