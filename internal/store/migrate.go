package store

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"

	"github.com/onewindow/onewindow/internal/calendar"
)

//go:embed migrations/sqlite/*.sql migrations/postgres/*.sql
var migrations embed.FS

// Published holiday years copied into the calendar table by migration 2.
const (
	seedFromYear = 2020
	seedToYear   = 2027
)

func (s *Store) provider() (*goose.Provider, error) {
	dialect, folder := goose.DialectSQLite3, "migrations/sqlite"
	var opts []goose.ProviderOption
	if s.dialect == Postgres {
		dialect, folder = goose.DialectPostgres, "migrations/postgres"
		// Several nodes may start at once on one PostgreSQL: one migrates,
		// the others wait for it.
		locker, err := lock.NewPostgresSessionLocker()
		if err != nil {
			return nil, err
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	fsys, err := fs.Sub(migrations, folder)
	if err != nil {
		return nil, err
	}
	opts = append(opts,
		goose.WithDisableGlobalRegistry(true),
		goose.WithGoMigrations(goose.NewGoMigration(2, &goose.GoFunc{RunTx: s.seedCalendar}, nil)),
	)
	return goose.NewProvider(dialect, s.write, fsys, opts...)
}

// seedCalendar copies the State Council's published holidays and 调休
// working days into the calendar table, once; from then on they are edited
// there.
func (s *Store) seedCalendar(ctx context.Context, tx *sql.Tx) error {
	now := stamp(s.clock.Now())
	for _, o := range calendar.Published(seedFromYear, seedToYear) {
		if _, err := tx.ExecContext(ctx,
			`INSERT INTO calendar_days (day, working, name, updated_at, updated_by) VALUES ($1, $2, $3, $4, 'system')`,
			o.Date.String(), o.Working, o.Name, now); err != nil {
			return fmt.Errorf("seed calendar %s: %w", o.Date, err)
		}
	}
	return nil
}

// Migrate applies every pending migration and returns how many ran.
func (s *Store) Migrate(ctx context.Context) (int, error) {
	p, err := s.provider()
	if err != nil {
		return 0, fmt.Errorf("migrations: %w", err)
	}
	results, err := p.Up(ctx)
	if err != nil {
		return len(results), fmt.Errorf("migrate: %w", err)
	}
	return len(results), s.Prepare(ctx)
}

// MigrateTo applies the pending migrations up to version and no further,
// and returns how many ran: for tests of what a migration does to the
// data an older schema holds.
func (s *Store) MigrateTo(ctx context.Context, version int64) (int, error) {
	p, err := s.provider()
	if err != nil {
		return 0, fmt.Errorf("migrations: %w", err)
	}
	results, err := p.UpTo(ctx, version)
	if err != nil {
		return len(results), fmt.Errorf("migrate to %d: %w", version, err)
	}
	return len(results), nil
}

// SchemaVersion returns the database's schema version and the newest this
// program knows.
func (s *Store) SchemaVersion(ctx context.Context) (current, newest int64, err error) {
	p, err := s.provider()
	if err != nil {
		return 0, 0, err
	}
	return p.GetVersions(ctx)
}

// CheckSchema refuses a database whose schema is older or newer than this
// program's: a node must never serve on a schema it does not know.
func (s *Store) CheckSchema(ctx context.Context) error {
	current, newest, err := s.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	if current != newest {
		return fmt.Errorf("database schema is at version %d, this program needs %d: run `onewindow migrate`", current, newest)
	}
	return nil
}
