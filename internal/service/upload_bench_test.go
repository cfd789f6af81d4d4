package service_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/blob"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/demo"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/store"
	"github.com/onewindow/onewindow/internal/store/storetest"
)

// BenchmarkConcurrentUploads uploads six 20 MB files at once, as the attack
// on the online hall did, and reports the peak of the live heap and of the
// process's resident memory while they run:
//
//	go test -run '^$' -bench ConcurrentUploads -benchtime 5x ./internal/service/
//
// An upload read whole into memory costs its size (and more while the
// buffer grows); a streamed one costs its copy buffers.
func BenchmarkConcurrentUploads(b *testing.B) {
	const (
		uploads = 6
		size    = 20_000_000
	)
	b.Run("folder", func(b *testing.B) {
		blobs, err := blob.NewDir(b.TempDir())
		if err != nil {
			b.Fatal(err)
		}
		benchUploads(b, blobs, uploads, size)
	})
	b.Run("s3", func(b *testing.B) {
		blobs := discardingS3(b)
		benchUploads(b, blobs, uploads, size)
	})
}

func benchUploads(b *testing.B, blobs blob.Store, uploads, size int) {
	clk := clock.At(time.Date(2026, 11, 25, 10, 0, 0, 0, clock.Shanghai))
	st := storetest.Open(b, store.SQLite, clk)
	svc := service.New(st, clk, slog.New(slog.NewTextHandler(io.Discard, nil)), service.DefaultConfig())
	svc.Use(blobs, nil)
	creds, err := svc.LoadDemo(service.AsSystem(context.Background()), demo.Load())
	if err != nil {
		b.Fatal(err)
	}
	var me context.Context
	for _, c := range creds {
		if c.Role == "applicant" {
			acc, err := svc.SignInApplicant(context.Background(), c.Username, c.Password)
			if err != nil {
				b.Fatal(err)
			}
			me = service.WithRequest(service.WithAccount(context.Background(), acc), service.Request{ID: "bench", Channel: "web"})
		}
	}
	if me == nil {
		b.Fatal("the demo has no applicant")
	}
	var heap, rss int64
	b.SetBytes(int64(uploads * size))
	b.ResetTimer()
	for i := range b.N {
		m := startMemoryMeter()
		var wg sync.WaitGroup
		errs := make(chan error, uploads)
		for u := range uploads {
			wg.Go(func() {
				// Each file differs, so each is kept on its own.
				tag := strconv.Itoa(i) + "-" + strconv.Itoa(u)
				if _, err := svc.UploadFile(me, "扫描件"+tag+".pdf", pdfOfSize(tag, size)); err != nil {
					errs <- err
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			b.Fatal(err)
		}
		h, r := m.stop()
		heap, rss = max(heap, h), max(rss, r)
	}
	b.ReportMetric(float64(heap), "peak-heap-B")
	if rss > 0 {
		b.ReportMetric(float64(rss), "peak-RSS-B")
	}
}

// pdfOfSize is a PDF of size bytes, made as it is read.
func pdfOfSize(tag string, size int) io.Reader {
	head := []byte("%PDF-1.4\n%" + tag + "\n")
	return io.MultiReader(bytes.NewReader(head), io.LimitReader(zeros{}, int64(size-len(head))))
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// memoryMeter samples the live heap every millisecond and reads the peak
// resident set the kernel recorded since it was reset.
type memoryMeter struct {
	peak atomic.Int64
	done chan struct{}
	wg   sync.WaitGroup
	rss  bool // the peak resident set could be reset
}

func startMemoryMeter() *memoryMeter {
	runtime.GC()
	debug.FreeOSMemory()
	m := &memoryMeter{done: make(chan struct{})}
	// Writing 5 resets the peak resident set (VmHWM) to the current one.
	m.rss = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) == nil
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	m.wg.Go(func() {
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(sample)
			if v := int64(sample[0].Value.Uint64()); v > m.peak.Load() {
				m.peak.Store(v)
			}
			select {
			case <-m.done:
				return
			case <-t.C:
			}
		}
	})
	return m
}

// stop returns the peak live heap and the peak resident set (0 where it
// cannot be read), in bytes.
func (m *memoryMeter) stop() (heap, rss int64) {
	close(m.done)
	m.wg.Wait()
	if m.rss {
		rss = vmHWM()
	}
	return m.peak.Load(), rss
}

// vmHWM reads the process's peak resident set in bytes (Linux).
func vmHWM() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmHWM:" {
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			return kb << 10
		}
	}
	return 0
}

// discardingS3 is a store on an S3 server that reads every body and keeps
// none of it, so that only the uploading side's memory is measured. It
// answers single PUTs and the multipart upload's three requests.
func discardingS3(b *testing.B) blob.Store {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		q := r.URL.Query()
		w.Header().Set("ETag", `"d41d8cd98f00b204e9800998ecf8427e"`)
		switch {
		case r.Method == http.MethodPost && q.Has("uploads"):
			io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><InitiateMultipartUploadResult><Bucket>b</Bucket><Key>k</Key><UploadId>u1</UploadId></InitiateMultipartUploadResult>`)
		case r.Method == http.MethodPost && q.Has("uploadId"):
			io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><CompleteMultipartUploadResult><Bucket>b</Bucket><Key>k</Key><ETag>"d41d8cd98f00b204e9800998ecf8427e-2"</ETag></CompleteMultipartUploadResult>`)
		case r.Method == http.MethodDelete:
			w.WriteHeader(http.StatusNoContent)
		}
	}))
	b.Cleanup(srv.Close)
	s, err := blob.NewS3(blob.S3Config{Endpoint: strings.TrimPrefix(srv.URL, "http://"), Bucket: "onewindow",
		AccessKey: "AK", SecretKey: "SK", Region: "cn-north-1"})
	if err != nil {
		b.Fatal(err)
	}
	return s
}
