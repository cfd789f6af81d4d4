package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"slices"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/casework"
)

// Upload is the record of a file kept in the blob store: what it is, and
// when it last arrived. Cases and drafts reference it by key (file_refs);
// one that nothing references is collected after a grace period.
//
// The record is written before the file is kept, and removed only after
// the file is deleted, so a kept file always has one. A collector claims a
// record before deleting its file; a transaction that adds a reference
// first updates the record where it is unclaimed, which checks and locks
// it in one statement, so a file is never deleted while a reference to it
// commits: whichever comes second sees the other.
type Upload struct {
	Key        string
	SHA256     string
	Size       int64
	Type       string
	UploadedAt time.Time
	UploadedBy string
}

// The holders of references to uploads.
const (
	holderCase  = "case"
	holderDraft = "draft"
)

// RecordUpload records that u.Key is being kept now (a new record, or a
// file uploaded again: its time moves on, so its grace starts again). It
// reports false, recording nothing, while a collector holds a claim on the
// key taken at or after staleBefore: the file is being deleted, and must
// not be kept again until the claim is gone. An older claim is taken over.
func (s *Store) RecordUpload(ctx context.Context, u Upload, staleBefore time.Time) (bool, error) {
	res, err := s.write.ExecContext(ctx, `INSERT INTO uploads (key, sha256, size, type, uploaded_at, uploaded_by)
		VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (key) DO UPDATE SET sha256 = excluded.sha256, size = excluded.size, type = excluded.type,
			uploaded_at = excluded.uploaded_at, uploaded_by = excluded.uploaded_by, claim = NULL, claimed_at = NULL
		WHERE uploads.claim IS NULL OR uploads.claimed_at < $7`,
		u.Key, u.SHA256, u.Size, u.Type, stamp(u.UploadedAt), u.UploadedBy, stamp(staleBefore))
	if err != nil {
		return false, mapErr(err, "record upload")
	}
	n, err := res.RowsAffected()
	return n == 1, mapErr(err, "record upload")
}

// Upload returns the record of the file under key.
func (s *Store) Upload(ctx context.Context, key string) (*Upload, error) {
	var u Upload
	err := s.read.QueryRowContext(ctx, `SELECT key, sha256, size, type, uploaded_at, uploaded_by FROM uploads WHERE key = $1`, key).
		Scan(&u.Key, &u.SHA256, &u.Size, &u.Type, timeDest{&u.UploadedAt}, &u.UploadedBy)
	if err != nil {
		return nil, notFound(err, "文件不存在或已失效")
	}
	return &u, nil
}

// referenceFiles makes holder reference every file of files in tx. Each
// file's record is updated where it is unclaimed first — locking it against
// a collector until tx ends — and a file whose record is missing or claimed
// is refused: it was never uploaded, or has been collected.
func referenceFiles(ctx context.Context, tx *sql.Tx, holder string, id int64, files []casework.FileRef, now time.Time) error {
	byKey := map[string]string{}
	for _, f := range files {
		byKey[f.Key] = f.Name
	}
	keys := make([]string, 0, len(byKey))
	for k := range byKey {
		keys = append(keys, k)
	}
	// One order for every transaction, so that two never wait on each
	// other's records.
	slices.Sort(keys)
	// A case keeps its files for good: marked so, the collector's scan
	// passes them by.
	lock := `UPDATE uploads SET referenced_at = $2 WHERE key = $1 AND claim IS NULL`
	if holder == holderCase {
		lock = `UPDATE uploads SET referenced_at = $2, case_held = TRUE WHERE key = $1 AND claim IS NULL`
	}
	for _, key := range keys {
		res, err := tx.ExecContext(ctx, lock, key, stamp(now))
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n != 1 {
			return apperr.Field("files", "文件「"+byKey[key]+"」未上传或已失效，请重新上传")
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO file_refs (key, holder, holder_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
			key, holder, id); err != nil {
			return err
		}
	}
	return nil
}

// dropReferences removes every reference holder makes, in tx.
func dropReferences(ctx context.Context, tx *sql.Tx, holder string, id int64) error {
	_, err := tx.ExecContext(ctx, `DELETE FROM file_refs WHERE holder = $1 AND holder_id = $2`, holder, id)
	return err
}

// caseFiles returns the files of a case's materials, of its special
// procedures' records and its electronic result.
func caseFiles(c *casework.Case) []casework.FileRef {
	var out []casework.FileRef
	for _, m := range c.Materials {
		out = append(out, m.Files...)
	}
	if c.Electronic != nil {
		out = append(out, c.Electronic.File)
	}
	return append(out, c.ProcedureFiles()...)
}

// newFiles returns the files of after whose keys before lacks.
func newFiles(before, after []casework.FileRef) []casework.FileRef {
	var out []casework.FileRef
	for _, f := range after {
		if !slices.ContainsFunc(before, func(b casework.FileRef) bool { return b.Key == f.Key }) {
			out = append(out, f)
		}
	}
	return out
}

// UploadsToCollect returns up to limit records of files that arrived
// before cutoff and that nothing references, oldest first, leaving out
// those a collector claimed at or after staleBefore.
func (s *Store) UploadsToCollect(ctx context.Context, cutoff, staleBefore time.Time, limit int) ([]Upload, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT key, sha256, size, type, uploaded_at, uploaded_by FROM uploads u
		WHERE NOT case_held AND uploaded_at < $1 AND (claim IS NULL OR claimed_at < $2)
			AND NOT EXISTS (SELECT 1 FROM file_refs r WHERE r.key = u.key)
		ORDER BY uploaded_at, key LIMIT $3`, stamp(cutoff), stamp(staleBefore), limit)
	if err != nil {
		return nil, mapErr(err, "uploads to collect")
	}
	defer rows.Close()
	var out []Upload
	for rows.Next() {
		var u Upload
		if err := rows.Scan(&u.Key, &u.SHA256, &u.Size, &u.Type, timeDest{&u.UploadedAt}, &u.UploadedBy); err != nil {
			return nil, mapErr(err, "scan upload")
		}
		out = append(out, u)
	}
	return out, mapErr(rows.Err(), "uploads to collect")
}

// errNotClaimable rolls back a claim on a file found referenced, or
// changed since it was listed.
var errNotClaimable = errors.New("file cannot be claimed")

// ClaimUpload claims the file under key for deletion, as claim at now, if
// it is still one UploadsToCollect would return: arrived before cutoff,
// unclaimed (or claimed before staleBefore) and referenced by nothing. The
// record is updated first, which locks it; the references are counted
// after, so a reference committed meanwhile is seen, and one still to come
// finds the claim. It reports whether the claim was taken.
func (s *Store) ClaimUpload(ctx context.Context, key, claim string, cutoff, staleBefore, now time.Time) (bool, error) {
	err := s.update(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE uploads SET claim = $2, claimed_at = $3
			WHERE key = $1 AND NOT case_held AND uploaded_at < $4 AND (claim IS NULL OR claimed_at < $5)`,
			key, claim, stamp(now), stamp(cutoff), stamp(staleBefore))
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n != 1 {
			return errNotClaimable
		}
		var refs int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM file_refs WHERE key = $1`, key).Scan(&refs); err != nil {
			return err
		}
		if refs > 0 {
			return errNotClaimable
		}
		return nil
	})
	if errors.Is(err, errNotClaimable) {
		return false, nil
	}
	return err == nil, err
}

// ReleaseUpload gives up claim on key, whose file could not be deleted: a
// later collection tries again.
func (s *Store) ReleaseUpload(ctx context.Context, key, claim string) error {
	_, err := s.write.ExecContext(ctx, `UPDATE uploads SET claim = NULL, claimed_at = NULL WHERE key = $1 AND claim = $2`, key, claim)
	return mapErr(err, "release upload")
}

// ForgetUpload removes the record of key, claimed by claim, once its file
// is deleted.
func (s *Store) ForgetUpload(ctx context.Context, key, claim string) error {
	_, err := s.write.ExecContext(ctx, `DELETE FROM uploads WHERE key = $1 AND claim = $2`, key, claim)
	return mapErr(err, "forget upload")
}

// AdoptUploads records files found in the blob store without a record —
// kept before records were, or by an older version — as they are (their
// type unknown), each as arrived when it was last written. Files with a
// record keep it. It returns how many were recorded.
func (s *Store) AdoptUploads(ctx context.Context, files []Upload) (int, error) {
	n := 0
	err := s.update(ctx, func(tx *sql.Tx) error {
		n = 0
		for _, u := range files {
			res, err := tx.ExecContext(ctx, `INSERT INTO uploads (key, sha256, size, type, uploaded_at, uploaded_by)
				VALUES ($1, $2, $3, $4, $5, '') ON CONFLICT (key) DO NOTHING`,
				u.Key, u.SHA256, u.Size, u.Type, stamp(u.UploadedAt))
			if err != nil {
				return err
			}
			if k, err := res.RowsAffected(); err == nil {
				n += int(k)
			}
		}
		return nil
	})
	return n, err
}

// filesListedCounter names the counter holding the last day (yyyymmdd)
// whose folder of the blob store named blobs has been listed for files to
// adopt: one per store, so that a store put into service later (files
// moved from a folder to S3) is listed from its beginning.
func filesListedCounter(blobs string) string {
	sum := sha256.Sum256([]byte(blobs))
	return "files:listed:" + hex.EncodeToString(sum[:8])
}

// FilesListedThrough returns the last day (yyyymmdd) the blob store named
// blobs was listed through, 0 if never.
func (s *Store) FilesListedThrough(ctx context.Context, blobs string) (int64, error) {
	var v int64
	err := s.read.QueryRowContext(ctx, `SELECT value FROM counters WHERE name = $1`, filesListedCounter(blobs)).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return v, mapErr(err, "files listed")
}

// SetFilesListedThrough records that the blob store named blobs was
// listed through day (yyyymmdd); it never moves back, so nodes listing at
// once agree.
func (s *Store) SetFilesListedThrough(ctx context.Context, blobs string, day int64) error {
	_, err := s.write.ExecContext(ctx, `INSERT INTO counters (name, value) VALUES ($1, $2)
		ON CONFLICT (name) DO UPDATE SET value = excluded.value WHERE counters.value < excluded.value`, filesListedCounter(blobs), day)
	return mapErr(err, "files listed")
}
