package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/org"
)

// CreateDepartment adds a department; its code and credit code must be new.
func (s *Store) CreateDepartment(ctx context.Context, d *org.Department) error {
	now := s.clock.Now()
	return s.update(ctx, func(tx *sql.Tx) error { return createDepartment(ctx, tx, d, now) })
}

func createDepartment(ctx context.Context, tx *sql.Tx, d *org.Department, now time.Time) error {
	return tx.QueryRowContext(ctx,
		`INSERT INTO departments (code, name, credit_code, created_at) VALUES ($1, $2, $3, $4) RETURNING id`,
		d.Code, d.Name, d.CreditCode, stamp(now)).Scan(&d.ID)
}

// Departments lists every department by code.
func (s *Store) Departments(ctx context.Context) ([]org.Department, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT id, code, name, credit_code FROM departments ORDER BY code`)
	if err != nil {
		return nil, mapErr(err, "list departments")
	}
	defer rows.Close()
	var out []org.Department
	for rows.Next() {
		var d org.Department
		if err := rows.Scan(&d.ID, &d.Code, &d.Name, &d.CreditCode); err != nil {
			return nil, mapErr(err, "scan department")
		}
		out = append(out, d)
	}
	return out, mapErr(rows.Err(), "list departments")
}

// Department returns the department with code.
func (s *Store) Department(ctx context.Context, code string) (*org.Department, error) {
	var d org.Department
	err := s.read.QueryRowContext(ctx, `SELECT id, code, name, credit_code FROM departments WHERE code = $1`, code).
		Scan(&d.ID, &d.Code, &d.Name, &d.CreditCode)
	if err != nil {
		return nil, notFound(err, "未知的部门："+code)
	}
	return &d, nil
}

// departmentID resolves a department code inside tx; an unknown code is
// invalid input naming field.
func departmentID(ctx context.Context, tx *sql.Tx, code, field string) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM departments WHERE code = $1`, code).Scan(&id)
	if err == sql.ErrNoRows {
		return 0, apperr.Field(field, "未知的部门："+code)
	}
	return id, err
}

func hallID(ctx context.Context, tx *sql.Tx, code, field string) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM halls WHERE code = $1`, code).Scan(&id)
	if err == sql.ErrNoRows {
		return 0, apperr.Field(field, "未知的大厅："+code)
	}
	return id, err
}

// CreateHall adds a hall; a street or community hall names its parent.
func (s *Store) CreateHall(ctx context.Context, h *org.Hall) error {
	return s.update(ctx, func(tx *sql.Tx) error { return createHall(ctx, tx, h) })
}

func createHall(ctx context.Context, tx *sql.Tx, h *org.Hall) error {
	var parent int64
	if h.ParentCode != "" {
		var err error
		if parent, err = hallID(ctx, tx, h.ParentCode, "parent_code"); err != nil {
			return err
		}
	}
	if err := bump(ctx, tx, hallsCounter); err != nil { // the nodes' cached halls: CacheVersions
		return err
	}
	return tx.QueryRowContext(ctx,
		`INSERT INTO halls (code, name, level, parent_id, address) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
		h.Code, h.Name, string(h.Level), dbNull(parent), h.Address).Scan(&h.ID)
}

// Halls lists every hall, the district hall first.
func (s *Store) Halls(ctx context.Context) ([]org.Hall, error) {
	rows, err := s.rows(ctx, `
		SELECT h.id, h.code, h.name, h.level, COALESCE(p.code, ''), h.address
		FROM halls h LEFT JOIN halls p ON p.id = h.parent_id
		ORDER BY CASE h.level WHEN 'district' THEN 0 WHEN 'street' THEN 1 ELSE 2 END, h.code`)
	if err != nil {
		return nil, mapErr(err, "list halls")
	}
	defer rows.Close()
	var out []org.Hall
	for rows.Next() {
		var h org.Hall
		var level string
		if err := rows.Scan(&h.ID, &h.Code, &h.Name, &level, &h.ParentCode, &h.Address); err != nil {
			return nil, mapErr(err, "scan hall")
		}
		h.Level = org.HallLevel(level)
		out = append(out, h)
	}
	return out, mapErr(rows.Err(), "list halls")
}

// CreateWindow adds a window to its hall.
func (s *Store) CreateWindow(ctx context.Context, w *org.Window) error {
	return s.update(ctx, func(tx *sql.Tx) error { return createWindow(ctx, tx, w) })
}

func createWindow(ctx context.Context, tx *sql.Tx, w *org.Window) error {
	hall, err := hallID(ctx, tx, w.HallCode, "hall_code")
	if err != nil {
		return err
	}
	var dept int64
	if w.DepartmentCode != "" {
		if dept, err = departmentID(ctx, tx, w.DepartmentCode, "department_code"); err != nil {
			return err
		}
	}
	return tx.QueryRowContext(ctx,
		`INSERT INTO windows (hall_id, number, name, kind, department_id) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
		hall, w.Number, w.Name, string(w.Kind), dbNull(dept)).Scan(&w.ID)
}

// Windows lists the windows of a hall ("" for every hall) by number.
func (s *Store) Windows(ctx context.Context, hallCode string) ([]org.Window, error) {
	rows, err := s.read.QueryContext(ctx, `
		SELECT w.id, h.code, w.number, w.name, w.kind, COALESCE(d.code, '')
		FROM windows w JOIN halls h ON h.id = w.hall_id LEFT JOIN departments d ON d.id = w.department_id
		WHERE $1 = '' OR h.code = $1
		ORDER BY h.code, w.number`, hallCode)
	if err != nil {
		return nil, mapErr(err, "list windows")
	}
	defer rows.Close()
	var out []org.Window
	for rows.Next() {
		var w org.Window
		var kind string
		if err := rows.Scan(&w.ID, &w.HallCode, &w.Number, &w.Name, &kind, &w.DepartmentCode); err != nil {
			return nil, mapErr(err, "scan window")
		}
		w.Kind = org.WindowKind(kind)
		out = append(out, w)
	}
	return out, mapErr(rows.Err(), "list windows")
}

// IsEmpty reports whether the database holds no department and no user
// yet: the demo district is loaded only into an empty database.
func (s *Store) IsEmpty(ctx context.Context) (bool, error) {
	var n int
	err := s.read.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM departments) + (SELECT COUNT(*) FROM users)`).Scan(&n)
	return n == 0, mapErr(err, "count")
}
