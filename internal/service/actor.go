package service

import (
	"context"

	"github.com/onewindow/onewindow/internal/apiclient"
	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/applicant"
	"github.com/onewindow/onewindow/internal/org"
)

// Actor is who is acting: a signed-in staff account, a department system
// (an API client), or the system itself (the command line, start-up,
// background jobs).
type Actor struct {
	User    *org.User          // nil for the system and applicants
	Account *applicant.Account // an applicant signed in to the online hall
	System  bool
	// Client is the department system calling the API with its key. User
	// is then the reviewer it acts for (its On-Behalf-Of header) or, when
	// it names nobody, a stand-in reviewer of its department that reads
	// only (clients.go).
	Client *apiclient.Client
}

// HasScope reports whether the actor may use scope: a department system
// only with the scope granted to it; people and the system are not held
// to scopes (their roles decide, as everywhere).
func (a *Actor) HasScope(scope apiclient.Scope) bool {
	if a == nil {
		return false
	}
	return a.Client == nil || a.Client.Has(scope)
}

// needScope refuses a department system lacking scope, with what it is
// for; anyone else passes.
func needScope(ctx context.Context, scope apiclient.Scope) error {
	if a := ActorFrom(ctx); a != nil && !a.HasScope(scope) {
		return apperr.New(apperr.Forbidden, "接口客户端“%s”没有 %s 权限（%s）", a.Client.Name, scope, scope.Label())
	}
	return nil
}

// Name returns the name recorded for the actor's changes.
func (a *Actor) Name() string {
	switch {
	case a == nil:
		return "anonymous"
	case a.System:
		return "system"
	case a.Account != nil:
		return a.Account.Username()
	}
	return a.User.Username
}

// Is reports whether the actor is a user holding one of roles.
func (a *Actor) Is(roles ...org.Role) bool {
	if a == nil || a.User == nil {
		return false
	}
	for _, r := range roles {
		if a.User.Role == r {
			return true
		}
	}
	return false
}

// Request describes the request a use case runs in, for the record and
// for the limits on each client.
type Request struct {
	ID string
	// RemoteAddr is the client's address as the server worked it out once
	// (through trusted proxies only); "" outside a request.
	RemoteAddr string
	Channel    string  // api, web, cli
	Device     *Device // the client's device cookie; nil outside a request
}

type ctxKey int

const (
	actorKey ctxKey = iota
	requestKey
)

// WithUser returns ctx acting as the signed-in user. Only the sign-in
// middleware calls it.
func WithUser(ctx context.Context, u *org.User) context.Context {
	return context.WithValue(ctx, actorKey, &Actor{User: u})
}

// WithAccount returns ctx acting as the signed-in applicant. Only the
// sign-in middleware calls it.
func WithAccount(ctx context.Context, a *applicant.Account) context.Context {
	return context.WithValue(ctx, actorKey, &Actor{Account: a})
}

// WithClient returns ctx acting as a department system (a, made by
// AuthenticateClient). Only the sign-in middleware calls it.
func WithClient(ctx context.Context, a *Actor) context.Context {
	return context.WithValue(ctx, actorKey, a)
}

// AccountFrom returns the signed-in applicant of ctx, or nil.
func AccountFrom(ctx context.Context) *applicant.Account {
	if a := ActorFrom(ctx); a != nil {
		return a.Account
	}
	return nil
}

// AsSystem returns ctx acting as the system: the command line and start-up.
func AsSystem(ctx context.Context) context.Context {
	return context.WithValue(ctx, actorKey, &Actor{System: true})
}

// ActorFrom returns the actor of ctx, or nil when nobody is signed in.
func ActorFrom(ctx context.Context) *Actor {
	a, _ := ctx.Value(actorKey).(*Actor)
	return a
}

// UserFrom returns the signed-in user of ctx, or nil.
func UserFrom(ctx context.Context) *org.User {
	if a := ActorFrom(ctx); a != nil {
		return a.User
	}
	return nil
}

// WithRequest returns ctx carrying the request's description.
func WithRequest(ctx context.Context, r Request) context.Context {
	return context.WithValue(ctx, requestKey, r)
}

// RequestFrom returns the request of ctx (empty outside a request).
func RequestFrom(ctx context.Context) Request {
	r, _ := ctx.Value(requestKey).(Request)
	return r
}

// signedIn returns the actor of ctx, or an Unauthorized error.
func signedIn(ctx context.Context) (*Actor, error) {
	a := ActorFrom(ctx)
	if a == nil {
		return nil, apperr.New(apperr.Unauthorized, "请先登录")
	}
	return a, nil
}

// requireIn is require for the roles that work in workspace w (org's one
// table of who sees which page), so that a use case and the page of its
// workspace agree on who may use it.
func requireIn(ctx context.Context, w org.Workspace, what string) (*Actor, error) {
	return require(ctx, what, org.RolesSeeing(w)...)
}

// require returns the actor of ctx if it is the system or holds one of
// roles; otherwise Unauthorized or Forbidden.
func require(ctx context.Context, what string, roles ...org.Role) (*Actor, error) {
	a, err := signedIn(ctx)
	if err != nil {
		return nil, err
	}
	if a.System || a.Is(roles...) {
		return a, nil
	}
	if a.Account != nil {
		return nil, apperr.New(apperr.Forbidden, "申请人账户无权%s", what)
	}
	return nil, apperr.New(apperr.Forbidden, "您的角色（%s）无权%s", a.User.Role.Label(), what)
}
