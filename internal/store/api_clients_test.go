package store_test

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/apiclient"
	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/store"
	"github.com/onewindow/onewindow/internal/store/storetest"
)

// TestAPIClients: a client is stored with its first key and found by the
// key's hash; a name is taken once; a rotation ends the older keys at the
// overlap's end; a revocation ends every key; the last use is written at
// most once a minute.
func TestAPIClients(t *testing.T) {
	t.Parallel()
	storetest.Each(t, nil, func(t *testing.T, st *store.Store) {
		ctx := t.Context()
		createDepartments(t, st)
		c := &apiclient.Client{Name: "食品许可审批系统", DepartmentCode: "SCJG", Scopes: []apiclient.Scope{apiclient.ScopeCasesRead, apiclient.ScopeCasesAct},
			RatePerMinute: 60, CreatedAt: start, CreatedBy: "admin"}
		plain, k := apiclient.NewKey(0, start)
		must(t, st.CreateAPIClient(ctx, c, &k))
		if c.ID == 0 || k.ID == 0 || k.ClientID != c.ID {
			t.Fatalf("ids not set: client %d key %d/%d", c.ID, k.ID, k.ClientID)
		}
		dup, dk := &apiclient.Client{Name: c.Name, DepartmentCode: "GHZY", Scopes: c.Scopes, RatePerMinute: 1, CreatedAt: start}, apiclient.Key{}
		_, dk = apiclient.NewKey(0, start)
		wantCode(t, st.CreateAPIClient(ctx, dup, &dk), apperr.Invalid)
		nodept := &apiclient.Client{Name: "无部门", DepartmentCode: "NOPE", Scopes: c.Scopes, RatePerMinute: 1, CreatedAt: start}
		_, nk := apiclient.NewKey(0, start)
		wantCode(t, st.CreateAPIClient(ctx, nodept, &nk), apperr.NotFound)

		got, gk, err := st.APIClientByKey(ctx, apiclient.HashKey(plain))
		must(t, err)
		if got.Name != c.Name || got.DepartmentCode != "SCJG" || got.DepartmentName == "" || !got.Has(apiclient.ScopeCasesAct) || got.Has(apiclient.ScopeEventsRead) ||
			got.RatePerMinute != 60 || !got.CreatedAt.Equal(start.Truncate(time.Microsecond)) || gk.ID != k.ID || !gk.Valid(start) {
			t.Errorf("read back %+v key %+v", got, gk)
		}
		if _, _, err := st.APIClientByKey(ctx, apiclient.HashKey(plain+"x")); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("an unknown key: %v", err)
		}

		t.Run("last use at most once a minute", func(t *testing.T) {
			must(t, st.TouchAPIClientKey(ctx, k.ID, start))
			must(t, st.TouchAPIClientKey(ctx, k.ID, start.Add(30*time.Second)))
			_, gk, _ := st.APIClientByKey(ctx, k.Hash)
			if !gk.LastUsedAt.Equal(start.Truncate(time.Microsecond)) {
				t.Errorf("last used %v, want %v (the second touch is within the minute)", gk.LastUsedAt, start)
			}
			must(t, st.TouchAPIClientKey(ctx, k.ID, start.Add(time.Minute)))
			_, gk, _ = st.APIClientByKey(ctx, k.Hash)
			if !gk.LastUsedAt.Equal(start.Add(time.Minute).Truncate(time.Microsecond)) {
				t.Errorf("last used %v, want a minute later", gk.LastUsedAt)
			}
		})
		t.Run("rotation ends the older keys after the overlap", func(t *testing.T) {
			now := start.Add(time.Hour)
			_, next := apiclient.NewKey(c.ID, now)
			must(t, st.RotateAPIClientKey(ctx, &next, now.Add(24*time.Hour)))
			cl, err := st.APIClient(ctx, c.ID)
			must(t, err)
			if len(cl.Keys) != 2 || cl.Keys[0].ID != next.ID {
				t.Fatalf("keys %+v, want the new one first", cl.Keys)
			}
			old := cl.Keys[1]
			if !old.Valid(now.Add(23*time.Hour)) || old.Valid(now.Add(24*time.Hour)) || !cl.Keys[0].Valid(now.Add(48*time.Hour)) {
				t.Errorf("old key ends %v; new key %+v", old.ExpiresAt, cl.Keys[0])
			}
			// A second rotation never lengthens an older key's end.
			_, third := apiclient.NewKey(c.ID, now)
			must(t, st.RotateAPIClientKey(ctx, &third, now.Add(48*time.Hour)))
			cl, _ = st.APIClient(ctx, c.ID)
			if !cl.Keys[2].ExpiresAt.Equal(old.ExpiresAt) || !cl.Keys[1].ExpiresAt.Equal(now.Add(48*time.Hour).Truncate(time.Microsecond)) {
				t.Errorf("after a second rotation: %v, %v", cl.Keys[2].ExpiresAt, cl.Keys[1].ExpiresAt)
			}
		})
		t.Run("revocation ends every key", func(t *testing.T) {
			must(t, st.RevokeAPIClient(ctx, c.ID, start.Add(2*time.Hour), "admin"))
			wantCode(t, st.RevokeAPIClient(ctx, c.ID, start.Add(2*time.Hour), "admin"), apperr.Conflict)
			cl, err := st.APIClient(ctx, c.ID)
			must(t, err)
			if !cl.Revoked() || cl.RevokedBy != "admin" {
				t.Errorf("client %+v", cl)
			}
			for _, k := range cl.Keys {
				if k.Valid(start.Add(2 * time.Hour)) {
					t.Errorf("key %d still valid", k.ID)
				}
			}
			_, again := apiclient.NewKey(c.ID, start)
			wantCode(t, st.RotateAPIClientKey(ctx, &again, start), apperr.Conflict)
			list, err := st.APIClients(ctx, "SCJG")
			must(t, err)
			if len(list) != 1 || len(list[0].Keys) != 3 {
				t.Errorf("SCJG's clients %+v", list)
			}
			if list, _ := st.APIClients(ctx, "GHZY"); len(list) != 0 {
				t.Errorf("GHZY's clients %+v", list)
			}
		})
	})
}

// TestIdempotencyKeys: a key is claimed once, also by many claims at once;
// a claim of the key for another request tells what holds it; the answer
// is kept; a refused request lets it go; an expired key is taken over and
// swept.
func TestIdempotencyKeys(t *testing.T) {
	t.Parallel()
	storetest.Each(t, nil, func(t *testing.T, st *store.Store) {
		ctx := t.Context()
		expires := start.Add(24 * time.Hour)
		var won atomic.Int32
		var wg sync.WaitGroup
		for range 8 {
			wg.Go(func() {
				ok, held, err := st.ClaimIdempotencyKey(ctx, "k1", "body-a", start, expires)
				if err != nil || held != "body-a" {
					t.Error(err, held)
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
		ok, held, err := st.ClaimIdempotencyKey(ctx, "k1", "body-b", start, expires)
		if err != nil || ok || held != "body-a" {
			t.Errorf("another body: %v %q %v", ok, held, err)
		}
		_, done, claimed, err := st.IdempotencyKey(ctx, "k1", start)
		if err != nil || done || !claimed.Equal(start.Truncate(time.Microsecond)) {
			t.Errorf("in flight: done %v claimed %v %v", done, claimed, err)
		}
		must(t, st.FinishIdempotencyKey(ctx, "k1", []byte(`{"status":201}`), start))
		wantCode(t, st.FinishIdempotencyKey(ctx, "k1", []byte(`{}`), start), apperr.Conflict)
		result, done, _, err := st.IdempotencyKey(ctx, "k1", start)
		if err != nil || !done || string(result) != `{"status":201}` {
			t.Errorf("done: %s %v %v", result, done, err)
		}
		must(t, st.ReleaseIdempotencyKey(ctx, "k1")) // a finished key is not let go
		if _, done, _, _ := st.IdempotencyKey(ctx, "k1", start); !done {
			t.Error("releasing removed a finished key")
		}

		ok, _, err = st.ClaimIdempotencyKey(ctx, "k2", "x", start, expires)
		if !ok || err != nil {
			t.Fatal(ok, err)
		}
		must(t, st.ReleaseIdempotencyKey(ctx, "k2"))
		if _, _, _, err := st.IdempotencyKey(ctx, "k2", start); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("a released key: %v", err)
		}

		later := expires.Add(time.Second)
		if ok, held, err := st.ClaimIdempotencyKey(ctx, "k1", "body-b", later, later.Add(24*time.Hour)); !ok || held != "body-b" || err != nil {
			t.Errorf("an expired key is taken over: %v %q %v", ok, held, err)
		}
		deleted, err := st.ExpireAttempts(ctx, later.Add(25*time.Hour), store.Retention{})
		must(t, err)
		if deleted["idempotency_keys"] != 1 {
			t.Errorf("swept %d idempotency keys, want 1", deleted["idempotency_keys"])
		}
	})
}
