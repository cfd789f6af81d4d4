package service

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"time"

	"github.com/onewindow/onewindow/internal/blob"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/store"
)

// Collecting uploaded files that nothing references.
//
// Every upload is recorded (store.Upload) before its file is kept; cases
// and drafts reference the files they name in the transaction that saves
// them. A file that no case or draft references — uploaded and never
// used, taken off a draft, left by a deleted draft — is deleted once it
// has waited the grace period (Config.FileGrace) since it last arrived.
// A case keeps every file it was ever given.
//
// Several nodes may collect at once: a file is claimed in the database
// before it is deleted, and the claim checks the references after locking
// the record, so a reference being saved at that moment either commits
// first (and the claim sees it) or finds the claim and is refused (the
// applicant uploads again). An upload of the same bytes the same day waits
// for the claim to go. A claim left by a node that stopped is taken over
// after staleClaim.

const (
	// staleClaim is how old a collector's claim on a file is before another
	// collector (or an upload of the same file) takes it over.
	staleClaim = 10 * time.Minute
	// deleteTimeout bounds the deletion of one file, well inside
	// staleClaim, so that a claim is never taken over from a collector
	// still deleting.
	deleteTimeout = time.Minute
	// collectBatch is how many files a collection claims per query.
	collectBatch = 200
	// staleSpool is how long an upload's temporary file may go unwritten
	// before it is taken for abandoned by a process that stopped.
	staleSpool = time.Hour
	// collectEvery is how often serve's background loop collects.
	collectEvery = time.Hour
)

// FileCollection says what one collection did.
type FileCollection struct {
	Adopted   int   // files found in the store without a record, now recorded
	Deleted   int   // files deleted
	Bytes     int64 // their size
	Abandoned int   // temporary files of abandoned uploads removed
}

// uploadKey matches the keys blob.Key makes: "2026/11/25/<sha256>".
var uploadKey = regexp.MustCompile(`^(\d{4})/(\d{2})/(\d{2})/([0-9a-f]{64})$`)

// CollectFiles deletes the uploaded files that no case or draft
// references and that arrived longer than the grace period ago, from the
// blob store (a folder or S3). Before that, it records the files the store
// holds without a record — kept before records were — listing each day's
// folder once, when the day has passed the grace period; and it removes
// the temporary files of uploads abandoned by a process that stopped.
func (s *Online) CollectFiles(ctx context.Context) (FileCollection, error) {
	var out FileCollection
	if s.blobs == nil {
		return out, nil
	}
	now := s.clock.Now()
	cutoff := now.Add(-s.cfg.FileGrace)
	var errs []error
	n, err := s.adoptFiles(ctx, cutoff)
	out.Adopted = n
	errs = append(errs, err)
	// Temporary files are dated by the file system, not the (training) clock.
	out.Abandoned, err = blob.RemoveStaleUploads(s.blobs, time.Now().Add(-staleSpool))
	errs = append(errs, err)
	for ctx.Err() == nil {
		batch, err := s.store.UploadsToCollect(ctx, cutoff, now.Add(-staleClaim), collectBatch)
		if err != nil {
			errs = append(errs, err)
			break
		}
		deleted := 0
		for _, u := range batch {
			ok, err := s.collectFile(ctx, u, cutoff, now)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			if ok {
				deleted++
				out.Deleted++
				out.Bytes += u.Size
			}
		}
		// A batch that deleted nothing holds only files that cannot be
		// deleted now; the next collection tries them again.
		if len(batch) < collectBatch || deleted == 0 {
			break
		}
	}
	if out.Deleted > 0 || out.Adopted > 0 || out.Abandoned > 0 {
		s.log.Info("uploaded files collected", "deleted", out.Deleted, "bytes", out.Bytes,
			"adopted", out.Adopted, "abandoned", out.Abandoned, "grace", s.cfg.FileGrace.String())
	}
	return out, errors.Join(errs...)
}

// collectFile claims the file of u, deletes it and forgets its record. It
// reports false if the claim was not taken: the file arrived again, was
// referenced, or another collector has it.
func (s *Online) collectFile(ctx context.Context, u store.Upload, cutoff, now time.Time) (bool, error) {
	claim := newClaim()
	ok, err := s.store.ClaimUpload(ctx, u.Key, claim, cutoff, now.Add(-staleClaim), now)
	if err != nil || !ok {
		return false, err
	}
	if blob.ValidKey(u.Key) { // a record under a key no store accepts has no file
		dctx, cancel := context.WithTimeout(ctx, deleteTimeout)
		err = s.blobs.Delete(dctx, u.Key)
		cancel()
		if err != nil {
			return false, errors.Join(err, s.store.ReleaseUpload(ctx, u.Key, claim))
		}
	}
	return true, s.store.ForgetUpload(ctx, u.Key, claim)
}

// newClaim returns a collector's claim token.
func newClaim() string {
	b := make([]byte, 12)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// adoptFiles records the files the blob store holds without a record, in
// the day folders not yet listed that have wholly passed cutoff (all of
// them the first time), and moves the listed-through day on.
func (s *Online) adoptFiles(ctx context.Context, cutoff time.Time) (int, error) {
	name := fmt.Sprintf("%T", s.blobs)
	if n, ok := s.blobs.(fmt.Stringer); ok {
		name = n.String() // its folder, or its endpoint, bucket and prefix
	}
	through, err := s.store.FilesListedThrough(ctx, name)
	if err != nil {
		return 0, err
	}
	c := cutoff.In(clock.Shanghai)
	last := time.Date(c.Year(), c.Month(), c.Day()-1, 0, 0, 0, 0, clock.Shanghai) // the last day before the cutoff's
	lastDay := dayNumber(last)
	if through >= lastDay {
		return 0, nil
	}
	prefixes := []string{""}
	if through > 0 {
		prefixes = nil
		y, m, d := int(through/10000), time.Month(through/100%100), int(through%100)
		for day := time.Date(y, m, d+1, 0, 0, 0, 0, clock.Shanghai); !day.After(last); day = day.AddDate(0, 0, 1) {
			prefixes = append(prefixes, day.Format("2006/01/02/"))
		}
	}
	adopted := 0
	var batch []store.Upload
	flush := func() error {
		n, err := s.store.AdoptUploads(ctx, batch)
		adopted += n
		batch = batch[:0]
		return err
	}
	for _, prefix := range prefixes {
		err := s.blobs.List(ctx, prefix, func(o blob.Object) error {
			m := uploadKey.FindStringSubmatch(o.Key)
			if m == nil {
				return nil // not an upload's key
			}
			if day, _ := strconv.ParseInt(m[1]+m[2]+m[3], 10, 64); day > lastDay {
				return nil // listed when its day has passed
			}
			batch = append(batch, store.Upload{Key: o.Key, SHA256: m[4], Size: o.Size, UploadedAt: o.Modified})
			if len(batch) == collectBatch {
				return flush()
			}
			return nil
		})
		if err != nil {
			return adopted, err
		}
	}
	if err := flush(); err != nil {
		return adopted, err
	}
	return adopted, s.store.SetFilesListedThrough(ctx, name, lastDay)
}

// dayNumber writes a day as yyyymmdd.
func dayNumber(t time.Time) int64 {
	return int64(t.Year()*10000 + int(t.Month())*100 + t.Day())
}

// runFileCollection collects every interval until ctx ends.
func (s *Online) runFileCollection(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if _, err := s.CollectFiles(ctx); err != nil && ctx.Err() == nil {
			s.log.Error("collect uploaded files", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
