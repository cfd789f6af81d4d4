package store

import (
	"context"
	"database/sql"

	"github.com/onewindow/onewindow/internal/catalog"
	"github.com/onewindow/onewindow/internal/org"
)

// Seed is a whole organisation to load at once: the demo district, or a
// new deployment's first data.
type Seed struct {
	Departments []org.Department
	Halls       []org.Hall // parents before children
	Windows     []org.Window
	Users       []org.User // with their password hashes
	Items       []catalog.Item
}

// Load writes everything in seed in one transaction: all of it or, on any
// error, none of it.
func (s *Store) Load(ctx context.Context, seed *Seed, by string) error {
	now := s.clock.Now()
	return s.update(ctx, func(tx *sql.Tx) error {
		for i := range seed.Departments {
			if err := createDepartment(ctx, tx, &seed.Departments[i], now); err != nil {
				return err
			}
		}
		for i := range seed.Halls {
			if err := createHall(ctx, tx, &seed.Halls[i]); err != nil {
				return err
			}
		}
		for i := range seed.Windows {
			if err := createWindow(ctx, tx, &seed.Windows[i]); err != nil {
				return err
			}
		}
		for i := range seed.Users {
			if err := createUser(ctx, tx, &seed.Users[i], now); err != nil {
				return err
			}
		}
		for i := range seed.Items {
			if err := saveItem(ctx, tx, &seed.Items[i], 0, by, now); err != nil {
				return err
			}
		}
		return nil
	})
}
