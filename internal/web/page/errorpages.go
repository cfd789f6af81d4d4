package page

import (
	"net/http"
	"strings"
)

// ErrorPage renders err on the kit's error page under title, with the
// status err's code maps to: the workbench's look, or the online hall's
// under /my.
func (h *Kit) ErrorPage(w http.ResponseWriter, r *http.Request, title string, err error) {
	v := View{Title: title}
	status := h.FormError(r, &v, err)
	v.Form = nil // nothing typed is shown on an error page
	h.own.Render(w, r, status, errorPageFor(r), v)
}

// errorPageFor is the error page of the request's audience.
func errorPageFor(r *http.Request) string {
	if r.URL.Path == "/my" || strings.HasPrefix(r.URL.Path, "/my/") {
		return "my_error"
	}
	return "error"
}

// NoSuchPage answers a page request that no route serves, in Chinese:
// 404 for an address that does not exist, 405 (with the Allow header the
// router set) for one that exists but not for the request's method. The
// API answers these with problem+json of its own.
func (h *Kit) NoSuchPage(w http.ResponseWriter, r *http.Request, status int) {
	v := View{Title: "页面不存在", Error: "没有这个页面，请检查网址，或从菜单进入。"}
	if status == http.StatusMethodNotAllowed {
		v = View{Title: "无法这样打开", Error: "这个网址不能这样打开（请从页面上的按钮或链接进入，不要直接在地址栏输入或刷新提交后的页面）。"}
	} else {
		status = http.StatusNotFound
	}
	h.own.Render(w, r, status, errorPageFor(r), v)
}
