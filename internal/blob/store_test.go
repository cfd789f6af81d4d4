package blob

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"

	"github.com/onewindow/onewindow/internal/apperr"
)

// sum64 is a key's last segment: 64 hex digits.
var sum64 = strings.Repeat("0123456789abcdef", 4)

func TestValidKey(t *testing.T) {
	tests := []struct {
		key  string
		want bool
	}{
		{"2026/11/25/" + sum64, true},
		{"a", true},
		{"a/b.c_d-e", true},
		{strings.Repeat("a", MaxKeyLen), true},
		{"", false},
		{strings.Repeat("a", MaxKeyLen+1), false},
		{"/2026/11/25/x", false},
		{"2026/11/25/x/", false},
		{"2026//25/x", false},
		{"../x", false},
		{"a/../b", false},
		{"a/..b", false},
		{"a/./b", false},
		{".", false},
		{"a/.hidden", false},
		{"A/b", false},
		{"a b", false},
		{`a\b`, false},
		{"a:b", false},
		{"a\x00b", false},
		{"文件", false},
		{"a%2fb", false},
	}
	for _, tt := range tests {
		if got := ValidKey(tt.key); got != tt.want {
			t.Errorf("ValidKey(%q) = %v, want %v", tt.key, got, tt.want)
		}
	}
}

// testStore runs the contract every Store keeps.
func testStore(t *testing.T, s Store) {
	ctx := context.Background()
	key := "2026/11/25/" + sum64

	t.Run("put then get", func(t *testing.T) {
		if err := s.Put(ctx, key, bytes.NewReader(pdfBytes), int64(len(pdfBytes)), PDF); err != nil {
			t.Fatalf("Put: %v", err)
		}
		if got := get(t, s, key); !bytes.Equal(got, pdfBytes) {
			t.Errorf("Get = %q, want %q", got, pdfBytes)
		}
	})
	t.Run("put replaces", func(t *testing.T) {
		if err := s.Put(ctx, key, bytes.NewReader(pngBytes), int64(len(pngBytes)), PNG); err != nil {
			t.Fatalf("Put: %v", err)
		}
		if got := get(t, s, key); !bytes.Equal(got, pngBytes) {
			t.Errorf("Get = %q, want %q", got, pngBytes)
		}
	})
	t.Run("a larger file", func(t *testing.T) {
		// Larger than the 64 KiB chunks of S3's streaming signature.
		big := bytes.Repeat([]byte("0123456789"), 30_000)
		k := "2026/11/26/big"
		if err := s.Put(ctx, k, bytes.NewReader(big), int64(len(big)), "application/octet-stream"); err != nil {
			t.Fatalf("Put: %v", err)
		}
		if got := get(t, s, k); !bytes.Equal(got, big) {
			t.Errorf("Get returned %d bytes, want the %d put", len(got), len(big))
		}
	})
	t.Run("an empty file", func(t *testing.T) {
		k := "2026/11/26/empty"
		if err := s.Put(ctx, k, strings.NewReader(""), 0, ""); err != nil {
			t.Fatalf("Put: %v", err)
		}
		if got := get(t, s, k); len(got) != 0 {
			t.Errorf("Get = %q, want nothing", got)
		}
	})
	t.Run("get missing is not found", func(t *testing.T) {
		rc, err := s.Get(ctx, "2026/11/25/missing")
		if !apperr.Is(err, apperr.NotFound) {
			if rc != nil {
				rc.Close()
			}
			t.Errorf("Get missing: %v, want not found", err)
		}
	})
	t.Run("a date folder is not a file", func(t *testing.T) {
		if _, err := s.Get(ctx, "2026/11"); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("Get folder: %v, want not found", err)
		}
		if err := s.Delete(ctx, "2026/11"); err != nil {
			t.Errorf("Delete folder: %v", err)
		}
		get(t, s, key) // still there
	})
	t.Run("delete", func(t *testing.T) {
		if err := s.Delete(ctx, key); err != nil {
			t.Fatalf("Delete: %v", err)
		}
		if _, err := s.Get(ctx, key); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("Get after Delete: %v, want not found", err)
		}
		if err := s.Delete(ctx, key); err != nil {
			t.Errorf("Delete again: %v, want nil", err)
		}
	})
	t.Run("bad keys are refused", func(t *testing.T) {
		for _, bad := range []string{"", "../etc/passwd", "/abs", "a/../../b", "UPPER", "a//b", strings.Repeat("a", 201)} {
			if err := s.Put(ctx, bad, bytes.NewReader(pdfBytes), int64(len(pdfBytes)), PDF); !apperr.Is(err, apperr.Invalid) {
				t.Errorf("Put(%q): %v, want invalid", bad, err)
			}
			if _, err := s.Get(ctx, bad); !apperr.Is(err, apperr.Invalid) {
				t.Errorf("Get(%q): %v, want invalid", bad, err)
			}
			if err := s.Delete(ctx, bad); !apperr.Is(err, apperr.Invalid) {
				t.Errorf("Delete(%q): %v, want invalid", bad, err)
			}
		}
	})
	t.Run("a body of the wrong size is not kept", func(t *testing.T) {
		k := "2026/11/27/short"
		for _, size := range []int64{int64(len(pdfBytes)) + 10, int64(len(pdfBytes)) - 10, -1} {
			if err := s.Put(ctx, k, bytes.NewReader(pdfBytes), size, PDF); err == nil {
				t.Errorf("Put with size %d of %d bytes succeeded", size, len(pdfBytes))
			}
			if _, err := s.Get(ctx, k); !apperr.Is(err, apperr.NotFound) {
				t.Errorf("size %d: Get after a failed Put: %v, want not found", size, err)
			}
		}
	})
}

// get reads the file under key.
func get(t *testing.T, s Store, key string) []byte {
	t.Helper()
	rc, err := s.Get(context.Background(), key)
	if err != nil {
		t.Fatalf("Get(%q): %v", key, err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatalf("read %q: %v", key, err)
	}
	return b
}
