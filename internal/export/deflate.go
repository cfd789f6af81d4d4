package export

import (
	"bytes"
	"io"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/klauspost/compress/flate"
)

// deflateChunk is how much of a zip entry one goroutine compresses at a
// time.
const deflateChunk = 256 << 10

// parallelDeflate compresses a zip entry on every core, as pigz does:
// the data is cut into chunks, each deflated on its own (at the fastest
// level) and ended with a sync flush, so that their outputs, written in
// order, make one valid deflate stream; the last chunk ends it. A chunk
// never refers back into the one before, which costs a few bytes per
// megabyte. excelize deflates the finished sheet (the whole ledger's XML)
// only after the last row: on one core that was a fifth of an xlsx
// export's time.
type parallelDeflate struct {
	out   io.Writer
	chunk *deflateJob      // being filled
	sem   chan struct{}    // bounds the chunks being compressed
	queue chan *deflateJob // the chunks in order, to the writing goroutine
	done  chan error       // the writing goroutine's result
	once  sync.Once
	err   error
	// failed is the output's error, once a write of it failed: Write
	// returns it, so that excelize stops copying the sheet in (a client
	// gone midway would otherwise have the rest of the sheet compressed
	// for nothing).
	failed atomic.Pointer[error]
}

// deflateJob is a chunk: its data, then its compressed output.
type deflateJob struct {
	in    []byte
	out   bytes.Buffer
	final bool
	ready chan struct{}
}

// deflaters keeps the compressors (each holds its tables) between
// chunks, and chunks their buffers: an export allocates neither per chunk.
var (
	deflaters = sync.Pool{New: func() any {
		w, _ := flate.NewWriter(io.Discard, flate.BestSpeed)
		return w
	}}
	chunks = sync.Pool{New: func() any { return &deflateJob{in: make([]byte, 0, deflateChunk)} }}
)

func newParallelDeflate(out io.Writer) *parallelDeflate {
	n := max(runtime.GOMAXPROCS(0), 1)
	d := &parallelDeflate{out: out, sem: make(chan struct{}, n), queue: make(chan *deflateJob, n), done: make(chan error, 1)}
	go d.write()
	return d
}

// write writes the chunks' outputs in order; after an error it only
// drains them.
func (d *parallelDeflate) write() {
	var err error
	for j := range d.queue {
		<-j.ready
		if err == nil {
			if _, err = d.out.Write(j.out.Bytes()); err != nil {
				failed := err
				d.failed.Store(&failed)
			}
		}
		j.in = j.in[:0]
		j.out.Reset()
		chunks.Put(j)
	}
	d.done <- err
}

func (d *parallelDeflate) Write(p []byte) (int, error) {
	if err := d.failed.Load(); err != nil {
		return 0, *err
	}
	n := len(p)
	for len(p) > 0 {
		if d.chunk == nil {
			d.chunk = chunks.Get().(*deflateJob)
		}
		k := min(len(p), deflateChunk-len(d.chunk.in))
		d.chunk.in = append(d.chunk.in, p[:k]...)
		p = p[k:]
		if len(d.chunk.in) == deflateChunk {
			d.submit(false)
		}
	}
	return n, nil
}

// submit compresses the chunk on a goroutine of its own and queues it.
func (d *parallelDeflate) submit(final bool) {
	j := d.chunk
	if j == nil {
		j = chunks.Get().(*deflateJob)
	}
	d.chunk = nil
	j.final, j.ready = final, make(chan struct{})
	d.sem <- struct{}{}
	go func() {
		defer func() { <-d.sem }()
		w := deflaters.Get().(*flate.Writer)
		w.Reset(&j.out)
		w.Write(j.in) // writes to a bytes.Buffer: no error
		if j.final {
			w.Close()
		} else {
			w.Flush() // a sync flush: the stream goes on in the next chunk's output
		}
		deflaters.Put(w)
		close(j.ready)
	}()
	d.queue <- j
}

// Close compresses the rest, ends the stream and waits for it to be
// written.
func (d *parallelDeflate) Close() error {
	d.once.Do(func() {
		d.submit(true)
		close(d.queue)
		d.err = <-d.done
	})
	return d.err
}
