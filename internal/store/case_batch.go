package store

import (
	"context"
	"database/sql"

	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/rating"
)

// CaseBatch writes many cases' changes in one transaction: generated
// history (`onewindow demo generate`), where one commit per change would
// spend its time waiting for the disk. Each change is written exactly as
// CreateCase, UpdateCase and CreateRating write it, with its event and
// documents; only the commit is shared.
type CaseBatch struct {
	s   *Store
	ctx context.Context
	tx  *sql.Tx
}

// Batch runs fn with a batch in one write transaction: everything fn
// wrote is committed if it returns nil, nothing otherwise. The supervision
// rollups of the cases the batch creates are folded once each, when fn is
// done, and their counts written summed over the batch (bulkRollup): the
// same rows the changes would write one by one, in far fewer statements.
func (s *Store) Batch(ctx context.Context, fn func(b *CaseBatch) error) error {
	return s.update(ctx, func(tx *sql.Tx) error {
		bulk := &bulkRollup{cases: map[int64]*bulkCase{}, live: map[string]*liveCase{}}
		bctx := context.WithValue(ctx, bulkKey{}, bulk)
		if err := fn(&CaseBatch{s: s, ctx: bctx, tx: tx}); err != nil {
			return err
		}
		if err := s.flushBatchWrites(ctx, tx, &bulk.writes); err != nil {
			return err
		}
		return s.flushBulkRollup(ctx, tx, bulk)
	})
}

// CreateCase is Store.CreateCase within the batch.
func (b *CaseBatch) CreateCase(c *casework.Case, ev *casework.Event) error {
	return b.s.createCase(b.ctx, b.tx, c, ev, casework.Opened)
}

// UpdateCase is Store.UpdateCase within the batch.
func (b *CaseBatch) UpdateCase(number string, change ChangeFunc) (*casework.Case, error) {
	return b.s.updateCaseTx(b.ctx, b.tx, number, change)
}

// CreateRating is Store.CreateRating within the batch.
func (b *CaseBatch) CreateRating(r *rating.Rating, x *rating.Rectification, ev *rating.RectificationEvent) error {
	return b.s.createRating(b.ctx, b.tx, r, "", x, ev)
}

type quietKey struct{}

// WithoutNotices returns ctx under which case changes queue no notice to
// the applicant: generated history, whose events happened (in the story)
// long ago and whose applicants are invented.
func WithoutNotices(ctx context.Context) context.Context {
	return context.WithValue(ctx, quietKey{}, true)
}

func quiet(ctx context.Context) bool {
	q, _ := ctx.Value(quietKey{}).(bool)
	return q
}
