// Package api is OneWindow's JSON API under /api/v1, built with huma so
// that the OpenAPI document the server serves is the one the handlers
// follow. Handlers call the service package only.
package api

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"reflect"
	"strings"
	"sync"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/problem"
	"github.com/onewindow/onewindow/internal/service"
)

// Prefix is where the API lives.
const Prefix = "/api/v1"

// Handlers holds the API's dependencies; its methods are the operations.
type Handlers struct {
	svc *service.Service
	log *slog.Logger
}

// bearer is the security requirement of operations that need a signed-in
// user.
var bearer = []map[string][]string{{"bearer": {}}}

var setErrors sync.Once

// New registers every operation on mux under Prefix and returns the API
// (whose OpenAPI document the server also serves).
func New(mux *http.ServeMux, svc *service.Service, log *slog.Logger, version string) huma.API {
	// huma's error constructors are process-wide: set them once, so that
	// several servers in one process (tests, nodes) do not race.
	setErrors.Do(func() {
		huma.NewError = newProblem
		huma.NewErrorWithContext = newRequestProblem
	})
	cfg := huma.DefaultConfig("OneWindow 一窗通 API", version)
	cfg.Info.Description = "政务服务大厅“一窗受理、集成服务”系统的开放接口。工作人员用 POST /login 取得令牌，" +
		"之后每个请求带 Authorization: Bearer <token>。兼任多个岗位的账号（如街道中心的收件兼出件人员）用请求头 X-Role 写明本次所用的岗位" +
		"（如 X-Role: issuance；不写则为主岗位），所记办理记录的岗位即为该岗位；账号未兼任的岗位返回 403。" +
		"部门业务系统用管理员发给本部门的接口密钥（owc_ 开头）：" +
		"Authorization: Bearer <密钥>；办理办件时另带 On-Behalf-Of: <本部门审查人员的用户名>，办件记录同时记下该人员和系统。" +
		"每个 POST 都可带 Idempotency-Key（如 UUID）：同一个键、同样的请求重试时返回首次的应答且不重复办理" +
		"（应答带 Idempotent-Replayed: true），同一个键用于不同的请求返回 422；键保留 24 小时。" +
		"错误一律以 RFC 9457 problem+json 返回。"
	cfg.CreateHooks = nil // no $schema links in bodies
	cfg.DocsPath = ""     // the server renders its own docs page, with no CDN
	cfg.SchemasPath = ""
	cfg.OpenAPIPath = "/openapi"
	cfg.Components.Schemas = huma.NewMapRegistry("#/components/schemas/", schemaName)
	cfg.Components.SecuritySchemes = map[string]*huma.SecurityScheme{
		"bearer": {Type: "http", Scheme: "bearer", Description: "POST /login 返回的令牌，或部门业务系统的接口密钥（owc_ 开头）"},
	}
	a := humago.NewWithPrefix(mux, Prefix, cfg)
	h := &Handlers{svc: svc, log: log}
	h.registerAuth(a)
	h.registerCatalog(a)
	h.registerCalendar(a)
	h.registerPolicy(a)
	h.registerCases(a)
	h.registerBundles(a)
	h.registerQueue(a)
	h.registerRatings(a)
	h.registerAppointments(a)
	h.registerSupervision(a)
	h.registerSupervisionHalls(a)
	h.registerLedgers(a)
	h.registerElectronic(a)
	h.registerVerify(a)
	h.registerEvents(a)
	h.registerWebhooks(a)
	h.registerMessages(a)
	h.registerNetwork(a)
	h.registerInitialReview(a) // initial_review.go
	h.registerAgents(a)
	return a
}

// newProblem makes huma's own errors (malformed JSON, failed schema
// validation) RFC 9457 problems like ours, with the offending fields.
func newProblem(status int, msg string, errs ...error) huma.StatusError {
	var fields []apperr.FieldError
	for _, err := range errs {
		var d *huma.ErrorDetail
		if errors.As(err, &d) {
			fields = append(fields, apperr.FieldError{Field: fieldOf(d), Message: d.Message})
		} else if err != nil {
			fields = append(fields, apperr.FieldError{Message: err.Error()})
		}
	}
	detail := msg
	switch status {
	case http.StatusUnprocessableEntity, http.StatusBadRequest:
		detail = "请求内容不符合接口要求：" + msg
	case http.StatusNotFound:
		detail = "未找到"
	case http.StatusMethodNotAllowed:
		detail = "不支持该请求方法"
	case http.StatusRequestEntityTooLarge:
		detail = "请求内容过大"
	case http.StatusUnsupportedMediaType:
		detail = "请求内容须为 JSON（Content-Type: application/json）"
	}
	return problem.New(status, detail, fields...)
}

// newRequestProblem is newProblem with the request's id, which huma's own
// errors would otherwise lack.
func newRequestProblem(ctx huma.Context, status int, msg string, errs ...error) huma.StatusError {
	se := newProblem(status, msg, errs...)
	if p, ok := se.(*problem.Problem); ok && ctx != nil {
		p.RequestID = service.RequestFrom(ctx.Context()).ID
	}
	return se
}

// fieldOf names the input an error of huma's concerns: "body.x.y" as
// "x.y", like the use cases name body fields, and a missing property by
// its own name rather than by the object that lacks it.
func fieldOf(d *huma.ErrorDetail) string {
	field := d.Location
	var prop string
	if _, err := fmt.Sscanf(d.Message, "expected required property %s to be present", &prop); err == nil {
		field += "." + prop
	}
	if f, ok := strings.CutPrefix(field, "body."); ok {
		return f
	}
	return field
}

// fail turns a use case's error into the problem the client sees; internal
// errors are logged with their cause and shown without it.
func (h *Handlers) fail(ctx context.Context, err error) error {
	p := problem.From(err)
	p.RequestID = service.RequestFrom(ctx).ID
	var se *casework.StateError
	if errors.As(err, &se) {
		p.State = string(se.State)
		p.AllowedActions = []string{}
		for _, a := range se.Allowed {
			p.AllowedActions = append(p.AllowedActions, string(a))
		}
	}
	if p.Code == apperr.Internal {
		h.log.Error("request failed", "err", err, "request_id", p.RequestID)
	}
	return p
}

// schemaName names the OpenAPI schema of a Go type. Types of the domain
// packages are prefixed with their package (CaseworkEvent, QueueEvent,
// OrgWindow, QueueWindow …): the packages reuse short words, and huma
// refuses two schemas of one name.
func schemaName(t reflect.Type, hint string) string {
	name := huma.DefaultSchemaNamer(t, hint)
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Array {
		t = t.Elem()
	}
	const internal = "github.com/onewindow/onewindow/internal/"
	pkg, ok := strings.CutPrefix(t.PkgPath(), internal)
	if !ok || t.Name() == "" || pkg == "api" || pkg == "problem" {
		return name
	}
	prefix := strings.ToUpper(pkg[:1]) + pkg[1:]
	if strings.HasPrefix(name, prefix) {
		return name
	}
	return prefix + name
}
