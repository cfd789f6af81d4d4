// Package blobtest fakes an S3-compatible server, so that the S3 blob
// store — and whatever uses it — is tested without a real one.
package blobtest

import (
	"bufio"
	"bytes"
	"crypto/md5"
	"encoding/hex"
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
)

// S3 is the least of an S3 server the blob store needs: path-style PUT,
// GET, HEAD and DELETE of objects in one bucket, GET ?location, listing
// (ListObjectsV2, page by page), and the aws-chunked bodies the client
// sends over plain HTTP. It checks that requests are signed with its
// access key but not the signatures. Multipart uploads are not faked: the
// store must not need them.
type S3 struct {
	bucket, accessKey string
	srv               *httptest.Server

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

// NewS3 starts a fake server with one bucket, whose requests must be
// signed with accessKey, stopped when the test ends.
func NewS3(t testing.TB, bucket, accessKey string) *S3 {
	f := &S3{bucket: bucket, accessKey: accessKey, objects: map[string]fakeObject{}}
	f.srv = httptest.NewServer(f)
	t.Cleanup(f.srv.Close)
	return f
}

// Endpoint returns the server's host:port, as blob.S3Config wants it.
func (f *S3) Endpoint() string {
	return Endpoint(f.srv)
}

// Endpoint returns the host:port of srv, as blob.S3Config wants it.
func Endpoint(srv *httptest.Server) string {
	return strings.TrimPrefix(srv.URL, "http://")
}

// Object returns the object named name (the full name, the store's prefix
// included).
func (f *S3) Object(name string) (data []byte, contentType string, ok bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	o, ok := f.objects[name]
	return o.data, o.contentType, ok
}

// PutObject stores an object directly, as another system sharing the
// bucket (or an older version of the program) would have.
func (f *S3) PutObject(name string, data []byte, modified time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.objects[name] = fakeObject{data: data, modified: modified}
}

// Names returns the names of the objects held, in order.
func (f *S3) Names() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var names []string
	for n := range f.objects {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// Requests returns every request received, as "METHOD path?query".
func (f *S3) Requests() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.requests)
}

// Chunked returns how many PUTs came with an aws-chunked body.
func (f *S3) Chunked() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.chunked
}

// SetPageSize sets how many keys a listing page holds (0: 1,000, as S3).
func (f *S3) SetPageSize(n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.pageSize = n
}

func (f *S3) ServeHTTP(w http.ResponseWriter, r *http.Request) {
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
		f.mu.Lock()
		o, ok := f.objects[name]
		f.mu.Unlock()
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
func (f *S3) list(w http.ResponseWriter, r *http.Request) {
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
func (f *S3) readS3Body(r *http.Request) ([]byte, error) {
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
