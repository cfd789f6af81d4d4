package blob

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
)

// testList runs the List contract on s, which must hold nothing under
// 2027/.
func testList(t *testing.T, s Store) {
	ctx := context.Background()
	keys := []string{"2027/01/02/" + sum64, "2027/01/02/b", "2027/01/03/" + sum64, "2027/02/01/c"}
	for _, k := range keys {
		if err := s.Put(ctx, k, bytes.NewReader(pdfBytes), int64(len(pdfBytes)), PDF); err != nil {
			t.Fatal(err)
		}
	}
	list := func(prefix string) []string {
		t.Helper()
		var got []string
		err := s.List(ctx, prefix, func(o Object) error {
			if slices.Contains(keys, o.Key) && (o.Size != int64(len(pdfBytes)) || time.Since(o.Modified) > time.Hour || time.Until(o.Modified) > time.Hour) {
				t.Errorf("List(%q): %+v, want the size %d and a modification time about now", prefix, o, len(pdfBytes))
			}
			got = append(got, o.Key)
			return nil
		})
		if err != nil {
			t.Fatalf("List(%q): %v", prefix, err)
		}
		slices.Sort(got)
		return got
	}
	tests := []struct {
		prefix string
		want   []string
	}{
		{"2027/", keys},
		{"2027/01/02/", keys[:2]},
		{"2027/01/", keys[:3]},
		{"2027/01/0", keys[:3]},
		{"2027/02/01/c", keys[3:]},
		{"2027/03/", nil},
		{"2031/", nil},
	}
	for _, tt := range tests {
		if got := list(tt.prefix); !slices.Equal(got, tt.want) {
			t.Errorf("List(%q) = %q, want %q", tt.prefix, got, tt.want)
		}
	}
	if all := list(""); !isSubset(keys, all) {
		t.Errorf("List(\"\") = %q, missing some of %q", all, keys)
	}
	for _, bad := range []string{"../", "/2027", "2027//", "A/"} {
		if err := s.List(ctx, bad, func(Object) error { return nil }); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("List(%q): %v, want invalid", bad, err)
		}
	}
	stop := errors.New("enough")
	n := 0
	err := s.List(ctx, "2027/", func(Object) error {
		n++
		return stop
	})
	if err != stop || n != 1 {
		t.Errorf("List stopped by fn: %v after %d calls, want fn's error after one", err, n)
	}
	for _, k := range keys {
		if err := s.Delete(ctx, k); err != nil {
			t.Fatal(err)
		}
	}
	if got := list("2027/"); got != nil {
		t.Errorf("List after deleting all = %q", got)
	}
}

func isSubset(sub, of []string) bool {
	for _, k := range sub {
		if !slices.Contains(of, k) {
			return false
		}
	}
	return true
}

// testReceive runs Receive and Keep on s, whose uploads wait in spool.
func testReceive(t *testing.T, s Store, spool string) {
	ctx := context.Background()
	lim := DefaultLimits()
	spoolEmpty := func(what string) {
		t.Helper()
		entries, err := os.ReadDir(spool)
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			t.Fatal(err)
		}
		if len(entries) > 0 {
			t.Errorf("%s: %d files left waiting in %s", what, len(entries), spool)
		}
	}

	t.Run("a file is received, then kept under its key", func(t *testing.T) {
		content := append(append([]byte{}, pdfBytes...), bytes.Repeat([]byte("x"), 300_000)...)
		u, err := Receive(ctx, s, " 申请表.pdf ", iotest.HalfReader(bytes.NewReader(content)), lim)
		if err != nil {
			t.Fatal(err)
		}
		defer u.Close()
		sum := sha256.Sum256(content)
		want := File{Name: "申请表.pdf", Type: PDF, Size: int64(len(content)), SHA256: hex.EncodeToString(sum[:])}
		if u.File != want {
			t.Errorf("received %+v, want %+v", u.File, want)
		}
		key := "2027/03/01/" + u.SHA256
		if _, err := s.Get(ctx, key); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("Get before Keep: %v, want not found", err)
		}
		if err := u.Keep(ctx, key); err != nil {
			t.Fatal(err)
		}
		if got := get(t, s, key); !bytes.Equal(got, content) {
			t.Errorf("kept %d bytes, want the %d received", len(got), len(content))
		}
		if err := u.Keep(ctx, key); err == nil {
			t.Error("a second Keep succeeded")
		}
		if err := u.Close(); err != nil {
			t.Errorf("Close after Keep: %v", err)
		}
		spoolEmpty("after Keep and Close")
		if err := s.Delete(ctx, key); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("a file closed unkept leaves nothing", func(t *testing.T) {
		u, err := Receive(ctx, s, "a.png", bytes.NewReader(pngBytes), lim)
		if err != nil {
			t.Fatal(err)
		}
		if err := u.Close(); err != nil {
			t.Fatal(err)
		}
		spoolEmpty("after Close")
		if err := u.Keep(ctx, "2027/03/02/"+u.SHA256); err == nil {
			t.Error("Keep after Close succeeded")
		}
	})
	t.Run("Check and Receive judge alike", func(t *testing.T) {
		for _, tt := range checkCases() {
			want, werr := Check(tt.name, tt.content, tt.declared, tt.lim)
			u, err := Receive(ctx, s, tt.name, bytes.NewReader(tt.content), tt.lim)
			if (err == nil) != (werr == nil) || err != nil && apperr.MessageOf(err) != apperr.MessageOf(werr) {
				t.Errorf("%q: Receive error %v, Check error %v", tt.name, err, werr)
			}
			if err == nil {
				if u.File != want {
					t.Errorf("%q: Receive %+v, Check %+v", tt.name, u.File, want)
				}
				u.Close()
			}
		}
		spoolEmpty("after the cases")
	})
	t.Run("refusals read no further than they must", func(t *testing.T) {
		small := Limits{MaxBytes: 1 << 20, Types: lim.Types}
		tests := []struct {
			what     string
			name     string
			body     io.Reader
			lim      Limits
			wantErr  string
			wantRead int64 // bytes read at most
		}{
			// A bad name is refused before a byte is read.
			{"a path", "../x.pdf", neverEnding{}, lim, "文件名不能包含路径", 0},
			// A wrong type is known from the first bytes.
			{"not a PDF", "x.pdf", neverEnding{}, lim, "的内容不是允许的类型", sniffLen},
			{"a PDF named .png", "x.png", io.MultiReader(bytes.NewReader(pdfBytes), neverEnding{}), lim, "扩展名与内容不符", sniffLen},
			// Too large: one byte over the limit is read, no more.
			{"endless", "x.pdf", io.MultiReader(bytes.NewReader(pdfBytes), neverEnding{}), small, "文件「x.pdf」超过 1 MB 的上限", 1<<20 + 1},
			{"one byte over", "x.pdf", bytes.NewReader(append(append([]byte{}, pdfBytes...), make([]byte, 1<<20-len(pdfBytes)+1)...)), small, "超过 1 MB 的上限", 1<<20 + 1},
			{"a limit below the sniffed bytes", "x.pdf", bytes.NewReader(append(append([]byte{}, pdfBytes...), make([]byte, 600)...)), Limits{MaxBytes: 100, Types: lim.Types}, "超过 0.01 MB 的上限", sniffLen},
			{"cut short", "x.pdf", io.MultiReader(bytes.NewReader(pdfBytes), iotest.ErrReader(io.ErrUnexpectedEOF)), lim, "文件「x.pdf」没有传完", int64(len(pdfBytes))},
			{"cut short later", "x.pdf", io.MultiReader(bytes.NewReader(pdfBytes), io.LimitReader(neverEnding{}, 5000), iotest.ErrReader(io.ErrUnexpectedEOF)), lim, "没有传完", int64(len(pdfBytes)) + 5000},
			{"empty", "x.pdf", strings.NewReader(""), lim, "文件「x.pdf」是空的", 0},
		}
		for _, tt := range tests {
			r := &countingReader{r: tt.body}
			u, err := Receive(ctx, s, tt.name, r, tt.lim)
			if err == nil {
				u.Close()
				t.Errorf("%s: received %+v", tt.what, u.File)
				continue
			}
			wantInvalid(t, err, tt.wantErr)
			if r.n > tt.wantRead {
				t.Errorf("%s: read %d bytes, want at most %d", tt.what, r.n, tt.wantRead)
			}
		}
		spoolEmpty("after the refusals")
	})
	t.Run("the request's limit refused first", func(t *testing.T) {
		rec := httptest.NewRecorder()
		body := http.MaxBytesReader(rec, io.NopCloser(io.MultiReader(bytes.NewReader(pdfBytes), neverEnding{})), 4096)
		_, err := Receive(ctx, s, "x.pdf", body, lim)
		wantInvalid(t, err, "文件「x.pdf」超过 20 MB 的上限")
		spoolEmpty("after a request too large")
	})
	t.Run("other read errors are internal", func(t *testing.T) {
		_, err := Receive(ctx, s, "x.pdf", io.MultiReader(bytes.NewReader(pdfBytes), iotest.ErrReader(errors.New("disk on fire"))), lim)
		if !apperr.Is(err, apperr.Internal) {
			t.Errorf("got %v, want internal", err)
		}
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if _, err := Receive(cctx, s, "x.pdf", bytes.NewReader(pdfBytes), lim); !apperr.Is(err, apperr.Internal) {
			t.Errorf("cancelled: got %v, want internal", err)
		}
		spoolEmpty("after read errors")
	})
}

func TestRemoveStaleUploads(t *testing.T) {
	d, err := NewDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if n, err := RemoveStaleUploads(d, time.Now()); n != 0 || err != nil {
		t.Errorf("nothing ever received: %d removed, %v", n, err)
	}
	spool := spoolDir(d)
	if err := os.MkdirAll(spool, 0o700); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-3 * time.Hour)
	for _, name := range []string{"upload-1", "upload-2", "keep-me", "upload-fresh"} {
		p := filepath.Join(spool, name)
		if err := os.WriteFile(p, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
		if name != "upload-fresh" {
			if err := os.Chtimes(p, old, old); err != nil {
				t.Fatal(err)
			}
		}
	}
	// A file being received now is left alone.
	u, err := Receive(t.Context(), d, "a.pdf", bytes.NewReader(pdfBytes), DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	defer u.Close()
	n, err := RemoveStaleUploads(d, time.Now().Add(-time.Hour))
	if n != 2 || err != nil {
		t.Errorf("removed %d, %v; want the two stale uploads", n, err)
	}
	var left []string
	entries, _ := os.ReadDir(spool)
	for _, e := range entries {
		left = append(left, e.Name())
	}
	if len(left) != 3 || !slices.Contains(left, "keep-me") || !slices.Contains(left, "upload-fresh") {
		t.Errorf("left %q, want keep-me, upload-fresh and the upload in progress", left)
	}
	if err := u.Keep(t.Context(), "2027/04/01/"+u.SHA256); err != nil {
		t.Errorf("the upload in progress could not be kept: %v", err)
	}
}
