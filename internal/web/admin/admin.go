package admin

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/web/page"
)

// The administration pages (issue 4, item 9): the catalog editor with its
// versions, the calendar as a year grid, the deadline policy's versions, departments, halls and windows,
// and accounts with their roles. Every page asks the service first whether
// the user may use it; the service checks every change again.

// option is one choice of a select, a radio group or a set of checkboxes.
type option struct {
	Value, Label string
}

// subform is one of several forms on a page: what was typed and the
// messages next to its fields, kept apart so that a refusal shows only on
// the form it concerns.
type subform struct {
	Values url.Values
	Errors map[string]string
}

// adminPage is what every administration page shows above its content.
type adminPage struct {
	Tabs      []navItem // the sections the user may use
	ActiveTab string    // the tab the page belongs to
	// DeptNames names departments by their codes: a page shows the name,
	// never the code (page.Kit.DepartmentNames).
	DeptNames map[string]string
	// Paused are the webhook subscriptions the user manages that paused
	// after failing for the retry period: shown above every page.
	Paused []pausedWebhook
}

// pausedWebhook is one paused subscription as the banner names it.
type pausedWebhook struct {
	Href, Department, URL string
}

// adminTabs returns the administration menu of the signed-in user.
func (h *Handlers) adminTabs(r *http.Request) adminPage {
	acc, err := h.svc.AdminAccess(r.Context())
	if err != nil {
		return adminPage{}
	}
	var tabs []navItem
	if acc.Catalog {
		label := "事项目录"
		if acc.Department != "" {
			label = "本部门事项"
		}
		tabs = append(tabs, navItem{"/admin/items", label})
	}
	if acc.Calendar {
		tabs = append(tabs, navItem{"/admin/calendar", "工作日历"}, navItem{"/admin/policy", "期限规则"})
	}
	if acc.Org {
		tabs = append(tabs, navItem{"/admin/halls", "大厅和窗口"}, navItem{"/admin/departments", "部门"})
	}
	if acc.Org {
		tabs = append(tabs, navItem{"/admin/bundles", "一件事"}, navItem{"/admin/sms", "短信模板"})
	}
	if acc.Users {
		label := "账号和角色"
		if acc.Department != "" {
			label = "本部门审批人员"
		}
		tabs = append(tabs, navItem{"/admin/users", label}, navItem{"/admin/clients", "接口客户端"}, navItem{"/admin/webhooks", "事件推送"})
	}
	p := adminPage{Tabs: tabs, ActiveTab: "/admin", DeptNames: h.DepartmentNames(r.Context())}
	if acc.Users {
		if paused, err := h.svc.PausedWebhooks(r.Context()); err == nil {
			for _, w := range paused {
				p.Paused = append(p.Paused, pausedWebhook{Href: fmt.Sprintf("/admin/webhooks/%d", w.ID), Department: p.DeptNames[w.DepartmentCode], URL: w.URL})
			}
		}
	}
	for _, t := range tabs {
		if r.URL.Path == t.Href || strings.HasPrefix(r.URL.Path, t.Href+"/") {
			p.ActiveTab = t.Href
		}
	}
	if strings.HasPrefix(r.URL.Path, "/admin/windows") {
		p.ActiveTab = "/admin/halls"
	}
	return p
}

// refuse shows the error page for a page the user may not open, or that
// does not exist.
func (h *Handlers) refuse(w http.ResponseWriter, r *http.Request, err error) {
	v := page.View{Title: "系统管理"}
	h.Render(w, r, h.FormError(r, &v, err), "error", v)
}

// parseForm parses a posted form; a malformed one is refused with 400.
func (h *Handlers) parseForm(w http.ResponseWriter, r *http.Request) bool {
	if err := r.ParseForm(); err != nil {
		v := page.View{Title: "系统管理", Error: "表单有误，请返回重试"}
		h.Render(w, r, http.StatusBadRequest, "error", v)
		return false
	}
	return true
}

// splitErrors moves v's field messages into a subform, for pages with
// several forms.
func splitErrors(v *page.View, r *http.Request) subform {
	f := subform{Values: r.PostForm, Errors: v.Field}
	v.Field, v.Form = nil, nil
	return f
}

// ---- the index ----

type adminIndexData struct {
	adminPage
	Access service.AdminAccess
}

func (h *Handlers) adminIndex(w http.ResponseWriter, r *http.Request) {
	acc, err := h.svc.AdminAccess(r.Context())
	if err != nil {
		h.refuse(w, r, err)
		return
	}
	h.Render(w, r, http.StatusOK, "admin", page.View{Title: "系统管理", Data: adminIndexData{h.adminTabs(r), acc}})
}
