package supervise

// The monthly bulletin (督查通报) as a printable A4 page and its workbook:
// both from service.Supervision.Bulletin, the use case the API answers.

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/export"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/web/page"
)

// bulletinData is the printed bulletin: the use case's bulletin with its
// numbers in words, ready to print.
type bulletinData struct {
	B                    *service.Bulletin
	OnTime, Satisfaction string // rates as percentages, "—" with nothing to count
	Rows                 []bulletinRow
	XLSX                 string // the workbook's address
	Provisional          bool   // the month is not over
}

// bulletinRow is one department of the ranking.
type bulletinRow struct {
	Rank  int
	Label string
	Score string
	Cells []string // each indicator's value and points, in the bulletin's order
	Card  string
}

// rateWords shows a rate as a percentage, "—" when there is nothing to count.
func rateWords(r service.Rate) string {
	if r == nil {
		return "—"
	}
	return strconv.FormatFloat(*r*100, 'f', 1, 64) + "%"
}

// bulletin prints a month's bulletin (last month unless asked), or sends
// its workbook with format=xlsx.
func (h *Handlers) bulletin(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	month := strings.TrimSpace(q.Get("month"))
	if month == "" {
		now := h.svc.Now().In(clock.Shanghai)
		month = time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, clock.Shanghai).AddDate(0, -1, 0).Format("2006-01")
	}
	v := page.View{Title: "督查通报"}
	b, err := h.svc.Supervision().Bulletin(r.Context(), month)
	if err != nil {
		h.fail(w, r, "error", v, err)
		return
	}
	if q.Get("format") == "xlsx" {
		w.Header().Set("Content-Type", export.XLSXType)
		w.Header().Set("Content-Disposition", "attachment; filename=\"bulletin-"+b.Month+".xlsx\"; filename*=UTF-8''"+url.PathEscape(b.FileName()))
		w.Header().Set("Cache-Control", "no-store")
		if err := b.WriteXLSX(w); err != nil {
			// The header is out: the browser keeps a cut-off file.
			h.log.Error("bulletin workbook", "month", b.Month, "err", err, "request_id", service.RequestFrom(r.Context()).ID)
		}
		return
	}
	d := &bulletinData{B: b, OnTime: rateWords(b.Totals.OnTimeCompletion), Satisfaction: rateWords(b.Totals.Satisfaction),
		XLSX: "/supervision/bulletin?month=" + url.QueryEscape(b.Month) + "&format=xlsx", Provisional: !b.Complete}
	for _, x := range b.Ranking {
		row := bulletinRow{Rank: x.Rank, Label: x.Label, Score: strconv.FormatFloat(x.Score, 'f', 1, 64), Card: x.CardLabel}
		for _, in := range x.Indicators {
			cell := "—"
			if in.Measured {
				cell = strconv.FormatFloat(in.Value*100, 'f', 1, 64) + "%（" + strconv.FormatFloat(in.Points, 'f', 1, 64) + " 分）"
			}
			row.Cells = append(row.Cells, cell)
		}
		d.Rows = append(d.Rows, row)
	}
	v.Title, v.Data = b.Title, d
	h.Render(w, r, http.StatusOK, "print/bulletin", v)
}
