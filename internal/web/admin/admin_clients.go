package admin

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/onewindow/onewindow/internal/apiclient"
	"github.com/onewindow/onewindow/internal/org"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/web/page"
)

// Department systems (API clients): the bureau admin's for every
// department, a department admin's for their own. A new key is shown once
// on the page that answers the form, and that page is not kept for a
// repeat of the form (page.ForgetAnswer).

type clientsData struct {
	adminPage
	Clients       []clientRow
	Departments   []org.Department
	OwnDepartment string
	Scopes        []scopeChoice
	Add           subform
	Issued        *service.IssuedKey // a key just made, shown this once
	Overlaps      []option
}

// scopeChoice is one scope's checkbox of the form.
type scopeChoice struct {
	Value, Label string
	Checked      bool
}

// clientRow is one client as the list shows it.
type clientRow struct {
	apiclient.Client
	ValidKeys   []apiclient.Key
	ScopeLabels []string
}

var overlapOptions = []option{{"0", "立即失效"}, {"1h", "1 小时"}, {"24h", "24 小时"}, {"168h", "7 天"}, {"720h", "30 天"}}

func (h *Handlers) adminClients(w http.ResponseWriter, r *http.Request) {
	h.showClients(w, r, http.StatusOK, page.View{}, subform{}, nil)
}

func (h *Handlers) showClients(w http.ResponseWriter, r *http.Request, status int, v page.View, add subform, issued *service.IssuedKey) {
	ctx := r.Context()
	clients, err := h.svc.APIClients(ctx, "")
	if err != nil {
		h.refuse(w, r, err)
		return
	}
	acc, err := h.svc.AdminAccess(ctx)
	if err != nil {
		h.refuse(w, r, err)
		return
	}
	depts, err := h.svc.Departments(ctx)
	if err != nil {
		h.refuse(w, r, err)
		return
	}
	if acc.Department != "" {
		depts = slices.DeleteFunc(depts, func(d org.Department) bool { return d.Code != acc.Department })
	}
	d := clientsData{adminPage: h.adminTabs(r), Departments: depts, OwnDepartment: acc.Department, Add: add, Issued: issued, Overlaps: overlapOptions}
	for _, s := range apiclient.Scopes {
		d.Scopes = append(d.Scopes, scopeChoice{string(s), string(s) + "：" + s.Label(), slices.Contains(add.Values["scopes"], string(s))})
	}
	now := h.svc.Now()
	for _, c := range clients {
		row := clientRow{Client: c}
		for _, k := range c.Keys {
			if k.Valid(now) {
				row.ValidKeys = append(row.ValidKeys, k)
			}
		}
		for _, s := range c.Scopes {
			row.ScopeLabels = append(row.ScopeLabels, s.Label())
		}
		d.Clients = append(d.Clients, row)
	}
	if v.Title == "" {
		v.Title = "接口客户端"
	}
	v.Data = d
	h.Render(w, r, status, "admin_clients", v)
}

func (h *Handlers) addClient(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	p := r.PostForm
	rate := 0
	if s := strings.TrimSpace(p.Get("rate")); s != "" {
		rate, _ = strconv.Atoi(s)
		if rate == 0 {
			rate = -1 // not a number: the use case refuses it with its message
		}
	}
	k, err := h.svc.AddAPIClient(r.Context(), service.NewClient{Name: p.Get("name"), Department: p.Get("department"),
		Scopes: strings.Join(p["scopes"], ","), RatePerMinute: rate})
	if err != nil {
		var v page.View
		status := h.FormError(r, &v, err)
		h.showClients(w, r, status, v, splitErrors(&v, r), nil)
		return
	}
	page.ForgetAnswer(r)
	h.showClients(w, r, http.StatusOK, page.View{Flash: "已添加接口客户端：" + k.Client.Name}, subform{}, k)
}

// clientID reads the {id} of the path; 0 when it is not a number.
func clientID(r *http.Request) int64 {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	return id
}

func (h *Handlers) rotateClientKey(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	overlap, err := time.ParseDuration(r.PostForm.Get("overlap"))
	if err != nil {
		overlap = apiclient.DefaultOverlap
	}
	k, err := h.svc.RotateAPIClientKey(r.Context(), clientID(r), overlap)
	if err != nil {
		var v page.View
		status := h.FormError(r, &v, err)
		h.showClients(w, r, status, v, subform{}, nil)
		return
	}
	page.ForgetAnswer(r)
	h.showClients(w, r, http.StatusOK, page.View{Flash: "已为“" + k.Client.Name + "”换发新密钥"}, subform{}, k)
}

func (h *Handlers) revokeClient(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	c, err := h.svc.APIClient(r.Context(), clientID(r))
	if err == nil {
		err = h.svc.RevokeAPIClient(r.Context(), c.ID)
	}
	if err != nil {
		var v page.View
		status := h.FormError(r, &v, err)
		h.showClients(w, r, status, v, subform{}, nil)
		return
	}
	h.Redirect(w, r, "/admin/clients", "已吊销接口客户端“"+c.Name+"”及其全部密钥")
}
