package page

// Work lists of cases, as the home page, the agent's desk, the online
// hall and the catalog editor show them.

import (
	"time"

	"github.com/onewindow/onewindow/internal/service"
)

// CaseRow is one case in a work list, with its urgency in words.
type CaseRow struct {
	V        *service.CaseView
	Due      string // the next running deadline's name
	DueAt    time.Time
	DueWords string
}

// Rows turns a page of cases into list rows: the earliest running
// deadline and the words the service's view carries.
func (h *Kit) Rows(views []*service.CaseView) []CaseRow {
	out := make([]CaseRow, 0, len(views))
	for _, v := range views {
		row := CaseRow{V: v, DueWords: v.DueWords}
		if next := v.Next(); next != nil {
			row.Due, row.DueAt = next.Name, next.At
		}
		out = append(out, row)
	}
	return out
}
