package service_test

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/org"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/store"
	"github.com/onewindow/onewindow/internal/store/storetest"
)

// TestFormTokensActOnce: of several submissions of one form at once,
// exactly one acts and the others get its answer; a refused first
// submission lets the next act; a token is its sender's and its form's
// only; a malformed one is refused; an expired one acts again.
func TestFormTokensActOnce(t *testing.T) {
	t.Parallel()
	clk := clock.At(start)
	storetest.Each(t, clk, func(t *testing.T, st *store.Store) {
		clk.Set(start)
		svc := service.New(st, clk, slog.New(slog.NewTextHandler(io.Discard, nil)), service.DefaultConfig())
		clerk := service.WithUser(context.Background(), &org.User{ID: 7, Username: "shouli", Role: org.RoleIntake})
		other := service.WithUser(context.Background(), &org.User{ID: 8, Username: "shouli2", Role: org.RoleIntake})
		const path, token = "/intake/SCJG-XK-001", "0123456789abcdef0123456789abcdef"
		want := service.FormAnswer{Status: 303, Location: "/cases/JC20260930001", Flash: "已收件"}

		t.Run("concurrent submissions act once", func(t *testing.T) {
			const n = 6
			var mu sync.Mutex
			acted, answers := 0, []*service.FormAnswer{}
			var wg sync.WaitGroup
			for range n {
				wg.Go(func() {
					first, err := svc.ClaimForm(clerk, path, token)
					if err != nil {
						t.Error(err)
						return
					}
					if first {
						mu.Lock()
						acted++
						mu.Unlock()
						time.Sleep(100 * time.Millisecond) // the work of the first submission
						if err := svc.FinishForm(clerk, path, token, want); err != nil {
							t.Error(err)
						}
						return
					}
					a, err := svc.AwaitForm(clerk, path, token)
					if err != nil {
						t.Error(err)
						return
					}
					mu.Lock()
					answers = append(answers, a)
					mu.Unlock()
				})
			}
			wg.Wait()
			if acted != 1 || len(answers) != n-1 {
				t.Fatalf("%d submissions acted and %d got an answer, want 1 and %d", acted, len(answers), n-1)
			}
			for _, a := range answers {
				if a == nil || a.Location != want.Location || a.Flash != want.Flash || a.Status != want.Status {
					t.Fatalf("a repeat got %+v, want the first answer %+v", a, want)
				}
			}
		})

		t.Run("a token is its sender's and its form's", func(t *testing.T) {
			for _, c := range []struct {
				ctx  context.Context
				path string
			}{{other, path}, {clerk, "/intake/SCJG-XK-002"}, {context.Background(), path}} {
				first, err := svc.ClaimForm(c.ctx, c.path, token)
				if err != nil || !first {
					t.Fatalf("another sender or form (%s): first %v, %v", c.path, first, err)
				}
			}
		})

		t.Run("a refused submission lets the next act", func(t *testing.T) {
			const tok = "fedcba9876543210fedcba9876543210"
			if first, err := svc.ClaimForm(clerk, path, tok); err != nil || !first {
				t.Fatalf("claim: %v, %v", first, err)
			}
			done := make(chan *service.FormAnswer)
			go func() {
				a, err := svc.AwaitForm(clerk, path, tok)
				if err != nil {
					t.Error(err)
				}
				done <- a
			}()
			time.Sleep(50 * time.Millisecond)
			if err := svc.ReleaseForm(clerk, path, tok); err != nil {
				t.Fatal(err)
			}
			if a := <-done; a != nil {
				t.Fatalf("the repeat of a refused submission got %+v, want nothing (act again)", a)
			}
			if first, err := svc.ClaimForm(clerk, path, tok); err != nil || !first {
				t.Fatalf("claim after a refusal: %v, %v", first, err)
			}
		})

		t.Run("malformed token", func(t *testing.T) {
			for _, bad := range []string{"abc", "0123456789abcdef0123456789abcdeX", "0123456789abcdef0123456789abcdef00"} {
				if _, err := svc.ClaimForm(clerk, path, bad); !apperr.Is(err, apperr.Invalid) {
					t.Errorf("token %q: %v, want invalid", bad, err)
				}
			}
		})

		t.Run("expired", func(t *testing.T) {
			clk.Set(start.Add(service.FormTokenTTL + time.Minute))
			if first, err := svc.ClaimForm(clerk, path, token); err != nil || !first {
				t.Fatalf("an expired token: first %v, %v", first, err)
			}
		})
	})
}
