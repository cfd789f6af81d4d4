package store

import (
	"context"
	"database/sql"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/org"
)

// accountsCounter is bumped first by every account change that could
// leave the district without an active bureau admin. On PostgreSQL the
// bump locks the counter's row until commit, so such changes run one
// after the other and each one's count of admins sees the others' writes;
// SQLite has one writer anyway.
const accountsCounter = "accounts"

// accountGuard matches an account only while its roles and department are
// still those the change was decided on (the permission to change it rests
// on them).
const accountGuard = `id = $1 AND role = $2 AND extra_roles = $4
	AND COALESCE((SELECT d.code FROM departments d WHERE d.id = users.department_id), '') = $3`

// UpdateUser writes after's name, roles, department and hall to the account
// before describes. If the account's role or department changed since
// before was read, it is a conflict; so is a change that leaves no active
// bureau admin. Nothing is written then.
func (s *Store) UpdateUser(ctx context.Context, before, after *org.User) error {
	return s.update(ctx, func(tx *sql.Tx) error {
		if err := bump(ctx, tx, accountsCounter); err != nil {
			return err
		}
		var dept, hall int64
		var err error
		if after.DepartmentCode != "" {
			if dept, err = departmentID(ctx, tx, after.DepartmentCode, "department"); err != nil {
				return err
			}
		}
		if after.HallCode != "" {
			if hall, err = hallID(ctx, tx, after.HallCode, "hall"); err != nil {
				return err
			}
		}
		res, err := tx.ExecContext(ctx, `UPDATE users SET name = $5, role = $6, extra_roles = $7, department_id = $8, hall_id = $9 WHERE `+accountGuard,
			before.ID, string(before.PrimaryRole()), before.DepartmentCode, org.RolesText(before.ExtraRoles()),
			after.Name, string(after.PrimaryRole()), org.RolesText(after.ExtraRoles()), dbNull(dept), dbNull(hall))
		if err != nil {
			return err
		}
		if err := changedOne(res, before.Username); err != nil {
			return err
		}
		return keepAnAdmin(ctx, tx, "role")
	})
}

// SetUserActive deactivates or reactivates the account before describes.
// Deactivation revokes every API token the account holds and may not leave
// the district without an active bureau admin.
func (s *Store) SetUserActive(ctx context.Context, before *org.User, active bool) error {
	now := stamp(s.clock.Now())
	return s.update(ctx, func(tx *sql.Tx) error {
		if err := bump(ctx, tx, accountsCounter); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE users SET active = $5 WHERE `+accountGuard,
			before.ID, string(before.PrimaryRole()), before.DepartmentCode, org.RolesText(before.ExtraRoles()), active)
		if err != nil {
			return err
		}
		if err := changedOne(res, before.Username); err != nil {
			return err
		}
		if active {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL`, now, before.ID); err != nil {
			return err
		}
		return keepAnAdmin(ctx, tx, "")
	})
}

// changedOne turns an update that matched no account into a conflict.
func changedOne(res sql.Result, username string) error {
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return apperr.New(apperr.Conflict, "账号 %s 已被他人修改，请刷新后重试", username)
	}
	return nil
}

// keepAnAdmin refuses a change, inside its transaction, that left no
// active bureau admin: nobody could administer the district any more.
func keepAnAdmin(ctx context.Context, tx *sql.Tx, field string) error {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE role = $1 AND active`, string(org.RoleAdmin)).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	e := apperr.New(apperr.Conflict, "这是最后一个启用的局管理员账号，须先另设一名局管理员")
	if field != "" {
		e.Fields = []apperr.FieldError{{Field: field, Message: e.Message}}
	}
	return e
}
