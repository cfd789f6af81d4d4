// Package problem renders coded errors as RFC 9457 problem details, and
// holds the one table that maps error codes to HTTP statuses for the JSON
// API and the pages alike.
package problem

import (
	"net/http"
	"strconv"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
)

// ContentType is the media type of a problem document.
const ContentType = "application/problem+json"

// Problem is an RFC 9457 problem details document with OneWindow's
// extensions: the error code, the offending fields and the request id.
type Problem struct {
	Type      string              `json:"type,omitempty" doc:"问题类型 URI"`
	Title     string              `json:"title" doc:"HTTP 状态的简短说明"`
	Status    int                 `json:"status" doc:"HTTP 状态码"`
	Detail    string              `json:"detail" doc:"可向用户展示的中文说明"`
	Instance  string              `json:"instance,omitempty" doc:"出错的请求路径"`
	Code      apperr.Code         `json:"code" doc:"错误码：invalid, not_found, conflict, unauthorized, forbidden, locked, internal"`
	Errors    []apperr.FieldError `json:"errors,omitempty" doc:"有问题的输入字段"`
	RequestID string              `json:"request_id,omitempty" doc:"请求编号，报告问题时请提供"`
	// AllowedActions names, on a 409 for a transition the case's state does
	// not allow, the actions that are allowed.
	AllowedActions []string `json:"allowed_actions,omitempty" doc:"状态不允许该操作时（409），当前可执行的操作"`
	State          string   `json:"state,omitempty" doc:"状态不允许该操作时（409），办件的当前状态"`
	// RetryAfter, on a 429, is the seconds to wait before asking again;
	// the Retry-After header says the same.
	RetryAfter int `json:"retry_after,omitempty" doc:"请求过于频繁或尝试次数过多时（429），多少秒后可以再试"`
}

// GetHeaders returns the Retry-After header of a 429 (huma's HeadersError).
func (p *Problem) GetHeaders() http.Header {
	h := http.Header{}
	if p.RetryAfter > 0 {
		h.Set("Retry-After", strconv.Itoa(p.RetryAfter))
	}
	return h
}

// Seconds returns d in whole seconds, rounded up: a Retry-After of 0 would
// invite an immediate retry.
func Seconds(d time.Duration) int {
	if d <= 0 {
		return 0
	}
	return int((d + time.Second - 1) / time.Second)
}

// Error implements error.
func (p *Problem) Error() string { return p.Detail }

// GetStatus returns the HTTP status (huma's StatusError).
func (p *Problem) GetStatus() int { return p.Status }

// ContentType returns the problem media type (huma's ContentTypeFilter).
func (p *Problem) ContentType(string) string { return ContentType }

// Status maps an error code to its HTTP status.
func Status(code apperr.Code) int {
	switch code {
	case apperr.Invalid:
		return http.StatusUnprocessableEntity
	case apperr.NotFound:
		return http.StatusNotFound
	case apperr.Conflict:
		return http.StatusConflict
	case apperr.Unauthorized:
		return http.StatusUnauthorized
	case apperr.Forbidden:
		return http.StatusForbidden
	case apperr.Locked:
		return http.StatusTooManyRequests
	case "":
		return http.StatusOK
	}
	return http.StatusInternalServerError
}

// From builds the problem for err. Internal errors show a generic message;
// their detail belongs in the log, never in the response.
func From(err error) *Problem {
	code := apperr.CodeOf(err)
	status := Status(code)
	return &Problem{
		Type:       "about:blank",
		Title:      http.StatusText(status),
		Status:     status,
		Detail:     apperr.MessageOf(err),
		Code:       code,
		Errors:     apperr.FieldsOf(err),
		RetryAfter: Seconds(apperr.RetryAfterOf(err)),
	}
}

// New builds a problem for a status and message that did not come from a
// coded error (a malformed request, an unknown path).
func New(status int, detail string, fields ...apperr.FieldError) *Problem {
	code := apperr.Internal
	switch {
	case status == http.StatusNotFound || status == http.StatusMethodNotAllowed:
		code = apperr.NotFound
	case status == http.StatusUnauthorized:
		code = apperr.Unauthorized
	case status == http.StatusForbidden:
		code = apperr.Forbidden
	case status == http.StatusConflict || status == http.StatusPreconditionFailed:
		code = apperr.Conflict
	case status == http.StatusTooManyRequests:
		code = apperr.Locked
	case status >= 400 && status < 500:
		code = apperr.Invalid // malformed, too large, wrong media type …
	}
	return &Problem{Type: "about:blank", Title: http.StatusText(status), Status: status, Detail: detail, Code: code, Errors: fields}
}
