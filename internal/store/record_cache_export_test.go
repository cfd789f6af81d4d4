package store

import (
	"context"
	"database/sql"

	"github.com/onewindow/onewindow/internal/casework"
)

// UpdateCaseTx changes a case in tx as UpdateCase does (tests: a change
// whose transaction then rolls back).
func (s *Store) UpdateCaseTx(ctx context.Context, tx *sql.Tx, number string, change ChangeFunc) (*casework.Case, error) {
	return s.updateCaseTx(ctx, tx, number, change)
}
