package export

import (
	"context"

	"github.com/xuri/excelize/v2"
)

// prepared is one row made ready to write: escaped text (CSV), or the
// values excelize's SetRow takes (xlsx), with the cells of the values
// that carry a number format. A prepared row is reused: what it holds is
// valid until it is prepared again.
type prepared struct {
	text  []string
	vals  []any
	cells []excelize.Cell
}

// preparer is a writer whose rows can be made ready on another goroutine
// than the one that writes them: prepare reads nothing the writing
// changes.
type preparer interface {
	prepare(r *prepared, cells []any)
	writePrepared(r *prepared) error
}

// Stream's batches: rows go from the reading goroutine to the writing one
// BatchRows at a time, and at most streamBatches batches exist, so memory
// stays flat however long the table.
const (
	BatchRows     = 256
	streamBatches = 6
)

type batch struct {
	rows []prepared
	n    int
}

// Stream writes to w every row read emits, reading and writing at once:
// read runs on a goroutine of its own, where each row is also converted
// (escaped, typed) as w will write it; the calling goroutine does only
// the writing. Rows travel in batches of BatchRows, recycled, so that
// neither the hand-over nor the rows' slices cost anything per row.
// cells may be reused by read once emit returns. Stream returns how
// many rows it wrote, read's error and the writing's. When both are nil,
// the caller closes w (or aborts it); after an error Stream has aborted w
// itself (Writer.Abort: a workbook's temporary files are removed, nothing
// more is written), as an export that failed midway (the query failed,
// the client went away) has no file to finish. Once the writing fails,
// emit returns an error (read should return it) and the rows still sent
// are dropped.
func Stream(ctx context.Context, w Writer, read func(emit func(cells []any) error) error) (n int, readErr, writeErr error) {
	defer func() {
		if readErr != nil || writeErr != nil {
			w.Abort()
		}
	}()
	n0 := w.Rows()
	p, ok := w.(preparer)
	if !ok {
		readErr = read(func(cells []any) error {
			if writeErr = w.Row(cells); writeErr != nil {
				return writeErr
			}
			return nil
		})
		if writeErr != nil {
			readErr = nil
		}
		return w.Rows() - n0, readErr, writeErr
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	full := make(chan *batch, streamBatches)
	free := make(chan *batch, streamBatches)
	for range streamBatches {
		free <- &batch{rows: make([]prepared, BatchRows)}
	}
	go func() {
		defer close(full)
		var b *batch
		send := func() error {
			select {
			case full <- b:
				b = nil
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		readErr = read(func(cells []any) error {
			if b == nil {
				select {
				case b = <-free:
					b.n = 0
				case <-ctx.Done():
					return ctx.Err()
				}
			}
			p.prepare(&b.rows[b.n], cells)
			if b.n++; b.n == len(b.rows) {
				return send()
			}
			return nil
		})
		if b != nil && b.n > 0 { // the rows read before the end (or an error)
			if err := send(); err != nil && readErr == nil {
				readErr = err
			}
		}
	}()
	for b := range full {
		for i := 0; i < b.n && writeErr == nil; i++ {
			if writeErr = p.writePrepared(&b.rows[i]); writeErr != nil {
				cancel() // stop the reading; drain what it sent
			}
		}
		free <- b // never blocks: free holds every batch there is
	}
	if writeErr != nil {
		readErr = nil // the reading stopped because the writing did
	}
	return w.Rows() - n0, readErr, writeErr
}
