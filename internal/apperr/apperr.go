// Package apperr holds OneWindow's coded errors. Every error that reaches a
// user carries a Code and a message that is safe to show; internal errors keep
// their cause for the logs only.
package apperr

import (
	"errors"
	"fmt"
	"time"
)

// Code classifies an error. One table (in the server) maps codes to HTTP
// statuses for the JSON API and the pages alike.
type Code string

// The error codes.
const (
	Invalid      Code = "invalid"      // bad input; nothing was changed
	NotFound     Code = "not_found"    // the thing asked for does not exist
	Conflict     Code = "conflict"     // the state does not allow it, or a stale or duplicate write
	Unauthorized Code = "unauthorized" // not signed in, or the credentials are wrong
	Forbidden    Code = "forbidden"    // signed in, but not allowed
	Locked       Code = "locked"       // too many attempts; try again later
	Internal     Code = "internal"     // a fault of ours; details go to the log only
)

// FieldError names one offending input field.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Error is a coded error with a message safe to show to the user.
type Error struct {
	Code    Code
	Message string
	Fields  []FieldError
	// RetryAfter, on a Locked error, is how long until asking again may
	// succeed: the Retry-After header of the 429.
	RetryAfter time.Duration
	cause      error
}

func (e *Error) Error() string {
	if e.cause != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.cause)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

// Unwrap returns the underlying cause, if any.
func (e *Error) Unwrap() error { return e.cause }

// New returns an error with the code and a message (zh-CN, shown to users).
func New(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// TooMany returns a Locked error (too many attempts, or too many requests)
// that may succeed again after retry.
func TooMany(retry time.Duration, format string, args ...any) *Error {
	return &Error{Code: Locked, Message: fmt.Sprintf(format, args...), RetryAfter: retry}
}

// RetryAfterOf returns how long err says to wait before asking again, or 0.
func RetryAfterOf(err error) time.Duration {
	var e *Error
	if errors.As(err, &e) {
		return e.RetryAfter
	}
	return 0
}

// Invalidf returns an Invalid error naming the offending fields.
func Invalidf(fields []FieldError, format string, args ...any) *Error {
	return &Error{Code: Invalid, Message: fmt.Sprintf(format, args...), Fields: fields}
}

// Field returns an Invalid error for one field; the message names the problem.
func Field(field, message string) *Error {
	return &Error{Code: Invalid, Message: message, Fields: []FieldError{{Field: field, Message: message}}}
}

// Wrap returns an Internal error around cause. The cause is logged, never shown.
func Wrap(cause error, what string) error {
	if cause == nil {
		return nil
	}
	var e *Error
	if errors.As(cause, &e) {
		return cause
	}
	return &Error{Code: Internal, Message: "系统内部错误，请稍后重试", cause: fmt.Errorf("%s: %w", what, cause)}
}

// CodeOf returns the code of err: its own for an *Error, Internal for any
// other non-nil error and "" for nil.
func CodeOf(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// MessageOf returns the message of err that is safe to show.
func MessageOf(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Code != Internal {
		return e.Message
	}
	return "系统内部错误，请稍后重试"
}

// FieldsOf returns the offending fields of err, if any.
func FieldsOf(err error) []FieldError {
	var e *Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}

// Is reports whether err carries the code.
func Is(err error, code Code) bool { return CodeOf(err) == code }

// Collector gathers field errors during validation.
type Collector struct {
	fields []FieldError
}

// Add records a problem with field.
func (c *Collector) Add(field, message string) {
	c.fields = append(c.fields, FieldError{Field: field, Message: message})
}

// Check records message for field when ok is false.
func (c *Collector) Check(ok bool, field, message string) {
	if !ok {
		c.Add(field, message)
	}
}

// Err returns an Invalid error listing every problem, or nil if none.
func (c *Collector) Err(summary string) error {
	if len(c.fields) == 0 {
		return nil
	}
	msg := summary
	if len(c.fields) == 1 {
		msg = c.fields[0].Message
	}
	return &Error{Code: Invalid, Message: msg, Fields: c.fields}
}
