package admin

import (
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/onewindow/onewindow/internal/org"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/web/page"
)

// Accounts and roles.

type usersData struct {
	adminPage
	Query, Role, State string
	OwnDepartment      string // a department admin's department
	Users              []org.User
	Total              int
	Roles              []option // the roles the user may give
	AllRoles           []option
	Departments        []org.Department
	DeptName           map[string]string
	Halls              []org.Hall
	HallName           map[string]string
	Add                subform
	// Extra are the roles a bureau admin may give beside the role (one
	// clerk, two desks), ticked as the add form stands; nil for a
	// department admin.
	Extra   []roleCheck
	Created *createdAccount
}

// roleCheck is one checkbox of the extra roles (兼任岗位).
type roleCheck struct {
	Value, Label string
	Checked      bool
}

// extraRoleChecks returns the checkboxes of the roles that may be held
// together (org.CombinableRoles), ticked as in form values v; nil for a
// department admin, who gives its reviewers no other role.
func extraRoleChecks(acc service.AdminAccess, v url.Values) []roleCheck {
	if acc.Department != "" {
		return nil
	}
	var out []roleCheck
	for _, r := range org.CombinableRoles() {
		out = append(out, roleCheck{string(r), r.Label(), slices.Contains(v["extra_roles"], string(r))})
	}
	return out
}

// extraRoles reads the ticked extra roles of a posted account form.
func extraRoles(p url.Values) []org.Role {
	var out []org.Role
	for _, r := range p["extra_roles"] {
		out = append(out, org.Role(r))
	}
	return out
}

// createdAccount is an account just added, with its generated password,
// shown this once.
type createdAccount struct {
	Username, Name, Password string
}

func roleOptions(roles []org.Role) []option {
	out := make([]option, 0, len(roles))
	for _, r := range roles {
		out = append(out, option{string(r), r.Label()})
	}
	return out
}

// orgChoices returns what the account forms choose from: the roles the
// user may give, the departments and the halls.
func (h *Handlers) orgChoices(r *http.Request) (acc service.AdminAccess, roles []option, depts []org.Department, halls []org.Hall, err error) {
	ctx := r.Context()
	if acc, err = h.svc.AdminAccess(ctx); err != nil {
		return
	}
	if depts, err = h.svc.Departments(ctx); err != nil {
		return
	}
	if halls, err = h.svc.Halls(ctx); err != nil {
		return
	}
	roles = roleOptions(org.Roles)
	if acc.Department != "" {
		roles = roleOptions([]org.Role{org.RoleReviewer})
		depts = slices.DeleteFunc(depts, func(d org.Department) bool { return d.Code != acc.Department })
	}
	return
}

func (h *Handlers) adminUsers(w http.ResponseWriter, r *http.Request) {
	h.showUsers(w, r, http.StatusOK, page.View{}, subform{}, nil)
}

func (h *Handlers) showUsers(w http.ResponseWriter, r *http.Request, status int, v page.View, add subform, created *createdAccount) {
	ctx := r.Context()
	users, err := h.svc.ManagedUsers(ctx)
	if err != nil {
		h.refuse(w, r, err)
		return
	}
	acc, roles, depts, halls, err := h.orgChoices(r)
	if err != nil {
		h.refuse(w, r, err)
		return
	}
	q := r.URL.Query()
	d := usersData{adminPage: h.adminTabs(r), Query: strings.TrimSpace(q.Get("q")), Role: q.Get("role"), State: q.Get("state"),
		OwnDepartment: acc.Department, Total: len(users), Roles: roles, AllRoles: roleOptions(org.Roles),
		Departments: depts, DeptName: map[string]string{}, Halls: halls, HallName: map[string]string{}, Add: add, Created: created}
	all, _ := h.svc.Departments(ctx)
	for _, x := range all {
		d.DeptName[x.Code] = x.Name
	}
	for _, x := range halls {
		d.HallName[x.Code] = x.Name
	}
	if d.Add.Values == nil && acc.Department != "" {
		d.Add.Values = url.Values{"role": {string(org.RoleReviewer)}, "department": {acc.Department}}
	}
	d.Extra = extraRoleChecks(acc, d.Add.Values)
	for _, u := range users {
		switch {
		case d.Role != "" && !u.Holds(org.Role(d.Role)),
			d.State == "active" && !u.Active, d.State == "inactive" && u.Active,
			d.Query != "" && !strings.Contains(u.Username, strings.ToLower(d.Query)) && !strings.Contains(u.Name, d.Query):
			continue
		}
		d.Users = append(d.Users, u)
	}
	v.Title = "账号和角色"
	v.Data = d
	h.Render(w, r, status, "admin_users", v)
}

// addUser adds an account; a password left blank is generated and shown
// once.
func (h *Handlers) addUser(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	p := r.PostForm
	u := org.User{Username: p.Get("username"), Name: strings.TrimSpace(p.Get("name")),
		DepartmentCode: p.Get("department"), HallCode: p.Get("hall")} // codes as chosen: the use case refuses blanks
	u.SetRoles(org.Role(p.Get("role")), extraRoles(p))
	password, generated := p.Get("password"), false
	if password == "" {
		password, generated = service.TemporaryPassword(), true
	}
	if err := h.svc.AddUser(r.Context(), &u, password); err != nil {
		var v page.View
		status := h.FormError(r, &v, err)
		add := splitErrors(&v, r)
		add.Values = cloneValues(add.Values)
		add.Values.Del("password") // a password is never sent back
		h.showUsers(w, r, status, v, add, nil)
		return
	}
	created := &createdAccount{Username: u.Username, Name: u.Name}
	if generated {
		created.Password = password
		page.ForgetAnswer(r) // the password is shown once, never kept for a repeat of the form
	}
	h.showUsers(w, r, http.StatusOK, page.View{Flash: "已添加账号：" + u.Username + "（" + u.Name + "）"}, subform{}, created)
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, x := range v {
		out[k] = slices.Clone(x)
	}
	return out
}

type userData struct {
	adminPage
	Account     *org.User
	Self        bool
	Edit        subform
	Roles       []option
	Extra       []roleCheck // the extra roles' checkboxes (兼任岗位)
	Departments []org.Department
	Halls       []org.Hall
	DeptName    string
	HallName    string
	NewPassword string // a reset password, shown this once
}

func (h *Handlers) adminUser(w http.ResponseWriter, r *http.Request) {
	h.showUser(w, r, http.StatusOK, page.View{}, subform{}, "")
}

func (h *Handlers) showUser(w http.ResponseWriter, r *http.Request, status int, v page.View, edit subform, newPassword string) {
	u, err := h.svc.ManagedUser(r.Context(), r.PathValue("username"))
	if err != nil {
		h.refuse(w, r, err)
		return
	}
	acc, roles, depts, halls, err := h.orgChoices(r)
	if err != nil {
		h.refuse(w, r, err)
		return
	}
	if edit.Values == nil {
		edit.Values = url.Values{"name": {u.Name}, "role": {string(u.Role)}, "department": {u.DepartmentCode}, "hall": {u.HallCode}}
		for _, x := range u.ExtraRoles() {
			edit.Values.Add("extra_roles", string(x))
		}
	}
	d := userData{adminPage: h.adminTabs(r), Account: u, Edit: edit, Roles: roles, Extra: extraRoleChecks(acc, edit.Values),
		Departments: depts, Halls: halls, NewPassword: newPassword}
	if me := service.UserFrom(r.Context()); me != nil && me.ID == u.ID {
		d.Self = true
	}
	if !slices.ContainsFunc(roles, func(o option) bool { return o.Value == string(u.Role) }) {
		d.Roles = append(d.Roles, option{string(u.Role), u.Role.Label()})
	}
	all, _ := h.svc.Departments(r.Context())
	for _, x := range all {
		if x.Code == u.DepartmentCode {
			d.DeptName = x.Name
		}
	}
	for _, x := range halls {
		if x.Code == u.HallCode {
			d.HallName = x.Name
		}
	}
	v.Title = "账号 " + u.Username
	v.Data = d
	h.Render(w, r, status, "admin_user", v)
}

func (h *Handlers) updateUser(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	p := r.PostForm
	username := r.PathValue("username")
	u, err := h.svc.UpdateUser(r.Context(), username, service.AccountChange{Name: p.Get("name"), Role: org.Role(p.Get("role")),
		ExtraRoles: extraRoles(p), DepartmentCode: p.Get("department"), HallCode: p.Get("hall")})
	if err != nil {
		var v page.View
		status := h.FormError(r, &v, err)
		h.showUser(w, r, status, v, splitErrors(&v, r), "")
		return
	}
	h.Redirect(w, r, "/admin/users/"+url.PathEscape(u.Username), "已保存账号 "+u.Username+" 的修改")
}

func (h *Handlers) setUserActive(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	username := r.PathValue("username")
	active := r.PostFormValue("active") == "true"
	if err := h.svc.SetActive(r.Context(), username, active); err != nil {
		var v page.View
		status := h.FormError(r, &v, err)
		if status == http.StatusNotFound {
			h.refuse(w, r, err)
			return
		}
		h.showUser(w, r, status, v, subform{}, "")
		return
	}
	msg := "已停用账号 " + username + "：该账号不能再登录，其接口令牌已作废"
	if active {
		msg = "已启用账号 " + username
	}
	h.Redirect(w, r, "/admin/users/"+url.PathEscape(username), msg)
}

// resetPassword gives the account a new password and shows it once, on
// this answer only.
func (h *Handlers) resetPassword(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	password, err := h.svc.ResetPassword(r.Context(), r.PathValue("username"))
	if err != nil {
		var v page.View
		status := h.FormError(r, &v, err)
		if status == http.StatusNotFound {
			h.refuse(w, r, err)
			return
		}
		h.showUser(w, r, status, v, subform{}, "")
		return
	}
	page.ForgetAnswer(r) // the new password is shown once, never kept for a repeat of the form
	h.showUser(w, r, http.StatusOK, page.View{Flash: "密码已重置；该账号原有的接口令牌已作废"}, subform{}, password)
}
