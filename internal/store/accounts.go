package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/applicant"
	"github.com/onewindow/onewindow/internal/calendar"
)

// CreateAccount saves a new applicant account; a phone number already
// registered is a conflict.
func (s *Store) CreateAccount(ctx context.Context, a *applicant.Account) error {
	rec, err := s.sealAccount(a)
	if err != nil {
		return err
	}
	a.Version = 1
	err = s.update(ctx, func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, `INSERT INTO accounts (phone, id_number, password_hash, version, created_at, updated_at, data)
			VALUES ($1, $2, $3, 1, $4, $4, $5) RETURNING id`,
			rec.phone, rec.idNumber, a.PasswordHash, stamp(a.CreatedAt), rec.data).Scan(&a.ID)
	})
	if apperr.Is(err, apperr.Conflict) {
		return apperr.Field("phone", "该手机号已注册，请直接登录或找回密码")
	}
	return err
}

// sealedAccount is an account as its row keeps it: the phone and ID number
// as keyed hashes (one account per phone, one per ID number, found by
// them), the whole profile in sealed JSON.
type sealedAccount struct{ phone, idNumber, data string }

func (s *Store) sealAccount(a *applicant.Account) (sealedAccount, error) {
	var rec sealedAccount
	b, err := json.Marshal(a)
	if err != nil {
		return rec, apperr.Wrap(err, "account data")
	}
	if rec.data, err = s.sealBlob(sealAccountData, b); err != nil {
		return rec, err
	}
	if rec.phone, err = s.hash(hashPhone, a.Phone); err != nil {
		return rec, err
	}
	rec.idNumber, err = s.hash(hashID, a.IDNumber)
	return rec, err
}

const accountColumns = `SELECT id, password_hash, version, created_at, data FROM accounts`

func (s *Store) scanAccount(row interface{ Scan(...any) error }) (*applicant.Account, error) {
	var a applicant.Account
	var data string
	var id int64
	var hash string
	var version int
	var created time.Time
	if err := row.Scan(&id, &hash, &version, timeDest{&created}, &data); err != nil {
		return nil, err
	}
	b, err := s.openBlob(sealAccountData, data)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(b, &a); err != nil {
		return nil, apperr.Wrap(err, "account data")
	}
	a.ID, a.PasswordHash, a.Version, a.CreatedAt = id, hash, version, created
	return &a, nil
}

// AccountByPhone returns the account registered with phone.
func (s *Store) AccountByPhone(ctx context.Context, phone string) (*applicant.Account, error) {
	h, err := s.hash(hashPhone, phone)
	if err != nil {
		return nil, err
	}
	a, err := s.scanAccount(s.read.QueryRowContext(ctx, accountColumns+` WHERE phone = $1`, h))
	return a, notFound(err, "该手机号未注册")
}

// Account returns the account with id.
func (s *Store) Account(ctx context.Context, id int64) (*applicant.Account, error) {
	a, err := s.scanAccount(s.read.QueryRowContext(ctx, accountColumns+` WHERE id = $1`, id))
	return a, notFound(err, "未知的申请人账户")
}

// UpdateAccount writes the account's profile and password if its version
// is still the one read; otherwise a conflict (a stale edit). An ID number
// already held by another account is a conflict too.
func (s *Store) UpdateAccount(ctx context.Context, a *applicant.Account, now time.Time) error {
	rec, err := s.sealAccount(a)
	if err != nil {
		return err
	}
	err = s.update(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE accounts SET id_number = $1, password_hash = $2, version = version + 1,
			updated_at = $3, data = $4 WHERE id = $5 AND version = $6`,
			rec.idNumber, a.PasswordHash, stamp(now), rec.data, a.ID, a.Version)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return apperr.New(apperr.Conflict, "账户信息已在别处修改，请刷新后重试")
		}
		return nil
	})
	if apperr.Is(err, apperr.Conflict) && apperr.MessageOf(err) != "账户信息已在别处修改，请刷新后重试" {
		return apperr.Field("id_number", "该证件号码已绑定其他账户")
	}
	if err == nil {
		a.Version++
	}
	return err
}

// SaveCode stores a fresh verification code, replacing the phone's
// earlier one for the purpose. A code sent less than interval ago is a
// conflict: one code a minute. The phone column holds the phone's keyed
// hash, as every query on verification_codes must.
func (s *Store) SaveCode(ctx context.Context, c applicant.Code, interval time.Duration) error {
	phone, err := s.hash(hashPhone, c.Phone)
	if err != nil {
		return err
	}
	c.Phone = phone
	return s.update(ctx, func(tx *sql.Tx) error {
		var created time.Time
		err := tx.QueryRowContext(ctx, `SELECT created_at FROM verification_codes WHERE phone = $1 AND purpose = $2`,
			c.Phone, string(c.Purpose)).Scan(timeDest{&created})
		switch {
		case err == nil && c.CreatedAt.Sub(created) < interval:
			return apperr.New(apperr.Conflict, "验证码已发送，请 %d 秒后再试", int((interval-c.CreatedAt.Sub(created)).Seconds())+1)
		case err == nil:
			_, err = tx.ExecContext(ctx, `UPDATE verification_codes SET hash = $1, expires_at = $2, attempts = 0, created_at = $3
				WHERE phone = $4 AND purpose = $5`, c.Hash, stamp(c.ExpiresAt), stamp(c.CreatedAt), c.Phone, string(c.Purpose))
			return err
		case err == sql.ErrNoRows:
			_, err = tx.ExecContext(ctx, `INSERT INTO verification_codes (phone, purpose, hash, expires_at, attempts, created_at)
				VALUES ($1, $2, $3, $4, 0, $5)`, c.Phone, string(c.Purpose), c.Hash, stamp(c.ExpiresAt), stamp(c.CreatedAt))
			return err
		}
		return err
	})
}

// UseCode checks a typed code in one transaction: the attempt is counted
// whatever the answer, and a right code is spent (deleted). check says
// whether the stored code accepts the typed one.
func (s *Store) UseCode(ctx context.Context, phone string, purpose applicant.Purpose, check func(applicant.Code) error) error {
	clear := phone
	phone, err := s.hash(hashPhone, phone)
	if err != nil {
		return err
	}
	var verdict error
	err = s.update(ctx, func(tx *sql.Tx) error {
		c := applicant.Code{Phone: clear, Purpose: purpose} // the code's hash covers the clear phone
		err := tx.QueryRowContext(ctx, `SELECT hash, expires_at, attempts, created_at FROM verification_codes
			WHERE phone = $1 AND purpose = $2`, phone, string(purpose)).Scan(&c.Hash, timeDest{&c.ExpiresAt}, &c.Attempts, timeDest{&c.CreatedAt})
		if err == sql.ErrNoRows {
			verdict = apperr.Field("code", "请先获取验证码")
			return nil
		}
		if err != nil {
			return err
		}
		if verdict = check(c); verdict == nil {
			_, err = tx.ExecContext(ctx, `DELETE FROM verification_codes WHERE phone = $1 AND purpose = $2`, phone, string(purpose))
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE verification_codes SET attempts = attempts + 1 WHERE phone = $1 AND purpose = $2`, phone, string(purpose))
		return err
	})
	if err != nil {
		return err
	}
	return verdict
}

// CreateAuthorisation saves an applicant's mandate to an agent.
func (s *Store) CreateAuthorisation(ctx context.Context, a *applicant.Authorisation) error {
	return s.update(ctx, func(tx *sql.Tx) error {
		data, err := json.Marshal(a)
		if err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, `INSERT INTO authorisations (account_id, agent, until_day, created_at, data)
			VALUES ($1, $2, $3, $4, $5) RETURNING id`,
			a.AccountID, a.Agent, a.Until.String(), stamp(a.CreatedAt), string(data)).Scan(&a.ID)
	})
}

// RevokeAuthorisation ends an account's authorisation at now; revoking
// one already revoked, or another account's, is refused.
func (s *Store) RevokeAuthorisation(ctx context.Context, id, accountID int64, now time.Time) error {
	return s.update(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE authorisations SET revoked_at = $1 WHERE id = $2 AND account_id = $3 AND revoked_at IS NULL`,
			stamp(now), id, accountID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return apperr.New(apperr.NotFound, "未找到有效的授权")
		}
		return nil
	})
}

// Authorisations returns an account's authorisations (accountID != 0) or
// an agent's (agent != ""), newest first.
func (s *Store) Authorisations(ctx context.Context, accountID int64, agent string) ([]applicant.Authorisation, error) {
	q := `SELECT id, account_id, agent, until_day, created_at, revoked_at, data FROM authorisations WHERE `
	var arg any
	if accountID != 0 {
		q, arg = q+`account_id = $1`, accountID
	} else {
		q, arg = q+`agent = $1`, agent
	}
	rows, err := s.read.QueryContext(ctx, q+` ORDER BY id DESC`, arg)
	if err != nil {
		return nil, mapErr(err, "authorisations")
	}
	defer rows.Close()
	var out []applicant.Authorisation
	for rows.Next() {
		var a applicant.Authorisation
		var until, data string
		var id, account int64
		var agentName string
		var created, revoked time.Time
		if err := rows.Scan(&id, &account, &agentName, &until, timeDest{&created}, timeDest{&revoked}, &data); err != nil {
			return nil, mapErr(err, "scan authorisation")
		}
		if err := json.Unmarshal([]byte(data), &a); err != nil {
			return nil, apperr.Wrap(err, "authorisation data")
		}
		d, err := calendar.ParseDate(until)
		if err != nil {
			return nil, apperr.Wrap(err, "authorisation until")
		}
		a.ID, a.AccountID, a.Agent, a.Until, a.CreatedAt, a.RevokedAt = id, account, agentName, d, created, revoked
		out = append(out, a)
	}
	return out, mapErr(rows.Err(), "authorisations")
}
