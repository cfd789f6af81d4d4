package page

// Work lists of cases, as the home page, the agent's desk, the online
// hall and the catalog editor show them.

import (
	"time"

	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/service"
)

// CaseRow is one case in a work list, with its urgency in words.
type CaseRow struct {
	V        *service.CaseView
	Due      string // the next running deadline's name
	DueAt    time.Time
	DueWords string
}

// Rows turns a page of cases into list rows.
func (h *Kit) Rows(cal *calendar.Calendar, now time.Time, views []*service.CaseView) []CaseRow {
	out := make([]CaseRow, 0, len(views))
	for _, v := range views {
		row := CaseRow{V: v}
		for _, d := range v.Open {
			if row.DueAt.IsZero() || d.At.Before(row.DueAt) {
				row.Due, row.DueAt = d.Name, d.At
			}
		}
		switch {
		case !row.DueAt.IsZero():
			row.DueWords = DueWords(cal, now, row.DueAt)
		case v.Case.Kind == "instant" && !v.Case.State.Closed():
			row.DueWords = "即办"
		case v.Case.State.Closed():
			row.DueWords = "已办结"
		default:
			row.DueWords = "—"
		}
		out = append(out, row)
	}
	return out
}
