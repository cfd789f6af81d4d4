package service

import (
	"context"
	"io"
	"log/slog"
	"testing"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/org"
)

// fakeAdminStore is the part of the store the department use cases touch.
// Embedding the interface leaves every other method nil: a use case that
// reaches for more than it declares panics the test.
type fakeAdminStore struct {
	adminStore
	departments map[string]org.Department
	creditCodes map[string]bool
}

func (f *fakeAdminStore) CreateDepartment(_ context.Context, d *org.Department) error {
	if _, ok := f.departments[d.Code]; ok || f.creditCodes[d.CreditCode] {
		return apperr.New(apperr.Conflict, "duplicate")
	}
	f.departments[d.Code] = *d
	f.creditCodes[d.CreditCode] = true
	return nil
}

func (f *fakeAdminStore) Department(_ context.Context, code string) (*org.Department, error) {
	d, ok := f.departments[code]
	if !ok {
		return nil, apperr.New(apperr.NotFound, "no department")
	}
	return &d, nil
}

func newFakeAdmin() (*Admin, *fakeAdminStore) {
	st := &fakeAdminStore{departments: map[string]org.Department{}, creditCodes: map[string]bool{}}
	b := &base{clock: clock.System{}, log: slog.New(slog.NewTextHandler(io.Discard, nil)), cfg: DefaultConfig()}
	return &Admin{base: b, store: st}, st
}

// The administration area runs on its narrow store interface alone: the
// department use case is tested here without a database.
func TestAdminAreaOnAFakeStore(t *testing.T) {
	admin, st := newFakeAdmin()
	bureau := WithUser(context.Background(), &org.User{Username: "admin", Name: "李明", Role: org.RoleAdmin, Active: true})
	clerk := WithUser(context.Background(), &org.User{Username: "shouli", Name: "张敏", Role: org.RoleIntake, Active: true})

	d := org.Department{Code: "SWJ", Name: "  区商务局 ", CreditCode: "11320120MB1C407187"}
	if err := admin.CreateDepartment(clerk, &d); !apperr.Is(err, apperr.Forbidden) {
		t.Fatalf("intake clerk adds a department: %v", err)
	}
	if len(st.departments) != 0 {
		t.Fatalf("a refused request reached the store: %v", st.departments)
	}
	if err := admin.CreateDepartment(bureau, &d); err != nil {
		t.Fatalf("bureau admin adds a department: %v", err)
	}
	if got := st.departments["SWJ"]; got.Name != "区商务局" {
		t.Fatalf("stored %+v, want the name trimmed", got)
	}
	again := org.Department{Code: "SWJ", Name: "商务局", CreditCode: "11320120MB1C412788"}
	if err := admin.CreateDepartment(bureau, &again); !hasField(err, "code") {
		t.Fatalf("duplicate code: %v, want a field error on code", err)
	}
	other := org.Department{Code: "SWJ2", Name: "商务二局", CreditCode: d.CreditCode}
	if err := admin.CreateDepartment(bureau, &other); !hasField(err, "credit_code") {
		t.Fatalf("duplicate credit code: %v, want a field error on credit_code", err)
	}
}

func hasField(err error, field string) bool {
	for _, f := range apperr.FieldsOf(err) {
		if f.Field == field {
			return true
		}
	}
	return false
}
