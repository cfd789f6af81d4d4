package blob

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/onewindow/onewindow/internal/apperr"
)

// Permissions of what Dir creates: the server's user reads and writes, its
// group (backups) reads, others nothing — uploads hold personal data.
const (
	fileMode fs.FileMode = 0o640
	dirMode  fs.FileMode = 0o750
)

// Dir is a Store on a local folder: the key "2026/11/25/<sum>" is the file
// root/2026/11/25/<sum>. Uploads being received wait in root/.tmp (see
// Receive); names starting with a dot are never keys.
type Dir struct {
	root string
}

var _ Store = (*Dir)(nil)

// NewDir returns a Store keeping files under root, creating the folder (and
// its parents) if missing.
func NewDir(root string) (*Dir, error) {
	if root == "" {
		return nil, errors.New("blob: the folder for uploaded files is not set")
	}
	if err := os.MkdirAll(root, dirMode); err != nil {
		return nil, fmt.Errorf("blob: create folder for uploaded files: %w", err)
	}
	info, err := os.Stat(root)
	if err != nil {
		return nil, fmt.Errorf("blob: folder for uploaded files: %w", err)
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("blob: %s is not a folder", root)
	}
	return &Dir{root: root}, nil
}

// Root returns the folder the files are kept in.
func (d *Dir) Root() string { return d.root }

// String names the store: the folder, made absolute where it can be.
func (d *Dir) String() string {
	if abs, err := filepath.Abs(d.root); err == nil {
		return "folder " + abs
	}
	return "folder " + d.root
}

// path returns the file name of a valid key.
func (d *Dir) path(key string) string {
	return filepath.Join(d.root, filepath.FromSlash(key))
}

// Put writes the bytes to a temporary file next to the final one, syncs it
// and renames it into place, so that a crash or a failed upload leaves
// either the old file or the new one and never a torn one. contentType is
// not kept: a Dir holds bytes only, and the caller records the type it
// detected with Check.
func (d *Dir) Put(ctx context.Context, key string, r io.Reader, size int64, contentType string) error {
	if err := checkKey(key); err != nil {
		return err
	}
	if err := checkSize(key, size); err != nil {
		return err
	}
	if err := d.put(ctx, key, r, size); err != nil {
		return apperr.Wrap(err, "blob: put "+key)
	}
	return nil
}

func (d *Dir) put(ctx context.Context, key string, r io.Reader, size int64) (err error) {
	if err := ctx.Err(); err != nil {
		return err
	}
	name := d.path(key)
	dir := filepath.Dir(name)
	if err := os.MkdirAll(dir, dirMode); err != nil {
		return err
	}
	// The dot keeps temporary files out of the key space: ValidKey refuses
	// segments that start with one.
	tmp, err := os.CreateTemp(dir, ".put-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err := tmp.Chmod(fileMode); err != nil {
		return err
	}
	if _, err := io.Copy(tmp, newExactReader(contextReader{ctx, r}, size)); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), name); err != nil {
		return err
	}
	// Sync the folder so that the rename itself survives a power cut.
	return syncDir(dir)
}

// syncDir flushes a folder's entries to disk. Windows cannot sync a folder
// and does not need to.
func syncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	serr := f.Sync()
	if cerr := f.Close(); serr == nil {
		serr = cerr
	}
	return serr
}

// Get opens the file under key.
func (d *Dir) Get(ctx context.Context, key string) (io.ReadCloser, error) {
	if err := checkKey(key); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, apperr.Wrap(err, "blob: get "+key)
	}
	f, err := os.Open(d.path(key))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, errNotFound()
	}
	if err != nil {
		return nil, apperr.Wrap(err, "blob: get "+key)
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, apperr.Wrap(err, "blob: get "+key)
	}
	if !info.Mode().IsRegular() {
		// A key that names a date folder ("2026/11") holds no file.
		f.Close()
		return nil, errNotFound()
	}
	return f, nil
}

// Delete removes the file under key. Emptied date folders are left in
// place: removing them would race with a Put creating a file in them.
func (d *Dir) Delete(ctx context.Context, key string) error {
	if err := checkKey(key); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return apperr.Wrap(err, "blob: delete "+key)
	}
	name := d.path(key)
	info, err := os.Lstat(name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return apperr.Wrap(err, "blob: delete "+key)
	}
	if info.IsDir() {
		// Never remove a date folder through a key that names it.
		return nil
	}
	if err := os.Remove(name); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return apperr.Wrap(err, "blob: delete "+key)
	}
	return nil
}

// spoolFolder is the folder, inside a Dir's root, that uploads wait in
// while they are read.
const spoolFolder = ".tmp"

// keep moves f, an upload received into the spool folder, to key: synced
// first, then renamed into place (the same file system), then the folder
// synced, as Put does, so that a crash leaves the file whole or absent.
func (d *Dir) keep(ctx context.Context, key string, f *os.File) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := f.Chmod(fileMode); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	name := d.path(key)
	dir := filepath.Dir(name)
	if err := os.MkdirAll(dir, dirMode); err != nil {
		return err
	}
	if err := os.Rename(f.Name(), name); err != nil {
		return err
	}
	f.Close()
	return syncDir(dir)
}

// List walks the folders under prefix and reports every file whose key is
// valid: temporary files (their names start with a dot) and anything else
// that is not a key are skipped.
func (d *Dir) List(ctx context.Context, prefix string, fn func(Object) error) error {
	if err := checkPrefix(prefix); err != nil {
		return err
	}
	start := d.root
	if i := strings.LastIndexByte(prefix, '/'); i >= 0 {
		start = d.path(prefix[:i])
	}
	var fnErr error // fn's own error, returned as it is
	err := filepath.WalkDir(start, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			if p == start && errors.Is(err, fs.ErrNotExist) {
				return fs.SkipAll // nothing was ever kept under prefix
			}
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if p == start {
			return nil
		}
		if strings.HasPrefix(e.Name(), ".") {
			if e.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if !e.Type().IsRegular() {
			return nil
		}
		rel, err := filepath.Rel(d.root, p)
		if err != nil {
			return err
		}
		key := filepath.ToSlash(rel)
		if !strings.HasPrefix(key, prefix) || !ValidKey(key) {
			return nil
		}
		info, err := e.Info()
		if errors.Is(err, fs.ErrNotExist) {
			return nil // deleted while listed
		}
		if err != nil {
			return err
		}
		fnErr = fn(Object{Key: key, Size: info.Size(), Modified: info.ModTime()})
		return fnErr
	})
	if err != nil && fnErr == nil {
		return apperr.Wrap(err, "blob: list "+prefix)
	}
	return err
}

// contextReader stops a copy once ctx is done, so that an abandoned upload
// does not keep writing.
type contextReader struct {
	ctx context.Context
	r   io.Reader
}

func (c contextReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
