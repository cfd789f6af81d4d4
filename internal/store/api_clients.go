package store

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/onewindow/onewindow/internal/apiclient"
	"github.com/onewindow/onewindow/internal/apperr"
)

// The department systems that use the API and their keys (migration
// 00036). Which client may do what is apiclient's and the service's.

// CreateAPIClient stores a new client with its first key, and sets their
// ids. A name already taken is a conflict.
func (s *Store) CreateAPIClient(ctx context.Context, c *apiclient.Client, k *apiclient.Key) error {
	err := s.update(ctx, func(tx *sql.Tx) error {
		var deptID int64
		if err := tx.QueryRowContext(ctx, `SELECT id FROM departments WHERE code = $1`, c.DepartmentCode).Scan(&deptID); err != nil {
			return notFound(err, "部门不存在："+c.DepartmentCode)
		}
		err := tx.QueryRowContext(ctx, `INSERT INTO api_clients (name, department_id, scopes, rate_per_minute, created_at, created_by)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
			c.Name, deptID, apiclient.JoinScopes(c.Scopes), c.RatePerMinute, stamp(c.CreatedAt), c.CreatedBy).Scan(&c.ID)
		if err != nil {
			if e := mapErr(err, "create api client"); apperr.Is(e, apperr.Conflict) {
				return apperr.Field("name", "已有同名的接口客户端："+c.Name)
			}
			return err
		}
		k.ClientID = c.ID
		return insertClientKey(ctx, tx, k)
	})
	return mapErr(err, "create api client")
}

func insertClientKey(ctx context.Context, tx *sql.Tx, k *apiclient.Key) error {
	return tx.QueryRowContext(ctx, `INSERT INTO api_client_keys (client_id, prefix, key_hash, created_at, expires_at)
		VALUES ($1, $2, $3, $4, $5) RETURNING id`, k.ClientID, k.Prefix, k.Hash, stamp(k.CreatedAt), stamp(k.ExpiresAt)).Scan(&k.ID)
}

const clientColumns = `c.id, c.name, d.code, d.name, c.scopes, c.rate_per_minute, c.created_at, c.created_by, c.revoked_at, c.revoked_by`

func scanClient(row interface{ Scan(...any) error }) (*apiclient.Client, error) {
	var c apiclient.Client
	var scopes string
	if err := row.Scan(&c.ID, &c.Name, &c.DepartmentCode, &c.DepartmentName, &scopes, &c.RatePerMinute,
		timeDest{&c.CreatedAt}, &c.CreatedBy, timeDest{&c.RevokedAt}, &c.RevokedBy); err != nil {
		return nil, err
	}
	for part := range strings.SplitSeq(scopes, ",") {
		if part != "" {
			c.Scopes = append(c.Scopes, apiclient.Scope(part))
		}
	}
	return &c, nil
}

const keyColumns = `k.id, k.client_id, k.prefix, k.key_hash, k.created_at, k.expires_at, k.revoked_at, k.last_used_at`

func scanKey(row interface{ Scan(...any) error }) (*apiclient.Key, error) {
	var k apiclient.Key
	err := row.Scan(&k.ID, &k.ClientID, &k.Prefix, &k.Hash, timeDest{&k.CreatedAt}, timeDest{&k.ExpiresAt},
		timeDest{&k.RevokedAt}, timeDest{&k.LastUsedAt})
	return &k, err
}

// APIClients returns the clients of department (every department when
// ""), by name, each with its keys, newest first.
func (s *Store) APIClients(ctx context.Context, department string) ([]apiclient.Client, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT `+clientColumns+` FROM api_clients c JOIN departments d ON d.id = c.department_id
		WHERE $1 = '' OR d.code = $1 ORDER BY d.code, c.name`, department)
	if err != nil {
		return nil, mapErr(err, "api clients")
	}
	var out []apiclient.Client
	byID := map[int64]int{}
	for rows.Next() {
		c, err := scanClient(rows)
		if err != nil {
			rows.Close()
			return nil, mapErr(err, "api clients")
		}
		byID[c.ID] = len(out)
		out = append(out, *c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, mapErr(err, "api clients")
	}
	keys, err := s.read.QueryContext(ctx, `SELECT `+keyColumns+` FROM api_client_keys k JOIN api_clients c ON c.id = k.client_id
		JOIN departments d ON d.id = c.department_id WHERE $1 = '' OR d.code = $1 ORDER BY k.id DESC`, department)
	if err != nil {
		return nil, mapErr(err, "api client keys")
	}
	defer keys.Close()
	for keys.Next() {
		k, err := scanKey(keys)
		if err != nil {
			return nil, mapErr(err, "api client keys")
		}
		if i, ok := byID[k.ClientID]; ok {
			out[i].Keys = append(out[i].Keys, *k)
		}
	}
	return out, mapErr(keys.Err(), "api client keys")
}

// APIClient returns one client with its keys.
func (s *Store) APIClient(ctx context.Context, id int64) (*apiclient.Client, error) {
	c, err := scanClient(s.read.QueryRowContext(ctx, `SELECT `+clientColumns+` FROM api_clients c
		JOIN departments d ON d.id = c.department_id WHERE c.id = $1`, id))
	if err != nil {
		return nil, notFound(err, "接口客户端不存在")
	}
	rows, err := s.read.QueryContext(ctx, `SELECT `+keyColumns+` FROM api_client_keys k WHERE k.client_id = $1 ORDER BY k.id DESC`, id)
	if err != nil {
		return nil, mapErr(err, "api client keys")
	}
	defer rows.Close()
	for rows.Next() {
		k, err := scanKey(rows)
		if err != nil {
			return nil, mapErr(err, "api client keys")
		}
		c.Keys = append(c.Keys, *k)
	}
	return c, mapErr(rows.Err(), "api client keys")
}

// APIClientByKey returns the client whose key has hash, and that key
// (whatever their state: the caller judges). NotFound when no key has it.
func (s *Store) APIClientByKey(ctx context.Context, hash string) (*apiclient.Client, *apiclient.Key, error) {
	k, err := scanKey(s.read.QueryRowContext(ctx, `SELECT `+keyColumns+` FROM api_client_keys k WHERE k.key_hash = $1`, hash))
	if err != nil {
		return nil, nil, notFound(err, "接口密钥无效")
	}
	c, err := scanClient(s.read.QueryRowContext(ctx, `SELECT `+clientColumns+` FROM api_clients c
		JOIN departments d ON d.id = c.department_id WHERE c.id = $1`, k.ClientID))
	if err != nil {
		return nil, nil, notFound(err, "接口密钥无效")
	}
	return c, k, nil
}

// RotateAPIClientKey adds k to its client and ends the client's other
// valid keys at oldUntil (or sooner, if they already end sooner). A
// revoked client is a conflict.
func (s *Store) RotateAPIClientKey(ctx context.Context, k *apiclient.Key, oldUntil time.Time) error {
	err := s.update(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE api_clients SET scopes = scopes WHERE id = $1 AND revoked_at IS NULL`, k.ClientID)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return apperr.New(apperr.Conflict, "该接口客户端已吊销，不能再换发密钥")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE api_client_keys SET expires_at = $1
			WHERE client_id = $2 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > $1)`, stamp(oldUntil), k.ClientID); err != nil {
			return err
		}
		return insertClientKey(ctx, tx, k)
	})
	return mapErr(err, "rotate api client key")
}

// RevokeAPIClient revokes a client and every key it has, at now, by by.
// Revoking a revoked client is a conflict.
func (s *Store) RevokeAPIClient(ctx context.Context, id int64, now time.Time, by string) error {
	err := s.update(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE api_clients SET revoked_at = $1, revoked_by = $2 WHERE id = $3 AND revoked_at IS NULL`, stamp(now), by, id)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return apperr.New(apperr.Conflict, "该接口客户端不存在或已吊销")
		}
		_, err = tx.ExecContext(ctx, `UPDATE api_client_keys SET revoked_at = $1 WHERE client_id = $2 AND revoked_at IS NULL`, stamp(now), id)
		return err
	})
	return mapErr(err, "revoke api client")
}

// TouchAPIClientKey records the key's use at now, unless it was recorded
// less than apiclient.LastUseInterval before (another node got there).
func (s *Store) TouchAPIClientKey(ctx context.Context, keyID int64, now time.Time) error {
	err := s.update(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE api_client_keys SET last_used_at = $1
			WHERE id = $2 AND (last_used_at IS NULL OR last_used_at <= $3)`, stamp(now), keyID, stamp(now.Add(-apiclient.LastUseInterval)))
		return err
	})
	return mapErr(err, "touch api client key")
}
