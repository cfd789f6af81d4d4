package store

import "context"

// MigrateTo applies the migrations up to version only, as an older program
// would have: for tests of upgrades from an older schema. It prepares no
// statements (they need the newest schema).
func (s *Store) MigrateTo(ctx context.Context, version int64) error {
	p, err := s.provider()
	if err != nil {
		return err
	}
	_, err = p.UpTo(ctx, version)
	return err
}
