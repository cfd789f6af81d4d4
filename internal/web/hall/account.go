package hall

import (
	"net/http"
	"strings"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/web/page"
)

type loginData struct {
	Username string
}

func (h *Handlers) loginForm(w http.ResponseWriter, r *http.Request) {
	if h.sessions.GetInt64(r.Context(), page.SessionUserKey) != 0 && r.URL.Query().Get("again") == "" {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	h.Render(w, r, http.StatusOK, "login", page.View{Title: "登录", Data: loginData{}})
}

func (h *Handlers) login(w http.ResponseWriter, r *http.Request) {
	username := strings.TrimSpace(r.PostFormValue("username"))
	u, err := h.svc.Login(r.Context(), username, r.PostFormValue("password"))
	if err != nil {
		v := page.View{Title: "登录", Data: loginData{Username: username}}
		status := h.FormError(r, &v, err)
		h.Render(w, r, status, "login", v)
		return
	}
	// A new token on sign-in: a session id seen before it is worth nothing.
	if err := h.sessions.RenewToken(r.Context()); err != nil {
		v := page.View{Title: "登录", Data: loginData{Username: username}}
		h.Render(w, r, h.FormError(r, &v, apperr.Wrap(err, "renew session")), "login", v)
		return
	}
	h.sessions.Put(r.Context(), page.SessionUserKey, u.ID)
	h.sessions.Put(r.Context(), page.SessionPasswordKey, page.PasswordFingerprint(u))
	h.sessions.Remove(r.Context(), page.SessionRoleKey) // every sign-in starts at the primary desk
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// switchDesk is the top bar's role switcher (one clerk, two desks): the
// person goes on acting in another role they hold, and lands on that
// desk's work. A role they do not hold is refused on the error page.
func (h *Handlers) switchDesk(w http.ResponseWriter, r *http.Request) {
	u, err := h.svc.SwitchDesk(r.Context(), r.PostFormValue("role"))
	if err != nil {
		h.ErrorPage(w, r, "切换岗位", err)
		return
	}
	h.sessions.Put(r.Context(), page.SessionRoleKey, string(u.Role))
	h.Redirect(w, r, "/", "已切换到"+u.Role.DeskLabel()+"（"+u.Role.Label()+"），以下是该岗位的待办")
}

func (h *Handlers) logout(w http.ResponseWriter, r *http.Request) {
	if u := h.sessions.GetInt64(r.Context(), page.SessionUserKey); u != 0 {
		h.log.Info("sign-out", "user_id", u, "channel", "web", "request_id", h.RequestID(r))
	}
	if err := h.sessions.Destroy(r.Context()); err != nil {
		h.log.Error("destroy session", "err", err, "request_id", h.RequestID(r))
	}
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

type passwordData struct {
	Done bool
}

func (h *Handlers) passwordForm(w http.ResponseWriter, r *http.Request) {
	h.Render(w, r, http.StatusOK, "password", page.View{Title: "修改密码", Data: passwordData{}})
}

func (h *Handlers) changePassword(w http.ResponseWriter, r *http.Request) {
	v := page.View{Title: "修改密码", Data: passwordData{}}
	if r.PostFormValue("new_password") != r.PostFormValue("confirm_password") {
		v.Field = map[string]string{"confirm_password": "两次输入的新密码不一致"}
		h.Render(w, r, http.StatusUnprocessableEntity, "password", v)
		return
	}
	if err := h.svc.ChangePassword(r.Context(), r.PostFormValue("old_password"), r.PostFormValue("new_password")); err != nil {
		h.Render(w, r, h.FormError(r, &v, err), "password", v)
		return
	}
	if err := h.sessions.RenewToken(r.Context()); err != nil {
		h.log.Error("renew session", "err", err, "request_id", h.RequestID(r))
	}
	// This session goes on; every other session of the account ends.
	if u, err := h.svc.UserByID(r.Context(), service.UserFrom(r.Context()).ID); err == nil {
		h.sessions.Put(r.Context(), page.SessionPasswordKey, page.PasswordFingerprint(u))
	}
	v.Data = passwordData{Done: true}
	h.Render(w, r, http.StatusOK, "password", v)
}
