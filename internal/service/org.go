package service

import (
	"context"

	"github.com/onewindow/onewindow/internal/org"
)

// Departments lists the district's departments (public information).
func (s *Admin) Departments(ctx context.Context) ([]org.Department, error) {
	return s.store.Departments(ctx)
}

// Halls lists the halls, the district hall first (public information).
func (s *Admin) Halls(ctx context.Context) ([]org.Hall, error) {
	return s.store.Halls(ctx)
}

// Windows lists the windows of a hall, or of every hall for "".
func (s *Admin) Windows(ctx context.Context, hallCode string) ([]org.Window, error) {
	return s.store.Windows(ctx, hallCode)
}
