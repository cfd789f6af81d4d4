package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/sealed"
)

// Personal data at rest. ID numbers and phone numbers never reach the
// database in clear: the store seals them (package sealed: AES-256-GCM
// under the current data key, the key's id in each value) where it writes
// them and opens them where it reads them, so the domain types above it
// hold clear values and their rules do not change. Where a search or a
// unique index needs the value (recall by ID number, one open ticket per
// ID, an account per phone …), the column it uses keeps its name and holds
// the keyed hash (HMAC-SHA256) of the value instead.
//
// What is sealed where:
//   - whole JSON records that carry a person: cases.data, case_documents.data,
//     drafts.data, bundles.data, accounts.data, and the page sessions;
//   - single values: intake_attempts.applicant_id_sealed,
//     tickets.id_number_sealed and phone_sealed, appointments.id_number_sealed and
//     phone_sealed, ratings.rater_phone_sealed, notifications.recipient_sealed;
//   - hashes in: cases.applicant_id and applicant_phone, intake_attempts.applicant_id,
//     tickets.id_number, appointments.id_number, accounts.phone and
//     id_number, verification_codes.phone, notifications.recipient, and
//     login_failures.username (every lockout key, phone or not).
//
// The case record (case_events) carries no sealed value: its details name
// the applicant by name and mask ID numbers, so its hash chain covers
// nothing a key rotation rewrites, and `audit verify` needs no key.

// The purposes sealed values are bound to: a value opens only where it was
// sealed.
const (
	sealIndexKey     = "personal_data_keys.index"
	sealCaseData     = "cases.data"
	sealDocumentData = "case_documents.data"
	sealDraftData    = "drafts.data"
	sealBundleData   = "bundles.data"
	sealAccountData  = "accounts.data"
	sealAttemptID    = "intake_attempts.applicant_id"
	sealTicketID     = "tickets.id_number"
	sealTicketPhone  = "tickets.phone"
	sealBookingID    = "appointments.id_number"
	sealBookingPhone = "appointments.phone"
	sealRaterPhone   = "ratings.rater_phone"
	sealRecipient    = "notifications.recipient"
	sealSessionData  = "sessions.data"
)

// The kinds of keyed hashes: the same value hashes alike within a kind.
const (
	hashID    = "id"    // ID numbers of every type, normalised as cases keep them
	hashPhone = "phone" // phone numbers, normalised
	hashLock  = "lock"  // lockout keys ("phone:…", usernames, case numbers, addresses)
)

// ErrSealedWithoutKey says that the database holds sealed personal data
// and no data key was given.
var ErrSealedWithoutKey = errors.New("this database holds encrypted personal data: configure its data key with --data-key or ONEWINDOW_DATA_KEY")

// SealedUnder returns the id of the data key the database's index key is
// sealed under: "" when the database holds no sealed data yet.
func (s *Store) SealedUnder(ctx context.Context) (string, error) {
	var v string
	err := s.write.QueryRowContext(ctx, `SELECT value FROM personal_data_keys WHERE name = 'index'`).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("personal data keys: %w", err)
	}
	return sealed.KeyIDOf(v), nil
}

// UseKeys gives the store the data keys that seal personal data, and loads
// the index key from the database; a database that has none yet gets one,
// derived from the current key and stored sealed under it. The index key
// never changes afterwards (a rotation only seals it anew), so the hashes
// stay valid. A nil ring is refused on a database that holds sealed data;
// on one that holds none, the store then refuses every write of personal
// data. Call it once, after Migrate and before the store is used.
func (s *Store) UseKeys(ctx context.Context, ring *sealed.Keyring) error {
	under, err := s.SealedUnder(ctx)
	if err != nil {
		return err
	}
	if ring == nil {
		if under != "" {
			return fmt.Errorf("%w (its data are sealed under key %s)", ErrSealedWithoutKey, under)
		}
		s.pii = nil
		return nil
	}
	var derived []byte // the index key of a database that has none yet
	if under == "" {
		k, err := ring.DeriveIndexKey()
		if err != nil {
			return err
		}
		v, err := ring.Seal(sealIndexKey, k)
		if err != nil {
			return err
		}
		// Nodes starting together on an empty database race here: the
		// first insert wins, and every node then reads the same row.
		if _, err := s.write.ExecContext(ctx, `INSERT INTO personal_data_keys (name, value, updated_at) VALUES ('index', $1, $2)
			ON CONFLICT (name) DO NOTHING`, v, stamp(s.clock.Now())); err != nil {
			// A database that takes no write (read-only, a full disk)
			// still serves reads: the derived key is the one the row
			// would hold, and a later start that can write stores it.
			derived = k
		}
	}
	var v string
	err = s.write.QueryRowContext(ctx, `SELECT value FROM personal_data_keys WHERE name = 'index'`).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) && derived != nil {
		if err := ring.SetIndexKey(derived); err != nil {
			return err
		}
		s.pii = ring
		return nil
	}
	if err != nil {
		return fmt.Errorf("read the index key: %w", err)
	}
	k, err := ring.Open(sealIndexKey, v)
	if err != nil {
		return fmt.Errorf("the database's personal data are sealed under data key %s; the configured keys are %s: %w",
			sealed.KeyIDOf(v), ring.CurrentID(), err)
	}
	if err := ring.SetIndexKey(k); err != nil {
		return err
	}
	s.pii = ring
	return nil
}

// Keys returns the store's key ring (nil without keys).
func (s *Store) Keys() *sealed.Keyring { return s.pii }

// seal seals a single value for purpose; "" stays "".
func (s *Store) seal(purpose, v string) (string, error) {
	out, err := s.pii.SealString(purpose, v)
	return out, keyErr(err)
}

// open opens a value seal sealed; "" stays "".
func (s *Store) open(purpose, v string) (string, error) {
	out, err := s.pii.OpenString(purpose, v)
	return out, keyErr(err)
}

// hash returns the keyed hash of v as kind; "" stays "".
func (s *Store) hash(kind, v string) (string, error) {
	out, err := s.pii.Index(kind, v)
	return out, keyErr(err)
}

// sealBlob seals a whole JSON record.
func (s *Store) sealBlob(purpose string, b []byte) (string, error) {
	out, err := s.pii.Seal(purpose, b)
	return out, keyErr(err)
}

// openBlob opens a JSON record sealBlob sealed. A record still in clear (a
// row written before migration 16 that the one-time sealing has not
// reached yet) reads as it is.
func (s *Store) openBlob(purpose, text string) ([]byte, error) {
	if !sealed.IsSealed(text) {
		return []byte(text), nil
	}
	b, err := s.pii.Open(purpose, text)
	return b, keyErr(err)
}

// keyErr makes a sealing error internal: no client ever sees key ids.
func keyErr(err error) error {
	if err == nil {
		return nil
	}
	return apperr.Wrap(err, "personal data")
}

// sealedText scans a sealed single value and opens it into T.
type sealedText struct {
	s       *Store
	purpose string
	T       *string
}

// Scan implements sql.Scanner.
func (d sealedText) Scan(src any) error {
	var v string
	switch x := src.(type) {
	case nil:
	case string:
		v = x
	case []byte:
		v = string(x)
	default:
		return fmt.Errorf("scan %s: unexpected %T", d.purpose, src)
	}
	out, err := d.s.open(d.purpose, v)
	*d.T = out
	return err
}

// opened returns a scan destination that opens a value sealed for purpose
// into dst.
func (s *Store) opened(purpose string, dst *string) sealedText {
	return sealedText{s: s, purpose: purpose, T: dst}
}

// SessionStore is where page sessions are kept (the method set of
// alexedwards/scs's Store).
type SessionStore interface {
	Delete(token string) error
	Find(token string) (b []byte, found bool, err error)
	Commit(token string, b []byte, expiry time.Time) error
}

// SealSessions returns inner with every session's data sealed: a session
// may hold a form being filled in (a joint application's delivery phone,
// say). A session that does not open (written before sealing, or under a
// key since removed) is as if absent: its holder signs in again.
func (s *Store) SealSessions(inner SessionStore) SessionStore {
	return sealedSessions{s: s, inner: inner}
}

type sealedSessions struct {
	s     *Store
	inner SessionStore
}

func (x sealedSessions) Delete(token string) error { return x.inner.Delete(token) }

func (x sealedSessions) Find(token string) ([]byte, bool, error) {
	b, found, err := x.inner.Find(token)
	if err != nil || !found {
		return b, found, err
	}
	plain, err := x.s.pii.Open(sealSessionData, string(b))
	if err != nil {
		return nil, false, nil
	}
	return plain, true, nil
}

func (x sealedSessions) Commit(token string, b []byte, expiry time.Time) error {
	v, err := x.s.sealBlob(sealSessionData, b)
	if err != nil {
		return err
	}
	return x.inner.Commit(token, []byte(v), expiry)
}
