package hall

import (
	"net/http"

	"github.com/onewindow/onewindow/internal/catalog"
	"github.com/onewindow/onewindow/internal/org"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/web/page"
)

type itemsData struct {
	Query       string
	Department  string
	Departments []org.Department
	Items       []catalog.Item
	DeptNames   map[string]string // the departments by code: pages show names
}

// itemData is one item's guide, its department named.
type itemData struct {
	*catalog.Item
	DepartmentName string
}

// items lists the public handbook, searchable by name or code.
func (h *Handlers) items(w http.ResponseWriter, r *http.Request) {
	d := itemsData{Query: r.URL.Query().Get("q"), Department: r.URL.Query().Get("department")}
	v := page.View{Title: "办事指南"}
	var err error
	if d.Departments, err = h.svc.Departments(r.Context()); err == nil {
		d.Items, err = h.svc.Items(r.Context(), service.ItemFilter{Query: d.Query, Department: d.Department})
	}
	status := http.StatusOK
	if err != nil {
		status = h.FormError(r, &v, err)
	}
	d.DeptNames = h.DepartmentNames(r.Context())
	v.Data = d
	h.Render(w, r, status, "items", v)
}

// item shows one item's guide with its materials.
func (h *Handlers) item(w http.ResponseWriter, r *http.Request) {
	it, err := h.svc.Item(r.Context(), r.PathValue("code"), 0)
	v := page.View{Title: "办事指南"}
	if err != nil {
		h.Render(w, r, h.FormError(r, &v, err), "item", v)
		return
	}
	v.Title, v.Data = it.Name, itemData{Item: it, DepartmentName: h.DepartmentNames(r.Context())[it.DepartmentCode]}
	h.Render(w, r, http.StatusOK, "item", v)
}
