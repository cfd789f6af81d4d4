package blob

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
)

// Upload is a file Receive accepted: checked, its SHA-256 known, waiting
// in a temporary file until Keep stores it under its key. Close removes
// the temporary file; call it whether or not the upload was kept.
type Upload struct {
	File
	store Store
	tmp   *os.File // nil once moved into place or closed
	kept  bool
}

// spoolPrefix starts the names of the temporary files uploads wait in.
const spoolPrefix = "upload-"

// copyBufSize is the buffer an upload is copied through: what a streamed
// upload holds in memory.
const copyBufSize = 32 << 10

// Receive reads an upload from r into a temporary file near s, judging it
// as it arrives: the name first (CheckName), then the type from its first
// bytes (checkContent, as Check does) before the rest is read, then its
// size, reading at most lim.MaxBytes+1 bytes, while its SHA-256 is
// computed. Memory holds a copy buffer, whatever the file's size.
//
// A refused upload leaves nothing behind; the refusal is an apperr Invalid
// error on "file" naming the file, as Check's are. A body cut short (the
// browser went away) is Invalid too; a failure to write the temporary
// file is Internal.
func Receive(ctx context.Context, s Store, name string, r io.Reader, lim Limits) (*Upload, error) {
	name, err := CheckName(name)
	if err != nil {
		return nil, err
	}
	r = contextReader{ctx, r}
	head := make([]byte, sniffLen)
	n, err := readHead(r, head)
	if err != nil {
		return nil, readError(name, err, lim.MaxBytes)
	}
	head = head[:n]
	if n == 0 {
		return nil, errEmpty(name)
	}
	if int64(n) > lim.MaxBytes {
		return nil, errTooBig(name, lim.MaxBytes)
	}
	typ, err := checkContent(name, head, lim)
	if err != nil {
		return nil, err
	}
	dir := spoolDir(s)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, apperr.Wrap(err, "blob: receive: folder for uploads in progress")
	}
	tmp, err := os.CreateTemp(dir, spoolPrefix+"*")
	if err != nil {
		return nil, apperr.Wrap(err, "blob: receive")
	}
	u := &Upload{File: File{Name: name, Type: typ}, store: s, tmp: tmp}
	h := sha256.New()
	size, err := spool(tmp, h, head, io.LimitReader(r, lim.MaxBytes+1-int64(n)))
	switch {
	case err != nil:
		u.Close()
		var rerr readErr
		if errors.As(err, &rerr) {
			return nil, readError(name, rerr.err, lim.MaxBytes)
		}
		return nil, apperr.Wrap(err, "blob: receive")
	case size > lim.MaxBytes:
		u.Close()
		return nil, errTooBig(name, lim.MaxBytes)
	}
	u.Size, u.SHA256 = size, hex.EncodeToString(h.Sum(nil))
	return u, nil
}

// readHead fills head from r as far as r goes; a short file is not an
// error (unlike io.ReadFull's io.ErrUnexpectedEOF, which here would hide a
// body cut short).
func readHead(r io.Reader, head []byte) (int, error) {
	n := 0
	for n < len(head) {
		m, err := r.Read(head[n:])
		n += m
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// readErr marks an error of the upload's reader, as opposed to one of the
// temporary file.
type readErr struct{ err error }

func (e readErr) Error() string { return e.err.Error() }

// spool writes head and then the rest of r to f and h, and returns the
// bytes written.
func spool(f *os.File, h hash.Hash, head []byte, r io.Reader) (int64, error) {
	if _, err := f.Write(head); err != nil {
		return 0, err
	}
	h.Write(head)
	size := int64(len(head))
	buf := make([]byte, copyBufSize)
	for {
		n, err := r.Read(buf)
		if n > 0 {
			if _, werr := f.Write(buf[:n]); werr != nil {
				return size, werr
			}
			h.Write(buf[:n])
			size += int64(n)
		}
		if err == io.EOF {
			return size, nil
		}
		if err != nil {
			return size, readErr{err}
		}
	}
}

// readError is the refusal of an upload whose body failed to read.
func readError(name string, err error, max int64) error {
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		// The request's own limit (http.MaxBytesReader) refused first.
		return errTooBig(name, max)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return apperr.Field("file", fmt.Sprintf("文件「%s」没有传完，请重新上传", name))
	}
	return apperr.Wrap(err, "blob: read upload")
}

// Keep stores the upload under key, which should be Key(now, u.SHA256).
// A Dir moves the temporary file into place; other stores copy it with
// Put, which can retry since the file can be read again.
func (u *Upload) Keep(ctx context.Context, key string) error {
	if u.tmp == nil || u.kept {
		return apperr.Wrap(errors.New("upload already kept or closed"), "blob: keep "+key)
	}
	if err := checkKey(key); err != nil {
		return err
	}
	if d, ok := u.store.(*Dir); ok {
		if err := d.keep(ctx, key, u.tmp); err != nil {
			return apperr.Wrap(err, "blob: keep "+key)
		}
		u.tmp, u.kept = nil, true
		return nil
	}
	if _, err := u.tmp.Seek(0, io.SeekStart); err != nil {
		return apperr.Wrap(err, "blob: keep "+key)
	}
	if err := u.store.Put(ctx, key, u.tmp, u.Size, u.Type); err != nil {
		return err
	}
	u.kept = true
	return nil
}

// Close removes the temporary file of an upload not kept (or kept by a
// copy).
func (u *Upload) Close() error {
	if u.tmp == nil {
		return nil
	}
	u.tmp.Close()
	err := os.Remove(u.tmp.Name())
	u.tmp = nil
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}

// spoolDir is the folder uploads wait in while they are read: inside a
// Dir's root, so that keeping one is a rename on the same file system; an
// S3 store's SpoolDir; for any other store a folder of the system's
// temporary folder (TMPDIR).
func spoolDir(s Store) string {
	switch s := s.(type) {
	case *Dir:
		return filepath.Join(s.root, spoolFolder)
	case *S3:
		return s.spool
	}
	return filepath.Join(os.TempDir(), "onewindow-uploads")
}

// RemoveStaleUploads removes the temporary files of uploads that were not
// written to since before: left behind by a process that stopped while
// reading them. An upload still arriving writes its file every moment, so
// a cut-off an hour or more back never touches it. It returns how many
// were removed.
func RemoveStaleUploads(s Store, before time.Time) (int, error) {
	dir := spoolDir(s)
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	n := 0
	var errs []error
	for _, e := range entries {
		if !e.Type().IsRegular() || !strings.HasPrefix(e.Name(), spoolPrefix) {
			continue
		}
		info, err := e.Info()
		if err != nil || !info.ModTime().Before(before) {
			continue
		}
		if err := os.Remove(filepath.Join(dir, e.Name())); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
			continue
		}
		n++
	}
	return n, errors.Join(errs...)
}
