// Package blob keeps the files residents and staff upload — scanned
// certificates, photos, signed forms — outside the database, and checks an
// upload before it is kept.
//
// A Store holds bytes under keys the caller makes with Key, from the upload's
// date and SHA-256 sum: "2026/11/25/<64 hex>". Dir keeps them in a local
// folder (the default); S3 keeps them in an S3-compatible bucket (MinIO,
// Aliyun OSS, AWS). Open chooses one from a single configuration string.
//
// Receive reads an upload as it arrives — never whole into memory — into a
// temporary file, checking its name, its type (from its first bytes) and
// its size and computing its SHA-256 on the way; Keep then stores it under
// its key. Check decides the same of an upload held in memory. Both say why
// not in a message (zh-CN) that can be shown to the user as it is.
package blob

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
)

// Store keeps uploaded files under keys. Implementations are safe for
// concurrent use.
type Store interface {
	// Put stores exactly size bytes read from r under key, replacing what
	// was there. Readers see the old file or the new one, never a part.
	// contentType is kept where the backend can keep it.
	Put(ctx context.Context, key string, r io.Reader, size int64, contentType string) error
	// Get opens the file under key; the caller closes it. A missing key is
	// an apperr NotFound error.
	Get(ctx context.Context, key string) (io.ReadCloser, error)
	// Delete removes the file under key. A missing key is not an error, so
	// a retried delete succeeds.
	Delete(ctx context.Context, key string) error
	// List calls fn with every file whose key starts with prefix ("" for
	// all, "2026/11/25/" for one day), in key order, and stops at fn's
	// first error, which it returns. Temporary files are never listed.
	List(ctx context.Context, prefix string, fn func(Object) error) error
}

// Object is a file a Store holds, as List reports it.
type Object struct {
	Key      string
	Size     int64
	Modified time.Time // when it was last written
}

// MaxKeyLen is the longest key a Store accepts.
const MaxKeyLen = 200

// ValidKey reports whether key may name a file: 1 to MaxKeyLen characters of
// a-z, 0-9, "/", ".", "_" and "-", made of non-empty segments separated by
// single slashes, none of which starts with a dot (so no "..", no "." and no
// hidden files), with no leading or trailing slash. The rule is strict so
// that a key can never leave a Dir's root or alias another key.
func ValidKey(key string) bool {
	if key == "" || len(key) > MaxKeyLen || strings.Contains(key, "..") {
		return false
	}
	for _, seg := range strings.Split(key, "/") {
		if seg == "" || seg[0] == '.' {
			return false
		}
		for i := 0; i < len(seg); i++ {
			c := seg[i]
			if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '.' || c == '_' || c == '-') {
				return false
			}
		}
	}
	return true
}

// checkKey returns an Invalid error for a key ValidKey refuses.
func checkKey(key string) error {
	if ValidKey(key) {
		return nil
	}
	if len(key) > MaxKeyLen {
		// A runaway key would only clutter the message and the log.
		key = key[:MaxKeyLen] + "…"
	}
	return apperr.New(apperr.Invalid, "文件存放标识 %q 不合法", key)
}

// checkPrefix returns an Invalid error for a List prefix that no key could
// start with a valid part of: "" and "2026/11/25/" are fine, "../" is not.
func checkPrefix(prefix string) error {
	if prefix == "" || ValidKey(strings.TrimSuffix(prefix, "/")) {
		return nil
	}
	return apperr.New(apperr.Invalid, "文件存放前缀 %q 不合法", prefix)
}

// checkSize refuses a negative size: both stores write exactly size bytes
// and compare, so that a short or overlong body is never kept as a file.
func checkSize(key string, size int64) error {
	if size < 0 {
		return apperr.Wrap(fmt.Errorf("size of %s must be known, got %d", key, size), "blob: put")
	}
	return nil
}

// errNotFound is the error for a key with no file.
func errNotFound() error {
	return apperr.New(apperr.NotFound, "文件不存在或已被删除")
}

// errWrongSize says a body did not hold the size promised for it.
func errWrongSize(size int64, more bool) error {
	if more {
		return fmt.Errorf("body is longer than the %d bytes promised", size)
	}
	return fmt.Errorf("body is shorter than the %d bytes promised", size)
}

// exactReader reads exactly size bytes from r and fails, instead of
// reporting the end, if r holds fewer or more: a consumer that stops at size
// (as the S3 client does) would otherwise keep a truncated file.
type exactReader struct {
	r    io.Reader
	size int64
	left int64
	end  error // once size bytes were read: io.EOF, or why not
}

func newExactReader(r io.Reader, size int64) *exactReader {
	return &exactReader{r: r, size: size, left: size}
}

func (e *exactReader) Read(p []byte) (int, error) {
	if e.left == 0 {
		return 0, e.atEnd()
	}
	if int64(len(p)) > e.left {
		p = p[:e.left]
	}
	n, err := e.r.Read(p)
	e.left -= int64(n)
	switch {
	case err == io.EOF && e.left > 0:
		return n, errWrongSize(e.size, false)
	case err != nil && err != io.EOF:
		return n, err
	case e.left == 0:
		// Report an overlong body with the last bytes, before the consumer
		// can finish without reading further.
		if err := e.atEnd(); err != io.EOF {
			return n, err
		}
	}
	return n, nil
}

// atEnd checks, once, that r holds nothing more after size bytes.
func (e *exactReader) atEnd() error {
	if e.end != nil {
		return e.end
	}
	var one [1]byte
	e.end = io.ErrNoProgress
	for range 100 {
		n, err := e.r.Read(one[:])
		if n > 0 {
			e.end = errWrongSize(e.size, true)
			break
		}
		if err != nil {
			e.end = err
			break
		}
	}
	return e.end
}
