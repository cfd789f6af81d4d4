package store

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/org"
)

const userColumns = `u.id, u.username, u.name, u.role, COALESCE(d.code, ''), COALESCE(h.code, ''), u.password_hash, u.active, u.created_at, u.password_changed_at, u.extra_roles`

const userFrom = ` FROM users u LEFT JOIN departments d ON d.id = u.department_id LEFT JOIN halls h ON h.id = u.hall_id `

func scanUser(row interface{ Scan(...any) error }) (*org.User, error) {
	var u org.User
	var role, extra string
	if err := row.Scan(&u.ID, &u.Username, &u.Name, &role, &u.DepartmentCode, &u.HallCode, &u.PasswordHash, &u.Active, timeDest{&u.CreatedAt}, timeDest{&u.PasswordChangedAt}, &extra); err != nil {
		return nil, err
	}
	u.Role = org.Role(role)
	if extra != "" {
		u.Roles = append([]org.Role{u.Role}, org.ParseRoles(extra)...)
	}
	return &u, nil
}

// CreateUser adds a staff account with its password hash; the username
// must be new.
func (s *Store) CreateUser(ctx context.Context, u *org.User) error {
	now := s.clock.Now()
	return s.update(ctx, func(tx *sql.Tx) error { return createUser(ctx, tx, u, now) })
}

func createUser(ctx context.Context, tx *sql.Tx, u *org.User, now time.Time) error {
	var dept, hall int64
	var err error
	if u.DepartmentCode != "" {
		if dept, err = departmentID(ctx, tx, u.DepartmentCode, "department"); err != nil {
			return err
		}
	}
	if u.HallCode != "" {
		if hall, err = hallID(ctx, tx, u.HallCode, "hall"); err != nil {
			return err
		}
	}
	err = tx.QueryRowContext(ctx, `
		INSERT INTO users (username, name, role, department_id, hall_id, password_hash, active, created_at, password_changed_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id`,
		u.Username, u.Name, string(u.PrimaryRole()), dbNull(dept), dbNull(hall), u.PasswordHash, u.Active, stamp(now)).Scan(&u.ID)
	if apperr.Is(mapErr(err, ""), apperr.Conflict) {
		return apperr.Field("username", "用户名已存在："+u.Username)
	}
	if err != nil {
		return err
	}
	u.CreatedAt, u.PasswordChangedAt = now, now
	// Extra roles are written apart, only where there are some, so that
	// accounts of one role still load into a schema before migration
	// 00034 (as the migration tests load the demo's at the versions they
	// migrate from).
	if extra := u.ExtraRoles(); len(extra) > 0 {
		_, err = tx.ExecContext(ctx, `UPDATE users SET extra_roles = $1 WHERE id = $2`, org.RolesText(extra), u.ID)
	}
	return err
}

// UserByUsername returns the account with username.
func (s *Store) UserByUsername(ctx context.Context, username string) (*org.User, error) {
	u, err := scanUser(s.read.QueryRowContext(ctx, `SELECT `+userColumns+userFrom+`WHERE u.username = $1`, username))
	if err != nil {
		return nil, notFound(err, "未知的用户："+username)
	}
	return u, nil
}

// UserByID returns the account with id.
func (s *Store) UserByID(ctx context.Context, id int64) (*org.User, error) {
	u, err := scanUser(s.read.QueryRowContext(ctx, `SELECT `+userColumns+userFrom+`WHERE u.id = $1`, id))
	if err != nil {
		return nil, notFound(err, "未知的用户")
	}
	return u, nil
}

// Users lists every account by username.
func (s *Store) Users(ctx context.Context) ([]org.User, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT `+userColumns+userFrom+`ORDER BY u.username`)
	if err != nil {
		return nil, mapErr(err, "list users")
	}
	defer rows.Close()
	var out []org.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, mapErr(err, "scan user")
		}
		out = append(out, *u)
	}
	return out, mapErr(rows.Err(), "list users")
}

// SetPassword replaces an account's password hash and revokes every API
// token it holds, so a changed password shuts out old sessions' tokens.
func (s *Store) SetPassword(ctx context.Context, userID int64, hash string) error {
	now := stamp(s.clock.Now())
	return s.update(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = $1, password_changed_at = $2 WHERE id = $3`, hash, now, userID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.New(apperr.NotFound, "未知的用户")
		}
		_, err = tx.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL`, now, userID)
		return err
	})
}

// Token is an API bearer token's record; the token itself is never stored.
type Token struct {
	Hash      string
	UserID    int64
	CreatedAt time.Time
	ExpiresAt time.Time
}

// CreateToken records a new API token by its hash.
func (s *Store) CreateToken(ctx context.Context, t Token) error {
	return s.update(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO api_tokens (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)`,
			t.Hash, t.UserID, stamp(t.CreatedAt), stamp(t.ExpiresAt))
		return err
	})
}

// userByTokenQuery finds a token's account: every API request asks it.
var userByTokenQuery = `SELECT ` + userColumns + userFrom + `
		JOIN api_tokens t ON t.user_id = u.id
		WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND t.expires_at > $2 AND u.active`

// UserByToken returns the active account holding the unexpired, unrevoked
// token with hash, as of now.
func (s *Store) UserByToken(ctx context.Context, hash string, now time.Time) (*org.User, error) {
	// Every API request asks this: prepared once (SQLite parses a
	// statement anew each time otherwise, which cost more than the lookup).
	u, err := scanUser(s.row(ctx, userByTokenQuery, hash, stamp(now)))
	if err != nil {
		if err == sql.ErrNoRows {
			return nil, apperr.New(apperr.Unauthorized, "登录已失效，请重新登录")
		}
		return nil, mapErr(err, "token")
	}
	return u, nil
}

// RevokeToken ends the token with hash (logout).
func (s *Store) RevokeToken(ctx context.Context, hash string) error {
	now := stamp(s.clock.Now())
	return s.update(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = $1 WHERE token_hash = $2 AND revoked_at IS NULL`, now, hash)
		return err
	})
}

// lockKey is what login_failures and rate_limits keep of a limit's key:
// the keyed hash of each of its "|"-separated parts (the service escapes a
// typed "|"), joined as they were. A key may name an applicant's phone
// ("phone:…") or a client's address, so none is kept in clear; keys are
// only ever looked up by equality, or by their first part (a subject's
// keys with every client).
func (s *Store) lockKey(key string) (string, error) {
	parts := strings.Split(key, "|")
	for i, p := range parts {
		h, err := s.hash(hashLock, p)
		if err != nil {
			return "", err
		}
		parts[i] = h
	}
	return strings.Join(parts, "|"), nil
}

// lockKeys is lockKey of each of keys.
func (s *Store) lockKeys(keys []string) ([]string, error) {
	out := make([]string, len(keys))
	for i, k := range keys {
		h, err := s.lockKey(k)
		if err != nil {
			return nil, err
		}
		out[i] = h
	}
	return out, nil
}

// SignIn is one sign-in attempt for the record.
type SignIn struct {
	At         time.Time
	Username   string
	UserID     int64
	Outcome    string // ok, bad_password, unknown_user, locked, inactive
	Channel    string // api, web, cli
	RemoteAddr string
	RequestID  string
}

// LogSignIn records a sign-in attempt.
func (s *Store) LogSignIn(ctx context.Context, e SignIn) error {
	return s.update(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `
			INSERT INTO sign_ins (at, username, user_id, outcome, channel, remote_addr, request_id) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			stamp(e.At), e.Username, dbNull(e.UserID), e.Outcome, e.Channel, e.RemoteAddr, e.RequestID)
		return err
	})
}

// SignIns returns the newest sign-in attempts, newest first.
func (s *Store) SignIns(ctx context.Context, limit int) ([]SignIn, error) {
	rows, err := s.read.QueryContext(ctx, `
		SELECT at, username, COALESCE(user_id, 0), outcome, channel, remote_addr, request_id
		FROM sign_ins ORDER BY id DESC LIMIT $1`, limit)
	if err != nil {
		return nil, mapErr(err, "sign-ins")
	}
	defer rows.Close()
	var out []SignIn
	for rows.Next() {
		var e SignIn
		if err := rows.Scan(timeDest{&e.At}, &e.Username, &e.UserID, &e.Outcome, &e.Channel, &e.RemoteAddr, &e.RequestID); err != nil {
			return nil, mapErr(err, "scan sign-in")
		}
		out = append(out, e)
	}
	return out, mapErr(rows.Err(), "sign-ins")
}
