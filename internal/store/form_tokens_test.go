package store_test

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/store"
	"github.com/onewindow/onewindow/internal/store/storetest"
)

// TestFormTokens: a form's token is claimed once, also by many claims at
// once; its answer is kept for the repeats; a refused submission lets it
// go; an expired one is taken over and swept.
func TestFormTokens(t *testing.T) {
	t.Parallel()
	storetest.Each(t, nil, func(t *testing.T, st *store.Store) {
		ctx := t.Context()
		expires := start.Add(12 * time.Hour)

		t.Run("many claims at once, one wins", func(t *testing.T) {
			var won atomic.Int32
			var wg sync.WaitGroup
			for range 8 {
				wg.Go(func() {
					ok, err := st.ClaimFormToken(ctx, "k-race", start, expires)
					if err != nil {
						t.Error(err)
					}
					if ok {
						won.Add(1)
					}
				})
			}
			wg.Wait()
			if n := won.Load(); n != 1 {
				t.Fatalf("%d claims won, want 1", n)
			}
			if _, done, err := st.FormToken(ctx, "k-race", start); err != nil || done {
				t.Fatalf("in flight: done %v, %v", done, err)
			}
			must(t, st.FinishFormToken(ctx, "k-race", []byte(`{"status":303}`), start.Add(time.Second)))
			res, done, err := st.FormToken(ctx, "k-race", start.Add(time.Minute))
			if err != nil || !done || string(res) != `{"status":303}` {
				t.Fatalf("answer %q done %v, %v", res, done, err)
			}
			if ok, err := st.ClaimFormToken(ctx, "k-race", start.Add(time.Minute), expires); err != nil || ok {
				t.Fatalf("a done token claimed again: %v, %v", ok, err)
			}
			if err := st.FinishFormToken(ctx, "k-race", []byte(`{}`), start.Add(time.Minute)); !apperr.Is(err, apperr.Conflict) {
				t.Fatalf("a second answer: %v, want conflict", err)
			}
		})

		t.Run("a refused submission lets go", func(t *testing.T) {
			ok, err := st.ClaimFormToken(ctx, "k-refused", start, expires)
			if err != nil || !ok {
				t.Fatalf("claim: %v, %v", ok, err)
			}
			must(t, st.ReleaseFormToken(ctx, "k-refused"))
			if _, _, err := st.FormToken(ctx, "k-refused", start); !apperr.Is(err, apperr.NotFound) {
				t.Fatalf("released token: %v, want not found", err)
			}
			if ok, err := st.ClaimFormToken(ctx, "k-refused", start, expires); err != nil || !ok {
				t.Fatalf("claim after release: %v, %v", ok, err)
			}
		})

		t.Run("expiry", func(t *testing.T) {
			ok, err := st.ClaimFormToken(ctx, "k-old", start, start.Add(time.Hour))
			if err != nil || !ok {
				t.Fatalf("claim: %v, %v", ok, err)
			}
			must(t, st.FinishFormToken(ctx, "k-old", []byte(`{}`), start))
			later := start.Add(2 * time.Hour)
			if _, _, err := st.FormToken(ctx, "k-old", later); !apperr.Is(err, apperr.NotFound) {
				t.Fatalf("expired token read: %v, want not found", err)
			}
			if ok, err := st.ClaimFormToken(ctx, "k-old", later, later.Add(time.Hour)); err != nil || !ok {
				t.Fatalf("an expired token is taken over: %v, %v", ok, err)
			}
			deleted, err := st.ExpireAttempts(ctx, later.Add(24*time.Hour), store.Retention{})
			must(t, err)
			if deleted["form_tokens"] < 2 {
				t.Fatalf("expired form tokens deleted: %d, want every one (k-race, k-refused, k-old)", deleted["form_tokens"])
			}
		})
	})
}
