package blob

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/blob/blobtest"
)

func TestS3(t *testing.T) {
	fake := blobtest.NewS3(t, "onewindow", "AKTEST")
	spool := t.TempDir()
	s, err := newS3(S3Config{
		Endpoint:  fake.Endpoint(),
		Bucket:    "onewindow",
		AccessKey: "AKTEST",
		SecretKey: "secret/with+odd=chars",
		Prefix:    "/hall-1/uploads/",
		SpoolDir:  spool,
	}, minio.BucketLookupPath)
	if err != nil {
		t.Fatal(err)
	}
	testStore(t, s)
	testList(t, s)
	testReceive(t, s, spool)
	t.Run("listing goes page by page and keeps to the prefix", func(t *testing.T) {
		fake.SetPageSize(2)
		for _, name := range []string{"hall-10/uploads/2027/01/02/x", "hall-1/2027/01/02/y", "hall-1/uploads/2027/01/02/UPPER"} {
			fake.PutObject(name, pdfBytes, time.Now())
		}
		testList(t, s)
		fake.SetPageSize(0)
	})
	t.Run("a 20 MB file goes up in one streamed request", func(t *testing.T) {
		content := append(append([]byte{}, pdfBytes...), make([]byte, 20_000_000)...)
		u, err := Receive(t.Context(), s, "大文件.pdf", bytes.NewReader(content), DefaultLimits())
		if err != nil {
			t.Fatal(err)
		}
		defer u.Close()
		key := "2027/05/01/" + u.SHA256
		if err := u.Keep(t.Context(), key); err != nil {
			t.Fatalf("Keep: %v", err) // the fake answers no multipart upload
		}
		if got := get(t, s, key); !bytes.Equal(got, content) {
			t.Errorf("kept %d bytes, want %d", len(got), len(content))
		}
	})

	t.Run("objects are kept under the prefix with their type", func(t *testing.T) {
		key := "2026/12/01/" + sum64
		if err := s.Put(t.Context(), key, bytes.NewReader(jpegBytes), int64(len(jpegBytes)), JPEG); err != nil {
			t.Fatal(err)
		}
		data, typ, ok := fake.Object("hall-1/uploads/" + key)
		if !ok || !bytes.Equal(data, jpegBytes) || typ != JPEG {
			t.Errorf("object = %q typed %q, %v; want the JPEG bytes typed %s", data, typ, ok, JPEG)
		}
	})
	t.Run("a body that cannot be replayed", func(t *testing.T) {
		// A pipe-like reader takes the streaming path, with no retries.
		key := "2026/12/02/stream"
		r := struct{ io.Reader }{bytes.NewReader(pngBytes)}
		if err := s.Put(t.Context(), key, r, int64(len(pngBytes)), PNG); err != nil {
			t.Fatal(err)
		}
		if got := get(t, s, key); !bytes.Equal(got, pngBytes) {
			t.Errorf("Get = %q, want %q", got, pngBytes)
		}
		for _, size := range []int64{int64(len(pngBytes)) - 1, int64(len(pngBytes)) + 1} {
			r := struct{ io.Reader }{bytes.NewReader(pngBytes)}
			k := "2026/12/02/wrong-" + strconv.FormatInt(size, 10)
			if err := s.Put(t.Context(), k, r, size, PNG); err == nil {
				t.Errorf("Put of %d bytes as %d succeeded", len(pngBytes), size)
			}
			if _, _, ok := fake.Object("hall-1/uploads/" + k); ok {
				t.Errorf("size %d: a wrong-size body was stored", size)
			}
		}
	})
	t.Run("the bucket's region is asked once", func(t *testing.T) {
		n := 0
		for _, req := range fake.Requests() {
			if strings.HasSuffix(req, "?location=") {
				n++
			}
		}
		chunked := fake.Chunked()
		if n != 1 {
			t.Errorf("asked the location %d times, want once", n)
		}
		// Over plain HTTP the client signs bodies chunk by chunk; the fake
		// must have decoded them for the round trips above to pass.
		if chunked == 0 {
			t.Error("no PUT came aws-chunked; the streaming path went untested")
		}
	})
}

func TestS3Faults(t *testing.T) {
	fake := blobtest.NewS3(t, "onewindow", "AKTEST")
	ctx := t.Context()
	tests := []struct {
		name string
		cfg  S3Config
	}{
		{"wrong key", S3Config{Endpoint: fake.Endpoint(), Bucket: "onewindow", AccessKey: "AKOTHER", SecretKey: "s", Region: "cn-north-1"}},
		{"missing bucket", S3Config{Endpoint: fake.Endpoint(), Bucket: "elsewhere", AccessKey: "AKTEST", SecretKey: "s", Region: "cn-north-1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := newS3(tt.cfg, minio.BucketLookupPath)
			if err != nil {
				t.Fatal(err)
			}
			// Faults of the setup are ours: internal, never NotFound.
			err = s.Put(ctx, "a/b", bytes.NewReader(pdfBytes), int64(len(pdfBytes)), PDF)
			wantInternal(t, err)
			_, err = s.Get(ctx, "a/b")
			wantInternal(t, err)
			wantInternal(t, s.Delete(ctx, "a/b"))
		})
	}
	t.Run("server gone", func(t *testing.T) {
		down := httptest.NewServer(http.NotFoundHandler())
		down.Close()
		s, err := newS3(S3Config{Endpoint: blobtest.Endpoint(down), Bucket: "onewindow", AccessKey: "AK", SecretKey: "s", Region: "cn-north-1"}, minio.BucketLookupPath)
		if err != nil {
			t.Fatal(err)
		}
		// The client retries with back-off; do not wait for all of it.
		ctx, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
		defer cancel()
		_, err = s.Get(ctx, "a/b")
		wantInternal(t, err)
	})
}

// wantInternal fails unless err is an Internal error that keeps its cause
// for the log.
func wantInternal(t *testing.T, err error) {
	t.Helper()
	if !apperr.Is(err, apperr.Internal) || errors.Unwrap(err) == nil {
		t.Errorf("got %v, want an internal error carrying its cause", err)
	}
}

func TestNewS3Refuses(t *testing.T) {
	good := S3Config{Endpoint: "minio.internal:9000", Bucket: "onewindow", AccessKey: "AK", SecretKey: "SK"}
	if _, err := NewS3(good); err != nil {
		t.Fatalf("NewS3(%+v): %v", good, err)
	}
	tests := []struct {
		name   string
		change func(*S3Config)
	}{
		{"no endpoint", func(c *S3Config) { c.Endpoint = "" }},
		{"endpoint with a scheme", func(c *S3Config) { c.Endpoint = "http://minio.internal:9000/x" }},
		{"no bucket", func(c *S3Config) { c.Bucket = "" }},
		{"bad bucket", func(c *S3Config) { c.Bucket = "Bad_Bucket" }},
		{"no access key", func(c *S3Config) { c.AccessKey = "" }},
		{"no secret key", func(c *S3Config) { c.SecretKey = "" }},
		{"bad prefix", func(c *S3Config) { c.Prefix = "../up" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := good
			tt.change(&cfg)
			if _, err := NewS3(cfg); err == nil {
				t.Errorf("NewS3(%+v) succeeded", cfg)
			} else if strings.Contains(err.Error(), cfg.SecretKey) && cfg.SecretKey != "" {
				t.Errorf("error repeats the secret key: %v", err)
			}
		})
	}
}
