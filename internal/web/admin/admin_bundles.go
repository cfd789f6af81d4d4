package admin

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/bundle"
	"github.com/onewindow/onewindow/internal/web/page"
)

// The joint applications (一件事) of the district, kept by the bureau
// admin: each template as JSON (members with their prerequisites, shared
// fields, lead department, promised days), checked by the service against
// the current catalog on save.

type adminBundlesData struct {
	adminPage
	Templates []bundle.Template
	Code      string // the template being edited; "" for a new one
	JSON      string
}

// adminBundles lists the templates with an editor: ?code= loads one, none
// offers an empty one to fill in.
func (h *Handlers) adminBundles(w http.ResponseWriter, r *http.Request) {
	d, err := h.adminBundlesData(r)
	if err != nil {
		h.refuse(w, r, err)
		return
	}
	d.Code = r.URL.Query().Get("code")
	t := bundle.Template{PromisedDays: 10, Fields: []bundle.Field{}, Members: []bundle.Member{}}
	for _, x := range d.Templates {
		if x.Code == d.Code {
			t = x
		}
	}
	b, _ := json.MarshalIndent(t, "", "  ")
	d.JSON = string(b)
	h.Render(w, r, http.StatusOK, "admin_bundles", page.View{Title: "一件事", Data: d})
}

func (h *Handlers) adminBundlesData(r *http.Request) (adminBundlesData, error) {
	if acc, err := h.svc.AdminAccess(r.Context()); err != nil || !acc.Org {
		if err == nil {
			err = apperr.New(apperr.Forbidden, "只有局管理员可以维护一件事")
		}
		return adminBundlesData{}, err
	}
	ts, err := h.svc.BundleTemplates(r.Context())
	if err != nil {
		return adminBundlesData{}, err
	}
	p := h.adminTabs(r)
	p.ActiveTab = "/admin/bundles"
	return adminBundlesData{adminPage: p, Templates: ts}, nil
}

// saveAdminBundle saves the edited template; a refusal keeps what was
// typed with the service's messages.
func (h *Handlers) saveAdminBundle(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	d, err := h.adminBundlesData(r)
	if err != nil {
		h.refuse(w, r, err)
		return
	}
	d.JSON = r.PostFormValue("template")
	var t bundle.Template
	dec := json.NewDecoder(strings.NewReader(d.JSON))
	dec.DisallowUnknownFields()
	if err = dec.Decode(&t); err != nil {
		err = apperr.Field("template", "JSON 格式有误："+err.Error())
	} else {
		err = h.svc.SaveBundleTemplate(r.Context(), &t)
	}
	if err != nil {
		v := page.View{Title: "一件事", Data: d}
		status := h.FormError(r, &v, err)
		for _, f := range apperr.FieldsOf(err) {
			v.Error += "；" + f.Message
		}
		h.Render(w, r, status, "admin_bundles", v)
		return
	}
	h.Redirect(w, r, "/admin/bundles?code="+t.Code, "已保存一件事「"+t.Name+"」，此后收件的一件事按新内容办理。")
}
