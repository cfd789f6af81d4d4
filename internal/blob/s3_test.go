package blob

import (
	"bufio"
	"bytes"
	"context"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"

	"github.com/onewindow/onewindow/internal/apperr"
)

// fakeS3 is the least of an S3 server the store needs: path-style PUT, GET,
// HEAD and DELETE of objects in one bucket, GET ?location, and the
// aws-chunked bodies the client sends over plain HTTP. It checks that
// requests are signed with its access key but not the signatures.
type fakeS3 struct {
	bucket, accessKey string

	mu       sync.Mutex
	objects  map[string]fakeObject
	requests []string // "METHOD path?query", for the tests' eyes
	chunked  int      // PUTs whose body came aws-chunked
	pageSize int      // keys per listing page; 1,000 (S3's) when 0
}

type fakeObject struct {
	data        []byte
	contentType string
	modified    time.Time
}

func newFakeS3(t *testing.T, bucket, accessKey string) (*fakeS3, *httptest.Server) {
	f := &fakeS3{bucket: bucket, accessKey: accessKey, objects: map[string]fakeObject{}}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return f, srv
}

// endpoint returns the host:port of srv, as S3Config wants it.
func endpoint(srv *httptest.Server) string {
	return strings.TrimPrefix(srv.URL, "http://")
}

func (f *fakeS3) object(name string) (fakeObject, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	o, ok := f.objects[name]
	return o, ok
}

func (f *fakeS3) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.requests = append(f.requests, r.Method+" "+r.URL.RequestURI())
	f.mu.Unlock()

	if !strings.Contains(r.Header.Get("Authorization"), "Credential="+f.accessKey+"/") {
		s3Fail(w, http.StatusForbidden, "AccessDenied", "Access Denied.")
		return
	}
	bucket, name, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
	if bucket != f.bucket {
		s3Fail(w, http.StatusNotFound, "NoSuchBucket", "The specified bucket does not exist")
		return
	}
	if name == "" {
		if _, ok := r.URL.Query()["location"]; ok && r.Method == http.MethodGet {
			w.Header().Set("Content-Type", "application/xml")
			io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?>`+
				`<LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/">cn-north-1</LocationConstraint>`)
			return
		}
		if r.URL.Query().Get("list-type") == "2" && r.Method == http.MethodGet {
			f.list(w, r)
			return
		}
		s3Fail(w, http.StatusNotImplemented, "NotImplemented", "bucket operation not faked")
		return
	}
	if len(r.URL.Query()) > 0 {
		// Multipart uploads, tagging, versions: nothing the store uses.
		s3Fail(w, http.StatusNotImplemented, "NotImplemented", "query "+r.URL.RawQuery+" not faked")
		return
	}

	switch r.Method {
	case http.MethodPut:
		data, err := f.readS3Body(r)
		if err != nil {
			// An incomplete upload is never stored.
			s3Fail(w, http.StatusBadRequest, "IncompleteBody", err.Error())
			return
		}
		sum := md5.Sum(data)
		f.mu.Lock()
		f.objects[name] = fakeObject{data: data, contentType: r.Header.Get("Content-Type"), modified: time.Now()}
		f.mu.Unlock()
		w.Header().Set("ETag", `"`+hex.EncodeToString(sum[:])+`"`)
		w.WriteHeader(http.StatusOK)
	case http.MethodGet, http.MethodHead:
		o, ok := f.object(name)
		if !ok {
			s3Fail(w, http.StatusNotFound, "NoSuchKey", "The specified key does not exist.")
			return
		}
		sum := md5.Sum(o.data)
		h := w.Header()
		h.Set("Content-Type", o.contentType)
		h.Set("Content-Length", strconv.Itoa(len(o.data)))
		h.Set("ETag", `"`+hex.EncodeToString(sum[:])+`"`)
		h.Set("Last-Modified", time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC).Format(http.TimeFormat))
		w.WriteHeader(http.StatusOK)
		if r.Method == http.MethodGet {
			w.Write(o.data)
		}
	case http.MethodDelete:
		f.mu.Lock()
		delete(f.objects, name)
		f.mu.Unlock()
		w.WriteHeader(http.StatusNoContent) // S3 says the same for a missing key
	default:
		s3Fail(w, http.StatusMethodNotAllowed, "MethodNotAllowed", "method not faked")
	}
}

// list answers ListObjectsV2: the keys under prefix in order, a page at a
// time, the continuation token being the last key sent.
func (f *fakeS3) list(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("delimiter") != "" {
		s3Fail(w, http.StatusNotImplemented, "NotImplemented", "delimited listing not faked")
		return
	}
	prefix, after := q.Get("prefix"), q.Get("continuation-token")
	page := f.pageSize
	if page == 0 {
		page = 1000
	}
	f.mu.Lock()
	var keys []string
	for k := range f.objects {
		if strings.HasPrefix(k, prefix) && k > after {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	truncated := len(keys) > page
	if truncated {
		keys = keys[:page]
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">`+
		`<Name>%s</Name><Prefix>%s</Prefix><KeyCount>%d</KeyCount><MaxKeys>%d</MaxKeys><IsTruncated>%t</IsTruncated>`,
		f.bucket, prefix, len(keys), page, truncated)
	for _, k := range keys {
		o := f.objects[k]
		fmt.Fprintf(&b, `<Contents><Key>%s</Key><LastModified>%s</LastModified><ETag>"x"</ETag><Size>%d</Size><StorageClass>STANDARD</StorageClass></Contents>`,
			k, o.modified.UTC().Format("2006-01-02T15:04:05.000Z"), len(o.data))
	}
	if truncated {
		fmt.Fprintf(&b, `<NextContinuationToken>%s</NextContinuationToken>`, keys[len(keys)-1])
	}
	b.WriteString(`</ListBucketResult>`)
	f.mu.Unlock()
	w.Header().Set("Content-Type", "application/xml")
	io.WriteString(w, b.String())
}

// readS3Body reads a PUT's payload, decoding the aws-chunked encoding of a
// streaming signature ("<hex size>;chunk-signature=<sig>\r\n<data>\r\n"...,
// ending with a zero-size chunk and optional trailers).
func (f *fakeS3) readS3Body(r *http.Request) ([]byte, error) {
	if !strings.HasPrefix(r.Header.Get("X-Amz-Content-Sha256"), "STREAMING-") {
		return io.ReadAll(r.Body)
	}
	f.mu.Lock()
	f.chunked++
	f.mu.Unlock()
	want, err := strconv.ParseInt(r.Header.Get("X-Amz-Decoded-Content-Length"), 10, 64)
	if err != nil {
		return nil, fmt.Errorf("x-amz-decoded-content-length: %w", err)
	}
	br := bufio.NewReader(r.Body)
	var data bytes.Buffer
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			return nil, fmt.Errorf("chunk header: %w", err)
		}
		sizeHex, _, _ := strings.Cut(strings.TrimRight(line, "\r\n"), ";")
		size, err := strconv.ParseInt(sizeHex, 16, 64)
		if err != nil {
			return nil, fmt.Errorf("chunk size %q: %w", sizeHex, err)
		}
		if size == 0 {
			break
		}
		if _, err := io.CopyN(&data, br, size); err != nil {
			return nil, fmt.Errorf("chunk data: %w", err)
		}
		if crlf, err := br.ReadString('\n'); err != nil || crlf != "\r\n" {
			return nil, fmt.Errorf("chunk end %q: %v", crlf, err)
		}
	}
	if int64(data.Len()) != want {
		return nil, fmt.Errorf("decoded %d bytes, header says %d", data.Len(), want)
	}
	return data.Bytes(), nil
}

// s3Fail writes an S3 error document.
func s3Fail(w http.ResponseWriter, status int, code, message string) {
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(status)
	fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>%s</Code><Message>%s</Message></Error>`, code, message)
}

func TestS3(t *testing.T) {
	fake, srv := newFakeS3(t, "onewindow", "AKTEST")
	spool := t.TempDir()
	s, err := newS3(S3Config{
		Endpoint:  endpoint(srv),
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
		fake.mu.Lock()
		fake.pageSize = 2
		for _, name := range []string{"hall-10/uploads/2027/01/02/x", "hall-1/2027/01/02/y", "hall-1/uploads/2027/01/02/UPPER"} {
			fake.objects[name] = fakeObject{data: pdfBytes, modified: time.Now()}
		}
		fake.mu.Unlock()
		testList(t, s)
		fake.mu.Lock()
		fake.pageSize = 0
		fake.mu.Unlock()
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
		o, ok := fake.object("hall-1/uploads/" + key)
		if !ok || !bytes.Equal(o.data, jpegBytes) || o.contentType != JPEG {
			t.Errorf("object = %+v, %v; want the JPEG bytes typed %s", o, ok, JPEG)
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
			if _, ok := fake.object("hall-1/uploads/" + k); ok {
				t.Errorf("size %d: a wrong-size body was stored", size)
			}
		}
	})
	t.Run("the bucket's region is asked once", func(t *testing.T) {
		n := 0
		fake.mu.Lock()
		for _, req := range fake.requests {
			if strings.HasSuffix(req, "?location=") {
				n++
			}
		}
		chunked := fake.chunked
		fake.mu.Unlock()
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
	_, srv := newFakeS3(t, "onewindow", "AKTEST")
	ctx := t.Context()
	tests := []struct {
		name string
		cfg  S3Config
	}{
		{"wrong key", S3Config{Endpoint: endpoint(srv), Bucket: "onewindow", AccessKey: "AKOTHER", SecretKey: "s", Region: "cn-north-1"}},
		{"missing bucket", S3Config{Endpoint: endpoint(srv), Bucket: "elsewhere", AccessKey: "AKTEST", SecretKey: "s", Region: "cn-north-1"}},
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
		s, err := newS3(S3Config{Endpoint: endpoint(down), Bucket: "onewindow", AccessKey: "AK", SecretKey: "s", Region: "cn-north-1"}, minio.BucketLookupPath)
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
