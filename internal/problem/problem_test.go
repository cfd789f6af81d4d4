package problem

import (
	"errors"
	"net/http"
	"testing"

	"github.com/onewindow/onewindow/internal/apperr"
)

func TestStatusTable(t *testing.T) {
	for code, want := range map[apperr.Code]int{
		apperr.Invalid: 422, apperr.NotFound: 404, apperr.Conflict: 409, apperr.Unauthorized: 401,
		apperr.Forbidden: 403, apperr.Locked: 429, apperr.Internal: 500,
	} {
		if got := Status(code); got != want {
			t.Errorf("Status(%s) = %d, want %d", code, got, want)
		}
	}
}

func TestFromHidesInternalDetail(t *testing.T) {
	p := From(apperr.Wrap(errors.New("pq: password authentication failed for user secret"), "connect"))
	if p.Status != http.StatusInternalServerError || p.Code != apperr.Internal {
		t.Fatalf("status %d code %s", p.Status, p.Code)
	}
	if p.Detail != "系统内部错误，请稍后重试" {
		t.Fatalf("internal detail leaked: %q", p.Detail)
	}
	p = From(errors.New("raw driver error"))
	if p.Detail != "系统内部错误，请稍后重试" {
		t.Fatalf("uncoded error leaked: %q", p.Detail)
	}
}

func TestFromKeepsFields(t *testing.T) {
	p := From(apperr.Field("id_number", "身份证号码校验位错误"))
	if p.Status != 422 || p.Detail != "身份证号码校验位错误" || len(p.Errors) != 1 || p.Errors[0].Field != "id_number" {
		t.Fatalf("%+v", p)
	}
}

func TestNewCodes(t *testing.T) {
	for status, want := range map[int]apperr.Code{400: apperr.Invalid, 413: apperr.Invalid, 415: apperr.Invalid, 404: apperr.NotFound, 429: apperr.Locked, 500: apperr.Internal} {
		if got := New(status, "x").Code; got != want {
			t.Errorf("New(%d).Code = %s, want %s", status, got, want)
		}
	}
}
