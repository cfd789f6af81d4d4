package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/service"
)

// Department systems (API clients) and the Idempotency-Key, over HTTP on
// each database: scopes, the department's cases only, On-Behalf-Of, the
// event naming both, rotation with an overlap, revocation, the rate
// limit, and POSTs that act once per key.

// sendAs makes one request with the bearer credential auth ("" for none)
// and extra headers, and returns the response with its headers.
func (d *caseDesk) sendAs(t *testing.T, method, auth, path string, body any, headers map[string]string) (*reply, http.Header) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, d.base+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if auth != "" {
		req.Header.Set("Authorization", "Bearer "+auth)
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	res, err := d.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return &reply{status: res.StatusCode, body: b}, res.Header
}

// addClient adds a client as the command line does and returns its key.
func (d *caseDesk) addClient(t *testing.T, name, dept, scopes string, rate int) *service.IssuedKey {
	t.Helper()
	k, err := d.svc.AddAPIClient(service.AsSystem(context.Background()), service.NewClient{Name: name, Department: dept, Scopes: scopes, RatePerMinute: rate})
	if err != nil {
		t.Fatalf("add client %s: %v", name, err)
	}
	return k
}

// wantDetail fails unless r has status and its problem's detail contains detail.
func wantDetail(t *testing.T, r *reply, status int, detail string) {
	t.Helper()
	mustStatus(t, r, status)
	if !strings.Contains(string(r.body), detail) {
		t.Errorf("body %s: want it to say %q", r.body, detail)
	}
}

func TestAPIClients(t *testing.T) {
	eachDesk(t, "2026-09-30T09:00:00+08:00", func(t *testing.T, d *caseDesk) {
		system := d.addClient(t, "食品许可审批系统", "SCJG", "cases:read,cases:act", 1000)
		reader := d.addClient(t, "市场监管数据看板", "SCJG", "cases:read", 1000)
		feed := d.addClient(t, "市场监管事件订阅", "SCJG", "events:read", 1000)
		other := d.addClient(t, "规划审批系统", "GHZY", "cases:read,cases:act", 1000)
		c := d.take(t, foodLicence())
		path := "/api/v1/cases/" + c.Number
		accept := actionPath(c.Number, casework.ActAccept)

		t.Run("reads its department's cases with cases:read", func(t *testing.T) {
			r, _ := d.sendAs(t, "GET", reader.Key, path, nil, nil)
			mustStatus(t, r, http.StatusOK)
			if got := decodeAs[caseBody](t, r); got.Number != c.Number || got.Department != "SCJG" {
				t.Errorf("case %+v", got)
			}
			r, _ = d.sendAs(t, "GET", reader.Key, "/api/v1/cases", nil, nil)
			mustStatus(t, r, http.StatusOK)
			list := decodeAs[struct{ Cases []caseBody }](t, r).Cases
			if len(list) == 0 {
				t.Fatal("the work list is empty")
			}
			for _, x := range list {
				if x.Department != "SCJG" {
					t.Errorf("the work list shows %s of %s", x.Number, x.Department)
				}
			}
			r, _ = d.sendAs(t, "GET", reader.Key, "/api/v1/cases?department=GHZY", nil, nil)
			mustStatus(t, r, http.StatusForbidden)
		})
		t.Run("another department's client sees not the case", func(t *testing.T) {
			r, _ := d.sendAs(t, "GET", other.Key, path, nil, nil)
			wantDetail(t, r, http.StatusForbidden, "本部门")
		})
		t.Run("events:read alone reads no case", func(t *testing.T) {
			r, _ := d.sendAs(t, "GET", feed.Key, path, nil, nil)
			wantDetail(t, r, http.StatusForbidden, "cases:read")
		})
		t.Run("events:read reads its department's feed, cases:read alone not", func(t *testing.T) {
			// On PostgreSQL the feed serves an event once every
			// transaction older than its own has ended, on the whole
			// server (other packages' tests run beside this one): read
			// again until the case is there.
			seen := false
			for deadline := time.Now().Add(20 * time.Second); !seen && time.Now().Before(deadline); {
				r, _ := d.sendAs(t, "GET", feed.Key, "/api/v1/events?limit=1000", nil, nil)
				mustStatus(t, r, http.StatusOK)
				var page struct {
					Events []struct {
						Number     string `json:"number"`
						Department string `json:"department"`
					} `json:"events"`
				}
				if err := json.Unmarshal(r.body, &page); err != nil {
					t.Fatal(err)
				}
				for _, e := range page.Events {
					if e.Department != "SCJG" {
						t.Fatalf("the SCJG system read another department's event: %+v", e)
					}
					seen = seen || e.Number == c.Number
				}
				if !seen {
					time.Sleep(50 * time.Millisecond)
				}
			}
			if !seen {
				t.Errorf("the feed of the SCJG system lacks its case %s", c.Number)
			}
			r, _ := d.sendAs(t, "GET", reader.Key, "/api/v1/events", nil, nil)
			wantDetail(t, r, http.StatusForbidden, "events:read")
		})
		t.Run("acting needs cases:act", func(t *testing.T) {
			r, _ := d.sendAs(t, "POST", reader.Key, accept, validInput[casework.ActAccept], map[string]string{"On-Behalf-Of": "shenpi"})
			wantDetail(t, r, http.StatusForbidden, "cases:act")
		})
		t.Run("acting needs an active reviewer of the department", func(t *testing.T) {
			for _, tc := range []struct{ obo, says string }{
				{"", "On-Behalf-Of"},
				{"shenpi2", "不属于本部门"},
				{"bumen", "角色是"},
				{"nobody", "不存在"},
			} {
				r, _ := d.sendAs(t, "POST", system.Key, accept, validInput[casework.ActAccept], map[string]string{"On-Behalf-Of": tc.obo})
				wantDetail(t, r, http.StatusForbidden, tc.says)
			}
			if got := d.caseOf(t, "shenpi", c.Number); got.State != casework.Received {
				t.Errorf("a refused client changed the case: %s", got.State)
			}
		})
		t.Run("acts for the reviewer; the event records both", func(t *testing.T) {
			r, _ := d.sendAs(t, "POST", system.Key, accept, validInput[casework.ActAccept], map[string]string{"On-Behalf-Of": "shenpi"})
			mustStatus(t, r, http.StatusOK)
			got := d.caseOf(t, "shenpi", c.Number)
			ev := got.Events[len(got.Events)-1]
			if got.State != casework.Accepted || ev.Actor != "shenpi" || ev.Details["client"] != "食品许可审批系统" {
				t.Errorf("state %s, last event by %s details %v", got.State, ev.Actor, ev.Details)
			}
			v, err := d.svc.Case(service.AsSystem(context.Background()), c.Number)
			if err != nil {
				t.Fatal(err)
			}
			if words := v.ActorWords(v.Events[len(v.Events)-1]); !strings.HasSuffix(words, "（经 食品许可审批系统）") || strings.Contains(words, "shenpi") {
				t.Errorf("the record names the actor %q", words)
			}
		})
		t.Run("another department's client acts on no case", func(t *testing.T) {
			r, _ := d.sendAs(t, "POST", other.Key, actionPath(c.Number, casework.ActPause), validInput[casework.ActPause], map[string]string{"On-Behalf-Of": "shenpi2"})
			mustStatus(t, r, http.StatusForbidden)
		})
		t.Run("last use is recorded", func(t *testing.T) {
			cl, err := d.svc.APIClient(service.AsSystem(context.Background()), system.Client.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !cl.LastUsedAt().Equal(d.clk.Now().Truncate(time.Microsecond)) {
				t.Errorf("last used %v, want %v", cl.LastUsedAt(), d.clk.Now())
			}
		})
		t.Run("a wrong key is 401", func(t *testing.T) {
			r, h := d.sendAs(t, "GET", system.Key+"x", path, nil, nil)
			mustStatus(t, r, http.StatusUnauthorized)
			if h.Get("WWW-Authenticate") == "" {
				t.Error("no WWW-Authenticate")
			}
		})
		t.Run("rotation keeps the old key for the overlap", func(t *testing.T) {
			ctx := service.AsSystem(context.Background())
			k, err := d.svc.RotateAPIClientKey(ctx, reader.Client.ID, time.Hour)
			if err != nil {
				t.Fatal(err)
			}
			for _, key := range []string{reader.Key, k.Key} {
				r, _ := d.sendAs(t, "GET", key, path, nil, nil)
				mustStatus(t, r, http.StatusOK)
			}
			d.clk.Set(d.clk.Now().Add(time.Hour))
			r, _ := d.sendAs(t, "GET", reader.Key, path, nil, nil)
			mustStatus(t, r, http.StatusUnauthorized)
			r, _ = d.sendAs(t, "GET", k.Key, path, nil, nil)
			mustStatus(t, r, http.StatusOK)
			if err := d.svc.RevokeAPIClient(ctx, reader.Client.ID); err != nil {
				t.Fatal(err)
			}
			r, _ = d.sendAs(t, "GET", k.Key, path, nil, nil)
			mustStatus(t, r, http.StatusUnauthorized)
		})
		t.Run("over its rate a client gets 429 with Retry-After", func(t *testing.T) {
			slow := d.addClient(t, "慢速系统", "SCJG", "cases:read", 2)
			for range 2 {
				r, _ := d.sendAs(t, "GET", slow.Key, path, nil, nil)
				mustStatus(t, r, http.StatusOK)
			}
			r, h := d.sendAs(t, "GET", slow.Key, path, nil, nil)
			mustStatus(t, r, http.StatusTooManyRequests)
			if h.Get("Retry-After") != "30" {
				t.Errorf("Retry-After %q, want 30", h.Get("Retry-After"))
			}
			d.clk.Set(d.clk.Now().Add(time.Minute))
			r, _ = d.sendAs(t, "GET", slow.Key, path, nil, nil)
			mustStatus(t, r, http.StatusOK)
		})
	})
}

func TestIdempotencyKey(t *testing.T) {
	eachDesk(t, "2026-09-30T09:00:00+08:00", func(t *testing.T, d *caseDesk) {
		count := func() int {
			var n int
			if err := d.st.DB().QueryRow(`SELECT COUNT(*) FROM cases`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		clerk := d.tokens["shouli"]
		t.Run("a retry gets the first answer and changes nothing", func(t *testing.T) {
			before := count()
			h := map[string]string{"Idempotency-Key": "intake-0001"}
			r1, h1 := d.sendAs(t, "POST", clerk, "/api/v1/cases", foodLicence(), h)
			mustStatus(t, r1, http.StatusCreated)
			r2, h2 := d.sendAs(t, "POST", clerk, "/api/v1/cases", foodLicence(), h)
			mustStatus(t, r2, http.StatusCreated)
			if !bytes.Equal(r1.body, r2.body) || h2.Get("Idempotent-Replayed") != "true" || h1.Get("Idempotent-Replayed") != "" {
				t.Errorf("replay differs or is not marked: %q / %q", h1.Get("Idempotent-Replayed"), h2.Get("Idempotent-Replayed"))
			}
			if h2.Get("Content-Type") != h1.Get("Content-Type") {
				t.Errorf("Content-Type %q, first %q", h2.Get("Content-Type"), h1.Get("Content-Type"))
			}
			if n := count(); n != before+1 {
				t.Errorf("%d cases made, want 1", n-before)
			}
		})
		t.Run("the same key with another body is 422", func(t *testing.T) {
			before := count()
			r, _ := d.sendAs(t, "POST", clerk, "/api/v1/cases", renewal(), map[string]string{"Idempotency-Key": "intake-0001"})
			wantDetail(t, r, http.StatusUnprocessableEntity, "Idempotency-Key")
			if count() != before {
				t.Error("a refused request made a case")
			}
		})
		t.Run("keys are the caller's own", func(t *testing.T) {
			before := count()
			r, h := d.sendAs(t, "POST", d.tokens["shouli2"], "/api/v1/cases", foodLicence(), map[string]string{"Idempotency-Key": "intake-0001"})
			mustStatus(t, r, http.StatusCreated)
			if h.Get("Idempotent-Replayed") != "" || count() != before+1 {
				t.Error("another clerk's key answered for this one")
			}
		})
		t.Run("a refused first request lets the key go", func(t *testing.T) {
			bad := foodLicence()
			bad.ItemCode = "NO-SUCH-ITEM"
			h := map[string]string{"Idempotency-Key": "intake-0002"}
			r, _ := d.sendAs(t, "POST", clerk, "/api/v1/cases", bad, h)
			mustStatus(t, r, http.StatusUnprocessableEntity)
			r, _ = d.sendAs(t, "POST", clerk, "/api/v1/cases", bad, h)
			mustStatus(t, r, http.StatusUnprocessableEntity)
		})
		t.Run("concurrent duplicates make one case", func(t *testing.T) {
			before := count()
			var wg sync.WaitGroup
			bodies := make([][]byte, 6)
			statuses := make([]int, 6)
			for i := range bodies {
				wg.Go(func() {
					b, _ := json.Marshal(foodLicence())
					req, _ := http.NewRequest("POST", d.base+"/api/v1/cases", bytes.NewReader(b))
					req.Header.Set("Content-Type", "application/json")
					req.Header.Set("Authorization", "Bearer "+clerk)
					req.Header.Set("Idempotency-Key", "intake-0003")
					res, err := d.client.Do(req)
					if err != nil {
						t.Error(err)
						return
					}
					defer res.Body.Close()
					statuses[i] = res.StatusCode
					bodies[i], _ = io.ReadAll(res.Body)
				})
			}
			wg.Wait()
			for i := range bodies {
				if statuses[i] != http.StatusCreated || !bytes.Equal(bodies[i], bodies[0]) {
					t.Errorf("request %d: %d %s", i, statuses[i], bodies[i])
				}
			}
			if n := count(); n != before+1 {
				t.Errorf("%d cases made, want 1", n-before)
			}
		})
		t.Run("an action retried by a department system acts once", func(t *testing.T) {
			sys := d.addClient(t, "食品许可审批系统", "SCJG", "cases:read,cases:act", 1000)
			c := d.take(t, foodLicence())
			h := map[string]string{"On-Behalf-Of": "shenpi", "Idempotency-Key": fmt.Sprintf("accept-%s", c.Number)}
			for i := range 2 {
				r, hd := d.sendAs(t, "POST", sys.Key, actionPath(c.Number, casework.ActAccept), validInput[casework.ActAccept], h)
				mustStatus(t, r, http.StatusOK)
				if replayed := hd.Get("Idempotent-Replayed") == "true"; replayed != (i == 1) {
					t.Errorf("request %d: replayed %v", i, replayed)
				}
			}
			got := d.caseOf(t, "shenpi", c.Number)
			accepts := 0
			for _, e := range got.Events {
				if e.Type == string(casework.ActAccept) {
					accepts++
				}
			}
			if accepts != 1 {
				t.Errorf("%d accept events, want 1", accepts)
			}
			// Acting for another reviewer is another request.
			h["On-Behalf-Of"] = "renshe"
			r, _ := d.sendAs(t, "POST", sys.Key, actionPath(c.Number, casework.ActAccept), validInput[casework.ActAccept], h)
			mustStatus(t, r, http.StatusForbidden) // refused at sign-in: renshe is not of SCJG
		})
	})
}
