package service

import (
	"context"
	"io"
	"log/slog"
	"strings"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/export"
	"github.com/onewindow/onewindow/internal/identity"
	"github.com/onewindow/onewindow/internal/ledger"
	"github.com/onewindow/onewindow/internal/org"
	"github.com/onewindow/onewindow/internal/store"
)

// LedgerStore is what the ledgers read of the database.
type LedgerStore interface {
	CaseLedger(ctx context.Context, q store.LedgerQuery, each func(*ledger.CaseEntry) error) error
	CountCaseLedger(ctx context.Context, q store.LedgerQuery) (int, error)
	HandoverLedger(ctx context.Context, q store.LedgerQuery, each func(*ledger.HandoverEntry) error) error
	CountHandoverLedger(ctx context.Context, q store.LedgerQuery) (int, error)
	DeliveryLedger(ctx context.Context, q store.LedgerQuery, each func(*ledger.DeliveryEntry) error) error
	CountDeliveryLedger(ctx context.Context, q store.LedgerQuery) (int, error)
	RatingLedger(ctx context.Context, q store.LedgerQuery, each func(*ledger.RatingEntry) error) error
	CountRatingLedger(ctx context.Context, q store.LedgerQuery) (int, error)
	NoticeLedger(ctx context.Context, q store.LedgerQuery, each func(*ledger.NoticeEntry) error) error
	CountNoticeLedger(ctx context.Context, q store.LedgerQuery) (int, error)
	Users(ctx context.Context) ([]org.User, error)
}

// Ledgers is the use-case area of the ledgers (台账): their pages and
// their exports. A supervisor and the bureau's admin read every ledger; a
// department admin reads the department's own; nobody else reads them.
type Ledgers struct {
	store LedgerStore
	clock clock.Clock
	log   *slog.Logger
}

// NewLedgers returns the ledgers' use cases on st.
func NewLedgers(st LedgerStore, clk clock.Clock, log *slog.Logger) *Ledgers {
	return &Ledgers{store: st, clock: clk, log: log}
}

// Ledgers returns the ledgers' use cases on the service's store.
func (s *Service) Ledgers() *Ledgers { return NewLedgers(s.store, s.clock, s.log) }

// LedgerRequest asks for a ledger: which, filtered how, which page (pages
// only), and whether to show ID numbers in full.
type LedgerRequest struct {
	Kind   ledger.Kind
	Filter ledger.Filter
	// RevealIDs asks for applicants' ID numbers in full. Only a department
	// admin may, for the department's own applicants; every reveal is
	// logged. Everyone else reads them masked (first 6 and last 4).
	RevealIDs  bool
	Page, Size int
}

// LedgerQuery is a ledger's filters as a page's query or the API's
// parameters write them.
type LedgerQuery struct {
	From, To               string   // YYYY-MM-DD, "" for unbounded
	Department, Item, Hall string   // codes
	Late                   bool     // only late entries
	States                 []string // case states, or notice states for the notice ledger; each may list several, comma-separated
	RevealIDs              bool
	Page, Size             int
}

// NewLedgerRequest reads q as a request for the ledger of kind: the one
// reading of a ledger's filters, for the pages and the API alike. Bad
// dates are field errors.
func NewLedgerRequest(kind ledger.Kind, q LedgerQuery) (LedgerRequest, error) {
	r := LedgerRequest{Kind: kind, RevealIDs: q.RevealIDs, Page: q.Page, Size: q.Size}
	var errs apperr.Collector
	for _, f := range []struct {
		field, value string
		to           *calendar.Date
	}{{"from", q.From, &r.Filter.From}, {"to", q.To, &r.Filter.To}} {
		if v := strings.TrimSpace(f.value); v != "" {
			d, err := calendar.ParseDate(v)
			if err != nil {
				errs.Add(f.field, "日期格式须为 YYYY-MM-DD")
				continue
			}
			*f.to = d
		}
	}
	r.Filter.Department, r.Filter.Item, r.Filter.Hall, r.Filter.LateOnly = q.Department, q.Item, q.Hall, q.Late
	for _, st := range q.States {
		for part := range strings.SplitSeq(st, ",") {
			switch part = strings.TrimSpace(part); {
			case part == "":
			case kind == ledger.Notices:
				r.Filter.NoticeStates = append(r.Filter.NoticeStates, ledger.NoticeState(part))
			default:
				r.Filter.States = append(r.Filter.States, casework.State(part))
			}
		}
	}
	return r, errs.Err("台账查询条件有误")
}

// Page sizes of a ledger's page.
const (
	LedgerPageSize    = 50
	MaxLedgerPageSize = 500
)

// LedgerPage is one page of a ledger: the entries of its kind (the other
// slices are nil) and how many the whole ledger holds.
type LedgerPage struct {
	Kind       ledger.Kind
	Filter     ledger.Filter
	Total      int
	Page, Size int
	Cases      []ledger.CaseEntry
	Handovers  []ledger.HandoverEntry
	Deliveries []ledger.DeliveryEntry
	Ratings    []ledger.RatingEntry
	Notices    []ledger.NoticeEntry
}

// Check decides whether the signed-in user may read the ledger asked for,
// and completes the request: the current month when no period is given, a
// department admin's own department, the first page of LedgerPageSize. A
// caller that writes a response after it (an export) calls it first, so
// that a refusal is an error and not half a file.
func (l *Ledgers) Check(ctx context.Context, r *LedgerRequest) error {
	a, err := require(ctx, "查看台账", org.RoleSupervisor, org.RoleAdmin, org.RoleDeptAdmin)
	if err != nil {
		return err
	}
	if _, err := ledger.ParseKind(string(r.Kind)); err != nil {
		return err
	}
	if a.Is(org.RoleDeptAdmin) {
		if r.Filter.Department != "" && r.Filter.Department != a.User.DepartmentCode {
			return apperr.New(apperr.Forbidden, "部门管理员只能查看本部门的台账")
		}
		r.Filter.Department = a.User.DepartmentCode
	}
	if r.RevealIDs && !a.System && !a.Is(org.RoleDeptAdmin) {
		return apperr.New(apperr.Forbidden, "您的角色（%s）只能查看脱敏的证件号码", a.User.Role.Label())
	}
	if r.Filter.From.IsZero() && r.Filter.To.IsZero() {
		r.Filter.From, r.Filter.To = ledger.ThisMonth(l.clock.Now())
	}
	if err := r.Filter.Validate(r.Kind); err != nil {
		return err
	}
	if r.Page < 1 {
		r.Page = 1
	}
	switch {
	case r.Size <= 0:
		r.Size = LedgerPageSize
	case r.Size > MaxLedgerPageSize:
		return apperr.Field("size", "每页最多 500 条；要全部请导出")
	}
	return nil
}

// Page returns one page of a ledger.
func (l *Ledgers) Page(ctx context.Context, r LedgerRequest) (*LedgerPage, error) {
	if err := l.Check(ctx, &r); err != nil {
		return nil, err
	}
	q := store.LedgerQuery{Filter: r.Filter, Now: l.clock.Now(), Limit: r.Size, Offset: (r.Page - 1) * r.Size}
	p := &LedgerPage{Kind: r.Kind, Filter: r.Filter, Page: r.Page, Size: r.Size}
	var err error
	switch r.Kind {
	case ledger.Cases:
		p.Cases = []ledger.CaseEntry{}
		p.Total, err = l.store.CountCaseLedger(ctx, q)
	case ledger.Handovers:
		p.Handovers = []ledger.HandoverEntry{}
		p.Total, err = l.store.CountHandoverLedger(ctx, q)
	case ledger.Deliveries:
		p.Deliveries = []ledger.DeliveryEntry{}
		p.Total, err = l.store.CountDeliveryLedger(ctx, q)
	case ledger.Ratings:
		p.Ratings = []ledger.RatingEntry{}
		p.Total, err = l.store.CountRatingLedger(ctx, q)
	case ledger.Notices:
		p.Notices = []ledger.NoticeEntry{}
		p.Total, err = l.store.CountNoticeLedger(ctx, q)
	}
	if err != nil {
		return nil, err
	}
	n, err := l.each(ctx, r, q, func(e any) error {
		switch e := e.(type) {
		case *ledger.CaseEntry:
			p.Cases = append(p.Cases, *e)
		case *ledger.HandoverEntry:
			p.Handovers = append(p.Handovers, *e)
		case *ledger.DeliveryEntry:
			p.Deliveries = append(p.Deliveries, *e)
		case *ledger.RatingEntry:
			p.Ratings = append(p.Ratings, *e)
		case *ledger.NoticeEntry:
			p.Notices = append(p.Notices, *e)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	l.logReveal(ctx, r, n)
	return p, nil
}

// Export writes the whole ledger to w as format f, streamed from the
// database row by row, and returns how many entries it wrote. It checks
// the request before writing anything.
func (l *Ledgers) Export(ctx context.Context, r LedgerRequest, f export.Format, w io.Writer) (int, error) {
	if err := l.Check(ctx, &r); err != nil {
		return 0, err
	}
	out, err := export.New(f, w, r.Kind.Label(), ledger.Columns(r.Kind))
	if err != nil {
		return 0, err
	}
	// Whatever fails before Close (the query, the client gone), the
	// workbook's temporary files go; after Close, Abort does nothing.
	defer out.Abort()
	q := store.LedgerQuery{Filter: r.Filter, Now: l.clock.Now()}
	// Two stages, so that reading the database and writing the file use
	// two cores: export.Stream reads (and converts the cells) on a
	// goroutine of its own and writes on this one, a batch of rows at a
	// time; memory stays flat however long the ledger.
	var cells []any
	n, readErr, writeErr := export.Stream(ctx, out, func(emit func([]any) error) error {
		_, err := l.each(ctx, r, q, func(e any) error {
			cells = e.(cellsAppender).AppendCells(cells[:0])
			return emit(cells)
		})
		return err
	})
	if writeErr != nil {
		return n, apperr.Wrap(writeErr, "write export")
	}
	if readErr != nil {
		return n, readErr
	}
	if err := out.Close(); err != nil {
		return n, apperr.Wrap(err, "write export")
	}
	l.logReveal(ctx, r, n)
	l.log.Info("ledger exported", "ledger", r.Kind, "format", f, "rows", n, "from", r.Filter.From.String(),
		"to", r.Filter.To.String(), "department", r.Filter.Department, "by", ActorFrom(ctx).Name(), "request_id", RequestFrom(ctx).ID)
	return n, nil
}

// cellsAppender is a ledger entry that appends its spreadsheet row to a
// slice (reused from row to row).
type cellsAppender interface{ AppendCells(dst []any) []any }

// FileName names an export's file: the ledger and its period.
func (r LedgerRequest) FileName(f export.Format) string {
	return r.Kind.Label() + "_" + r.Filter.From.String() + "_" + r.Filter.To.String() + "." + string(f)
}

// each calls fn with every entry of the checked request's ledger that q
// selects, people named by their names and ID numbers masked unless
// revealed, and returns how many there were.
func (l *Ledgers) each(ctx context.Context, r LedgerRequest, q store.LedgerQuery, fn func(any) error) (int, error) {
	names, err := l.userNames(ctx)
	if err != nil {
		return 0, err
	}
	q.RevealIDs = r.RevealIDs
	n := 0
	var errRun error
	switch r.Kind {
	case ledger.Cases:
		errRun = l.store.CaseLedger(ctx, q, func(e *ledger.CaseEntry) error {
			if !r.RevealIDs {
				e.IDNumber = identity.Mask(e.IDNumber)
			}
			n++
			return fn(e)
		})
	case ledger.Handovers:
		errRun = l.store.HandoverLedger(ctx, q, func(e *ledger.HandoverEntry) error {
			e.ReceivedBy, e.SignedBy = names(e.ReceivedBy), names(e.SignedBy)
			n++
			return fn(e)
		})
	case ledger.Deliveries:
		errRun = l.store.DeliveryLedger(ctx, q, func(e *ledger.DeliveryEntry) error {
			e.By = names(e.By)
			n++
			return fn(e)
		})
	case ledger.Ratings:
		errRun = l.store.RatingLedger(ctx, q, func(e *ledger.RatingEntry) error {
			e.Clerk = names(e.Clerk)
			n++
			return fn(e)
		})
	case ledger.Notices:
		errRun = l.store.NoticeLedger(ctx, q, func(e *ledger.NoticeEntry) error {
			noticeEntry(e, names, q.Now)
			n++
			return fn(e)
		})
	}
	return n, errRun
}

// userNames returns a function naming staff by their real names; the
// system is 系统, and a name it does not know stays as it is.
func (l *Ledgers) userNames(ctx context.Context) (func(string) string, error) {
	users, err := l.store.Users(ctx)
	if err != nil {
		return nil, err
	}
	m := make(map[string]string, len(users)+1)
	for _, u := range users {
		m[u.Username] = u.Name
	}
	m["system"] = "系统"
	return func(username string) string {
		if name, ok := m[username]; ok {
			return name
		}
		return username
	}, nil
}

// logReveal records that ID numbers were shown in full: who, which ledger,
// which period, how many entries.
func (l *Ledgers) logReveal(ctx context.Context, r LedgerRequest, rows int) {
	if !r.RevealIDs || r.Kind != ledger.Cases {
		return
	}
	l.log.Warn("ledger revealed ID numbers", "ledger", r.Kind, "rows", rows, "department", r.Filter.Department,
		"from", r.Filter.From.String(), "to", r.Filter.To.String(), "by", ActorFrom(ctx).Name(), "request_id", RequestFrom(ctx).ID)
}
