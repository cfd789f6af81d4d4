package admin

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/onewindow/onewindow/internal/catalog"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/web/page"
)

// The hall's scope (issue 15 item 1, 事项下沉): the bureau admin edits on
// the hall's page what it takes in, decides and issues, and its transit.

// scopeData is the hall scope page.
type scopeData struct {
	adminPage
	View  *service.ScopeView
	Items []scopeItem
}

// scopeItem is one catalog item as the form shows it.
type scopeItem struct {
	Item      catalog.Item
	Taken     bool // listed (items) or not excluded (all items)
	Decides   bool // decided at the hall's windows
	Decidable bool // a delegated instant item
}

func (h *Handlers) hallScope(w http.ResponseWriter, r *http.Request) {
	h.showScope(w, r, http.StatusOK, page.View{})
}

func (h *Handlers) showScope(w http.ResponseWriter, r *http.Request, status int, v page.View) {
	ctx := r.Context()
	if err := h.svc.MayAdminister(ctx, service.SectionOrg); err != nil {
		h.refuse(w, r, err)
		return
	}
	sv, err := h.svc.HallScope(ctx, r.PathValue("code"))
	if err != nil {
		h.refuse(w, r, err)
		return
	}
	sc := sv.Scope
	if v.Form == nil {
		v.Form = url.Values{"base_version": {strconv.Itoa(sc.Version)}, "cutoff": {sc.Cutoff.String()}, "run": {sc.Run.String()}}
		if sc.AllItems {
			v.Form.Set("all_items", "1")
		}
		if sc.Issues {
			v.Form.Set("issues", "1")
		}
		for _, it := range sv.Items {
			if sc.TakesIn(it.Code) {
				v.Form.Add("item", it.Code)
			}
			if sc.DecidesItem(&it) {
				v.Form.Add("decides", it.Code)
			}
		}
	}
	data := scopeData{adminPage: h.adminTabs(r), View: sv}
	for _, it := range sv.Items {
		data.Items = append(data.Items, scopeItem{Item: it, Taken: slices.Contains(v.Form["item"], it.Code),
			Decides: slices.Contains(v.Form["decides"], it.Code), Decidable: it.Kind == catalog.Instant && it.Delegated})
	}
	v.Title = sv.Hall.Name + " · 事项范围"
	v.Data = data
	h.Render(w, r, status, "admin_hall_scope", v)
}

// publishScope publishes the form as the hall's next scope version,
// through the same use case as the API's. The form ticks the items taken
// in; with "all items" the unticked ones are the ones removed.
func (h *Handlers) publishScope(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	p := r.PostForm
	base, err := strconv.Atoi(strings.TrimSpace(p.Get("base_version")))
	if err != nil {
		base = -1
	}
	in := service.PublishScopeInput{Hall: r.PathValue("code"), BaseVersion: base, AllItems: p.Get("all_items") != "",
		Decides: p["decides"], Issues: p.Get("issues") != "", Cutoff: p.Get("cutoff"), Run: p.Get("run"), Note: p.Get("note"), Confirm: true}
	if in.AllItems {
		sv, err := h.svc.HallScope(r.Context(), in.Hall)
		if err != nil {
			h.refuse(w, r, err)
			return
		}
		for _, it := range sv.Items {
			if !slices.Contains(p["item"], it.Code) {
				in.Excluded = append(in.Excluded, it.Code)
			}
		}
	} else {
		in.Items = p["item"]
	}
	sv, err := h.svc.PublishHallScope(r.Context(), in)
	if err != nil {
		var v page.View
		status := h.FormError(r, &v, err)
		h.showScope(w, r, status, v)
		return
	}
	h.Redirect(w, r, "/admin/halls/"+in.Hall+"/scope", fmt.Sprintf("已发布%s的第 %d 版事项范围，此后的收件按新范围办理", sv.Hall.Name, sv.Scope.Version))
}
