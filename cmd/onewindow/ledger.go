package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"syscall"
	"time"

	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/export"
	"github.com/onewindow/onewindow/internal/ledger"
	"github.com/onewindow/onewindow/internal/service"
)

func (m *Main) ledger(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] != "export" {
		fmt.Fprintln(m.Stderr, "Usage: onewindow ledger export --ledger cases|handovers|deliveries|ratings --from DATE --to DATE [flags]")
		return errUsage
	}
	cfg, err := m.config()
	if err != nil {
		return err
	}
	fs := m.flags("ledger export [flags]", "Writes a ledger (台账) of a period as .xlsx or CSV (UTF-8 with BOM), streamed from the database,\n"+
		"with ID numbers masked; then reports on stderr the rows written, rows per second and the process's\n"+
		"peak memory (RSS): the load test of the exports.")
	dbFlag(fs, &cfg)
	kind := fs.String("ledger", "cases", "cases, handovers, deliveries or ratings")
	from := fs.String("from", "", "first day, YYYY-MM-DD (default: this month)")
	to := fs.String("to", "", "last day, YYYY-MM-DD")
	dept := fs.String("department", "", "department code")
	format := fs.String("format", "xlsx", "xlsx or csv")
	out := fs.String("out", "", "file to write (default: stdout)")
	if done, err := parse(fs, args[1:]); done {
		return err
	}
	k, err := ledger.ParseKind(*kind)
	if err != nil {
		return cliError(err)
	}
	f, err := export.ParseFormat(*format)
	if err != nil {
		return cliError(err)
	}
	r := service.LedgerRequest{Kind: k, Filter: ledger.Filter{Department: *dept}}
	for _, d := range []struct {
		flag string
		into *calendar.Date
	}{{*from, &r.Filter.From}, {*to, &r.Filter.To}} {
		if d.flag == "" {
			continue
		}
		if *d.into, err = calendar.ParseDate(d.flag); err != nil {
			return fmt.Errorf("date %q: use YYYY-MM-DD", d.flag)
		}
	}
	ctx, svc, err := m.openCLI(ctx, cfg)
	if err != nil {
		return err
	}
	// As serve does at start: cases written before the case ledger
	// existed get their ledger rows.
	if _, err := m.store.FillCaseLedger(ctx); err != nil {
		return fmt.Errorf("case ledger: %w", err)
	}
	var w io.Writer = m.Stdout
	if *out != "" {
		file, err := os.Create(*out)
		if err != nil {
			return err
		}
		defer file.Close()
		buf := bufio.NewWriterSize(file, 256<<10)
		defer buf.Flush()
		w = buf
	}
	started := time.Now()
	n, err := svc.Ledgers().Export(ctx, r, f, w)
	if err != nil {
		return cliError(err)
	}
	took := time.Since(started)
	fmt.Fprintf(m.Stderr, "%s: %d rows in %s, %.0f rows/s, peak RSS %.0f MB\n",
		k.Label(), n, took.Round(time.Millisecond), float64(n)/took.Seconds(), peakRSSMB())
	return nil
}

// peakRSSMB returns the process's peak resident memory in megabytes
// (Linux reports ru_maxrss in kilobytes).
func peakRSSMB() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return float64(ru.Maxrss) / 1024
}
