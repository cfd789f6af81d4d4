package supervise

// The ledgers (台账) as pages: one page per ledger with its filters, a page
// of entries in the spreadsheet's columns, and the whole ledger as .xlsx or
// CSV. Both call service.Ledgers, the use case /api/v1/ledgers answers.

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/export"
	"github.com/onewindow/onewindow/internal/ledger"
	"github.com/onewindow/onewindow/internal/org"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/web/page"
)

// option is one choice of a select.
type option struct {
	Value, Label string
	Selected     bool
}

// ledgerCell is one cell of a ledger's table; a case number or a notice
// links to its page.
type ledgerCell struct{ Text, Href string }

// ledgersData is a ledger's page.
type ledgersData struct {
	Kind        ledger.Kind
	Tabs        []navTab
	From, To    string
	Late        bool
	Departments []option // empty for a department admin: their own department only
	Halls       []option
	States      []option // the case states, or the notice states; none for the other ledgers
	Columns     []string
	Rows        [][]ledgerCell
	Total, Page int
	Prev, Next  string
	XLSX, CSV   string
}

// ledgerRequest reads a ledger's filters from the query
// (service.NewLedgerRequest, as the API does).
func ledgerRequest(kind ledger.Kind, q url.Values) (service.LedgerRequest, error) {
	page, _ := strconv.Atoi(q.Get("page"))
	return service.NewLedgerRequest(kind, service.LedgerQuery{From: q.Get("from"), To: q.Get("to"),
		Department: q.Get("department"), Item: q.Get("item"), Hall: q.Get("hall"), Late: q.Get("late") == "true",
		States: q["state"], Page: page})
}

func (h *Handlers) ledgers(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	kind := ledger.Kind(r.PathValue("kind"))
	if kind == "" {
		kind = ledger.Cases
	}
	q := r.URL.Query()
	d := &ledgersData{Kind: kind, From: q.Get("from"), To: q.Get("to"), Late: q.Get("late") == "true"}
	v := page.View{Title: kind.Label(), Data: d}
	if _, err := ledger.ParseKind(string(kind)); err != nil {
		h.fail(w, r, "error", v, apperr.New(apperr.NotFound, "没有这种台账"))
		return
	}
	for _, k := range ledger.Kinds {
		d.Tabs = append(d.Tabs, navTab{Href: "/supervision/ledgers/" + string(k), Label: k.Label(), Key: string(k)})
	}
	req, err := ledgerRequest(kind, q)
	if err == nil && q.Get("format") != "" {
		h.exportLedger(w, r, req, q.Get("format"))
		return
	}
	var p *service.LedgerPage
	if err == nil {
		p, err = h.svc.Ledgers().Page(ctx, req)
	}
	h.ledgerFilters(r, d, q)
	if err != nil {
		h.fail(w, r, "ledgers", v, err)
		return
	}
	d.From, d.To, d.Total, d.Page = p.Filter.From.String(), p.Filter.To.String(), p.Total, p.Page
	d.Columns = ledger.Columns(kind)
	for _, e := range ledgerEntries(p) {
		var row []ledgerCell
		for i, c := range e.Cells() {
			cell := ledgerCell{Text: export.Text(c)}
			switch d.Columns[i] {
			case "办件编号":
				if cell.Text != "" {
					cell.Href = "/cases/" + url.PathEscape(cell.Text)
				}
			case "督办单编号":
				cell.Href = "/supervision/notices/" + cell.Text
			}
			row = append(row, cell)
		}
		d.Rows = append(d.Rows, row)
	}
	pageURL := func(set ...string) string {
		c := url.Values{}
		for k, vs := range q {
			c[k] = vs
		}
		c.Set("from", d.From)
		c.Set("to", d.To)
		for i := 0; i+1 < len(set); i += 2 {
			c.Set(set[i], set[i+1])
		}
		if c.Get("page") == "1" {
			c.Del("page")
		}
		return "/supervision/ledgers/" + string(kind) + "?" + c.Encode()
	}
	if p.Page > 1 {
		d.Prev = pageURL("page", strconv.Itoa(p.Page-1))
	}
	if p.Page*p.Size < p.Total {
		d.Next = pageURL("page", strconv.Itoa(p.Page+1))
	}
	d.XLSX, d.CSV = pageURL("page", "1", "format", "xlsx"), pageURL("page", "1", "format", "csv")
	h.Render(w, r, http.StatusOK, "ledgers", v)
}

// ledgerFilters fills the filter form's choices: departments by name (a
// department admin has only their own), halls by name, and the states the
// ledger filters by.
func (h *Handlers) ledgerFilters(r *http.Request, d *ledgersData, q url.Values) {
	ctx := r.Context()
	chosen := map[string]bool{}
	for _, s := range q["state"] {
		chosen[s] = true
	}
	if u := service.UserFrom(ctx); u != nil && u.Role != org.RoleDeptAdmin {
		if ds, err := h.svc.Departments(ctx); err == nil {
			for _, x := range ds {
				d.Departments = append(d.Departments, option{x.Code, x.Name, x.Code == q.Get("department")})
			}
		}
	}
	if hs, err := h.svc.Halls(ctx); err == nil {
		for _, x := range hs {
			d.Halls = append(d.Halls, option{x.Code, x.Name, x.Code == q.Get("hall")})
		}
	}
	switch d.Kind {
	case ledger.Cases:
		for _, st := range casework.States {
			d.States = append(d.States, option{string(st), st.Label(), chosen[string(st)]})
		}
	case ledger.Notices:
		for _, st := range ledger.NoticeStates {
			d.States = append(d.States, option{string(st), st.Label(), chosen[string(st)]})
		}
	}
}

// ledgerEntries returns the page's entries, whichever ledger it is of.
func ledgerEntries(p *service.LedgerPage) []interface{ Cells() []any } {
	var out []interface{ Cells() []any }
	for i := range p.Cases {
		out = append(out, &p.Cases[i])
	}
	for i := range p.Handovers {
		out = append(out, &p.Handovers[i])
	}
	for i := range p.Deliveries {
		out = append(out, &p.Deliveries[i])
	}
	for i := range p.Ratings {
		out = append(out, &p.Ratings[i])
	}
	for i := range p.Notices {
		out = append(out, &p.Notices[i])
	}
	return out
}

// exportLedger sends the whole ledger as a file; every check runs before
// the first byte, so a refusal is a page, never half a file.
func (h *Handlers) exportLedger(w http.ResponseWriter, r *http.Request, req service.LedgerRequest, format string) {
	v := page.View{Title: req.Kind.Label()}
	f, err := export.ParseFormat(format)
	if err == nil {
		err = h.svc.Ledgers().Check(r.Context(), &req)
	}
	if err != nil {
		h.fail(w, r, "error", v, err)
		return
	}
	w.Header().Set("Content-Type", f.MediaType())
	w.Header().Set("Content-Disposition", "attachment; filename=\"ledger."+string(f)+"\"; filename*=UTF-8''"+
		url.PathEscape(req.FileName(f)))
	w.Header().Set("Cache-Control", "no-store")
	if _, err := h.svc.Ledgers().Export(r.Context(), req, f, w); err != nil {
		// The header is out: the browser keeps a cut-off file.
		h.log.Error("ledger export failed", "ledger", req.Kind, "err", err, "request_id", service.RequestFrom(r.Context()).ID)
	}
}
