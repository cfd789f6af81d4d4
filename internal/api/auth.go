package api

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/org"
	"github.com/onewindow/onewindow/internal/service"
)

// UserView is an account as the API shows it.
type UserView struct {
	Username  string `json:"username"`
	Name      string `json:"name"`
	Role      string `json:"role" enum:"intake,issuance,reviewer,dept_admin,admin,supervisor,agent,hall_manager,street_reviewer,agent_manager" doc:"本次请求所用的岗位：默认为主岗位，兼任多个岗位的账号可用 X-Role 请求头指定"`
	RoleLabel string `json:"role_label"`
	// Roles lists every role the account holds, the primary one first.
	Roles      []string `json:"roles" doc:"账号的全部岗位，第一个为主岗位；兼任多个岗位的账号在请求头 X-Role 中写明本次所用的岗位"`
	Department string   `json:"department,omitempty"`
	Hall       string   `json:"hall,omitempty"`
}

func userView(u *org.User) UserView {
	v := UserView{Username: u.Username, Name: u.Name, Role: string(u.Role), RoleLabel: u.Role.Label(), Department: u.DepartmentCode, Hall: u.HallCode}
	for _, r := range u.HeldRoles() {
		v.Roles = append(v.Roles, string(r))
	}
	return v
}

type loginInput struct {
	Body struct {
		Username string `json:"username" minLength:"1" maxLength:"64" doc:"用户名"`
		Password string `json:"password" minLength:"1" maxLength:"128" doc:"密码"`
	}
}

type loginOutput struct {
	Body struct {
		Token     string    `json:"token" doc:"Bearer 令牌；只在此返回一次"`
		ExpiresAt time.Time `json:"expires_at"`
		User      UserView  `json:"user"`
	}
}

type meOutput struct {
	Body UserView
}

type passwordInput struct {
	Body struct {
		OldPassword string `json:"old_password" minLength:"1" maxLength:"128"`
		NewPassword string `json:"new_password" minLength:"1" maxLength:"128" doc:"8 至 128 位，须同时包含字母和数字"`
	}
}

type logoutInput struct {
	Authorization string `header:"Authorization" doc:"Bearer <token>"`
}

func (h *Handlers) registerAuth(a huma.API) {
	huma.Register(a, huma.Operation{
		OperationID: "login", Method: http.MethodPost, Path: "/login", Tags: []string{"账号"},
		Summary: "登录，取得 API 令牌",
		Description: "用户名或密码错误返回 401（不区分哪一项错误）。同一客户端对同一账号连续失败 5 次后，该客户端 15 分钟内不能再试；" +
			"来自各处的失败过多时，该账号每次失败后须等待的时间逐次加倍（曾登录成功的设备不受此限）；同一客户端每分钟的登录次数也有上限。" +
			"以上均返回 429 及 Retry-After。登录成功时设置设备 Cookie（onewindow_device）。",
		Errors: []int{401, 422, 429},
	}, h.login)
	huma.Register(a, huma.Operation{
		OperationID: "logout", Method: http.MethodPost, Path: "/logout", Tags: []string{"账号"},
		Summary: "注销当前令牌", Security: bearer, DefaultStatus: http.StatusNoContent, Errors: []int{401},
	}, h.logout)
	huma.Register(a, huma.Operation{
		OperationID: "me", Method: http.MethodGet, Path: "/me", Tags: []string{"账号"},
		Summary: "当前登录的账号", Security: bearer, Errors: []int{401},
	}, h.me)
	huma.Register(a, huma.Operation{
		OperationID: "change-password", Method: http.MethodPost, Path: "/password", Tags: []string{"账号"},
		Summary:     "修改自己的密码",
		Description: "成功后该账号的所有 API 令牌失效，须重新登录。",
		Security:    bearer, DefaultStatus: http.StatusNoContent, Errors: []int{401, 422},
	}, h.changePassword)
}

func (h *Handlers) login(ctx context.Context, in *loginInput) (*loginOutput, error) {
	u, err := h.svc.Login(ctx, in.Body.Username, in.Body.Password)
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	token, expires, err := h.svc.IssueToken(ctx, u)
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	out := &loginOutput{}
	out.Body.Token, out.Body.ExpiresAt, out.Body.User = token, expires, userView(u)
	return out, nil
}

func (h *Handlers) logout(ctx context.Context, in *logoutInput) (*struct{}, error) {
	if service.UserFrom(ctx) == nil {
		return nil, h.fail(ctx, apperr.New(apperr.Unauthorized, "请先登录"))
	}
	token, _ := strings.CutPrefix(in.Authorization, "Bearer ")
	if err := h.svc.Logout(ctx, strings.TrimSpace(token)); err != nil {
		return nil, h.fail(ctx, err)
	}
	return nil, nil
}

func (h *Handlers) me(ctx context.Context, _ *struct{}) (*meOutput, error) {
	u := service.UserFrom(ctx)
	if u == nil {
		return nil, h.fail(ctx, apperr.New(apperr.Unauthorized, "请先登录"))
	}
	return &meOutput{Body: userView(u)}, nil
}

func (h *Handlers) changePassword(ctx context.Context, in *passwordInput) (*struct{}, error) {
	if err := h.svc.ChangePassword(ctx, in.Body.OldPassword, in.Body.NewPassword); err != nil {
		return nil, h.fail(ctx, err)
	}
	return nil, nil
}
