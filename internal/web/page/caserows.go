package page

// Work lists of cases, as the home page, the agent's desk, the online
// hall and the catalog editor show them.

import (
	"context"
	"time"

	"github.com/onewindow/onewindow/internal/service"
)

// CaseRow is one case in a work list, with its urgency in words.
type CaseRow struct {
	V          *service.CaseView
	Department string // the case's department, by its name
	Due        string // the next running deadline's name
	DueAt      time.Time
	DueWords   string
}

// Rows turns a page of cases into list rows: the earliest running
// deadline and the words the service's view carries.
func (h *Kit) Rows(ctx context.Context, views []*service.CaseView) []CaseRow {
	names := h.DepartmentNames(ctx)
	out := make([]CaseRow, 0, len(views))
	for _, v := range views {
		row := CaseRow{V: v, DueWords: v.DueWords, Department: names[v.Case.DepartmentCode]}
		if next := v.Next(); next != nil {
			row.Due, row.DueAt = next.Name, next.At
		}
		out = append(out, row)
	}
	return out
}

// DepartmentNames returns every department's name by its code, for pages
// that name departments; if they cannot be read, the error is logged and
// the map is empty (the page names none rather than failing).
func (h *Kit) DepartmentNames(ctx context.Context) map[string]string {
	out := map[string]string{}
	ds, err := h.Svc.Departments(ctx)
	if err != nil {
		h.Log.Error("departments", "err", err, "request_id", service.RequestFrom(ctx).ID)
		return out
	}
	for _, d := range ds {
		out[d.Code] = d.Name
	}
	return out
}

// HallNames returns every hall's name by its code, for pages that name
// halls; if they cannot be read, the error is logged and the map is empty
// (the page names none rather than failing).
func (h *Kit) HallNames(ctx context.Context) map[string]string {
	out := map[string]string{}
	hs, err := h.Svc.Halls(ctx)
	if err != nil {
		h.Log.Error("halls", "err", err, "request_id", service.RequestFrom(ctx).ID)
		return out
	}
	for _, x := range hs {
		out[x.Code] = x.Name
	}
	return out
}
