package store

import (
	"context"
)

// Settle brings the database's statistics and the supervision tables up to
// date after a bulk load (generated history, a rebuild of the rollups): on
// PostgreSQL the supervision tables are vacuumed and analysed, so that the
// first figures read do not pay for setting the hint bits and pruning the
// dead row versions the load left, and the planner knows the tables'
// sizes; the other tables the load wrote are analysed. On SQLite the
// planner's statistics are refreshed (PRAGMA optimize).
func (s *Store) Settle(ctx context.Context) error {
	if s.dialect == Postgres {
		for _, q := range []string{
			`VACUUM (ANALYZE) sv_rollup, sv_steps, sv_hold, sv_moves, sv_cases`,
			`ANALYZE cases, case_events, case_ledger, case_documents, ratings`,
		} {
			if _, err := s.write.ExecContext(ctx, q); err != nil {
				return mapErr(err, "settle")
			}
		}
		return nil
	}
	_, err := s.write.ExecContext(ctx, `PRAGMA optimize`)
	return mapErr(err, "settle")
}
