package service

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/onewindow/onewindow/internal/apiclient"
	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/org"
	"github.com/onewindow/onewindow/internal/throttle"
)

// Department systems (API clients): the bureau admin adds them for any
// department, a department admin for their own; each has keys (shown once,
// kept hashed), scopes and a request rate. A request with a client key
// acts as the client: it reads its department's cases as a reviewer of
// the department would, and acts on a case only for a reviewer it names
// in On-Behalf-Of; the case's event records both.

// NewClient is what adding a client asks for.
type NewClient struct {
	Name          string
	Department    string // the department's code; a department admin's own when ""
	Scopes        string // "cases:read,cases:act"
	RatePerMinute int    // 0: apiclient.DefaultRate
}

// IssuedKey is a key as made: shown once, never again.
type IssuedKey struct {
	Client *apiclient.Client
	Key    string
	Prefix string
}

// clientAdmin returns the actor if they may manage clients of department
// ("" for any): the system, the bureau admin, or the department's admin.
func clientAdmin(ctx context.Context, department string) (*Actor, error) {
	a, err := require(ctx, "管理接口客户端", org.RoleAdmin, org.RoleDeptAdmin)
	if err != nil {
		return nil, err
	}
	if a.Is(org.RoleDeptAdmin) && department != "" && department != a.User.DepartmentCode {
		return nil, apperr.New(apperr.Forbidden, "部门管理员只能管理本部门的接口客户端")
	}
	return a, nil
}

// AddAPIClient adds a department system and makes its first key.
func (s *Clients) AddAPIClient(ctx context.Context, in NewClient) (*IssuedKey, error) {
	if u := UserFrom(ctx); in.Department == "" && u != nil && u.Role == org.RoleDeptAdmin {
		in.Department = u.DepartmentCode
	}
	a, err := clientAdmin(ctx, in.Department)
	if err != nil {
		return nil, err
	}
	scopes, err := apiclient.ParseScopes("scopes", in.Scopes)
	if err != nil {
		return nil, err
	}
	c := &apiclient.Client{Name: strings.TrimSpace(in.Name), DepartmentCode: in.Department, Scopes: scopes,
		RatePerMinute: in.RatePerMinute, CreatedAt: s.clock.Now(), CreatedBy: a.Name()}
	if c.RatePerMinute == 0 {
		c.RatePerMinute = apiclient.DefaultRate
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	plain, k := apiclient.NewKey(0, c.CreatedAt)
	if err := s.store.CreateAPIClient(ctx, c, &k); err != nil {
		if apperr.Is(err, apperr.NotFound) {
			return nil, apperr.Field("department", "部门不存在："+in.Department)
		}
		return nil, err
	}
	c.Keys = []apiclient.Key{k}
	s.log.Info("api client added", "client", c.Name, "department", c.DepartmentCode, "scopes", apiclient.JoinScopes(c.Scopes), "by", a.Name(), "request_id", RequestFrom(ctx).ID)
	return &IssuedKey{Client: c, Key: plain, Prefix: k.Prefix}, nil
}

// APIClients lists the clients the actor may manage: every department's
// for the bureau admin (or department, if given), the own department's for
// a department admin.
func (s *Clients) APIClients(ctx context.Context, department string) ([]apiclient.Client, error) {
	if u := UserFrom(ctx); u != nil && u.Role == org.RoleDeptAdmin {
		department = u.DepartmentCode
	}
	if _, err := clientAdmin(ctx, department); err != nil {
		return nil, err
	}
	return s.store.APIClients(ctx, department)
}

// managed returns client id if the actor may manage it.
func (s *Clients) managed(ctx context.Context, id int64) (*Actor, *apiclient.Client, error) {
	if _, err := clientAdmin(ctx, ""); err != nil {
		return nil, nil, err
	}
	c, err := s.store.APIClient(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	a, err := clientAdmin(ctx, c.DepartmentCode)
	if err != nil {
		return nil, nil, err
	}
	return a, c, nil
}

// APIClient returns one client the actor may manage, with its keys.
func (s *Clients) APIClient(ctx context.Context, id int64) (*apiclient.Client, error) {
	_, c, err := s.managed(ctx, id)
	return c, err
}

// RotateAPIClientKey makes a new key for client id; its other keys stay
// valid for overlap more (0: they end now), so that the system can switch
// over without a gap.
func (s *Clients) RotateAPIClientKey(ctx context.Context, id int64, overlap time.Duration) (*IssuedKey, error) {
	a, c, err := s.managed(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := apiclient.CheckOverlap(overlap); err != nil {
		return nil, err
	}
	if c.Revoked() {
		return nil, apperr.New(apperr.Conflict, "接口客户端“%s”已吊销，不能再换发密钥", c.Name)
	}
	now := s.clock.Now()
	plain, k := apiclient.NewKey(c.ID, now)
	if err := s.store.RotateAPIClientKey(ctx, &k, now.Add(overlap)); err != nil {
		return nil, err
	}
	s.log.Info("api client key rotated", "client", c.Name, "overlap", overlap.String(), "by", a.Name(), "request_id", RequestFrom(ctx).ID)
	c, err = s.store.APIClient(ctx, id)
	if err != nil {
		return nil, err
	}
	return &IssuedKey{Client: c, Key: plain, Prefix: k.Prefix}, nil
}

// RevokeAPIClient revokes client id and all its keys at once.
func (s *Clients) RevokeAPIClient(ctx context.Context, id int64) error {
	a, c, err := s.managed(ctx, id)
	if err != nil {
		return err
	}
	if err := s.store.RevokeAPIClient(ctx, id, s.clock.Now(), a.Name()); err != nil {
		return err
	}
	s.log.Info("api client revoked", "client", c.Name, "by", a.Name(), "request_id", RequestFrom(ctx).ID)
	return nil
}

// AuthenticateClient signs a request in with a client key. onBehalfOf is
// the username the request's On-Behalf-Of header names ("" for none);
// acting says the request may change something (any method but GET and
// HEAD), which needs scope cases:act and a named reviewer of the client's
// department. A wrong, expired or revoked key is Unauthorized; a client
// over its rate is TooMany.
func (s *Clients) AuthenticateClient(ctx context.Context, key, onBehalfOf string, acting bool) (*Actor, error) {
	invalid := apperr.New(apperr.Unauthorized, "接口密钥无效、已过期或已吊销")
	if !apiclient.IsKey(key) {
		return nil, invalid
	}
	c, k, err := s.store.APIClientByKey(ctx, apiclient.HashKey(key))
	if apperr.Is(err, apperr.NotFound) {
		return nil, invalid
	}
	if err != nil {
		return nil, err
	}
	now := s.clock.Now()
	if !apiclient.Matches(key, k.Hash) || c.Revoked() || !k.Valid(now) {
		return nil, invalid
	}
	if ok, retry := s.rates.allow(c, now); !ok {
		return nil, apperr.TooMany(retry, "接口客户端“%s”的请求过于频繁（每分钟不超过 %d 次），请 %d 秒后再试", c.Name, c.RatePerMinute, retrySeconds(retry))
	}
	if k.Stale(now) {
		// Written at most once a minute per key: a lost write only makes
		// "last used" a little older.
		if err := s.store.TouchAPIClientKey(ctx, k.ID, now); err != nil {
			s.log.Warn("api client key last use", "err", err, "client", c.Name)
		}
	}
	a := &Actor{Client: c, User: standIn(c)}
	if acting {
		if !c.Has(apiclient.ScopeCasesAct) {
			return nil, apperr.New(apperr.Forbidden, "接口客户端“%s”没有 cases:act 权限，只能查看", c.Name)
		}
		if onBehalfOf == "" {
			return nil, apperr.New(apperr.Forbidden, "接口客户端办理时须在 On-Behalf-Of 请求头中写明代为办理的本部门审查人员的用户名")
		}
	}
	if onBehalfOf != "" {
		name, err := org.ParseUsername("On-Behalf-Of", onBehalfOf)
		if err != nil {
			return nil, apperr.New(apperr.Forbidden, "On-Behalf-Of 须为本部门审查人员的用户名")
		}
		u, err := s.store.UserByUsername(ctx, name)
		if apperr.Is(err, apperr.NotFound) {
			return nil, apperr.New(apperr.Forbidden, "On-Behalf-Of 指明的账号 %s 不存在", name)
		}
		if err != nil {
			return nil, err
		}
		if err := apiclient.CheckOnBehalfOf(c, u); err != nil {
			return nil, err
		}
		a.User = u
	}
	return a, nil
}

// standIn is the reviewer a client reads as when it names nobody: of its
// department, under its own name, with no account behind it (id 0), so
// that the reviewers' rules of what to see apply to it unchanged.
func standIn(c *apiclient.Client) *org.User {
	return &org.User{Username: fmt.Sprintf("client-%d", c.ID), Name: c.Name, Role: org.RoleReviewer,
		DepartmentCode: c.DepartmentCode, Active: true, CreatedAt: c.CreatedAt}
}

// retrySeconds rounds a wait up to whole seconds, at least one.
func retrySeconds(d time.Duration) int {
	return max(int((d+time.Second-1)/time.Second), 1)
}

// clientRates holds each client's request bucket on this node, one keyed
// limiter per rate (clients of one rate share it, each under its own key).
type clientRates struct {
	mu    sync.Mutex
	rates map[int]*throttle.Keyed
}

// allow takes one request of c's rate at now.
func (r *clientRates) allow(c *apiclient.Client, now time.Time) (bool, time.Duration) {
	r.mu.Lock()
	if r.rates == nil {
		r.rates = map[int]*throttle.Keyed{}
	}
	k, ok := r.rates[c.RatePerMinute]
	if !ok {
		k = throttle.NewKeyed(throttle.Rate{N: c.RatePerMinute, Per: time.Minute})
		r.rates[c.RatePerMinute] = k
	}
	r.mu.Unlock()
	return k.Allow(fmt.Sprint(c.ID), now)
}
