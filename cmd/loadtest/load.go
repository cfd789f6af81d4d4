package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// client speaks the public API as the demo's staff.
type client struct {
	base   string
	http   *http.Client
	tokens map[string]string // username → bearer token
	intake []byte            // the intake request's body
}

// step is one transition of a promised case after intake, as the API
// takes it, and who takes it (the in-process benchmark's wholeCase).
type step struct {
	who, action string
	body        string
}

var lifecycle = []step{
	{"shenpi", "accept", `{}`},
	{"shenpi", "handover", `{}`},
	{"shenpi", "decide", `{"confirm":true,"outcome":"approve","result_document":"食品经营许可证 JY13201200000001"}`},
	{"shenpi", "submit-result", `{}`},
	{"chujian", "accept-result", `{}`},
	{"chujian", "deliver", `{"signer":"李四","signer_id_type":"resident_id","signer_id_number":"11010519491231002X"}`},
	{"chujian", "archive", `{}`},
}

// itemCode is the promised item the load applies for (食品经营许可延续).
const itemCode = "SCJG-XK-002"

func newClient(ctx context.Context, base string, conns int, passwords map[string]string) (*client, error) {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConns, tr.MaxIdleConnsPerHost, tr.MaxConnsPerHost = conns*2, conns*2, 0
	c := &client{base: base, http: &http.Client{Transport: tr, Timeout: time.Minute}, tokens: map[string]string{}}
	for _, u := range []string{"shouli", "shenpi", "chujian"} {
		pw, ok := passwords[u]
		if !ok {
			return nil, fmt.Errorf("the server printed no password for %s", u)
		}
		var out struct {
			Token string `json:"token"`
		}
		body, _ := json.Marshal(map[string]string{"username": u, "password": pw})
		if err := c.call(ctx, "", http.MethodPost, "/api/v1/login", body, http.StatusOK, &out); err != nil {
			return nil, fmt.Errorf("login %s: %w", u, err)
		}
		c.tokens[u] = out.Token
	}
	var item struct {
		Materials []struct {
			Code     string `json:"code"`
			Required bool   `json:"required"`
		} `json:"materials"`
	}
	if err := c.call(ctx, "", http.MethodGet, "/api/v1/items/"+itemCode, nil, http.StatusOK, &item); err != nil {
		return nil, err
	}
	type material struct {
		Code   string `json:"code"`
		Status string `json:"status"`
	}
	var ms []material
	for _, m := range item.Materials {
		if m.Required {
			ms = append(ms, material{m.Code, "provided"})
		}
	}
	c.intake, _ = json.Marshal(map[string]any{
		"item_code": itemCode, "channel": "window", "materials": ms,
		"applicant": map[string]string{"kind": "entity", "name": "江川区好味餐饮有限公司", "id_type": "credit_code",
			"id_number": "91350100M000100Y43", "phone": "13800138000"},
	})
	return c, nil
}

// call sends one request as user (none: no token) and decodes the answer
// into out, if given; any status but want is an error.
func (c *client) call(ctx context.Context, user, method, path string, body []byte, want int, out any) error {
	var r io.Reader
	if body != nil {
		r = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, r)
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if user != "" {
		req.Header.Set("Authorization", "Bearer "+c.tokens[user])
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != want {
		return fmt.Errorf("%s %s: %s: %.300s", method, path, resp.Status, raw)
	}
	if out != nil {
		return json.Unmarshal(raw, out)
	}
	return nil
}

// takeIn is one intake; it returns the new case's number.
func (c *client) takeIn(ctx context.Context) (string, error) {
	var out struct {
		Number string `json:"number"`
	}
	err := c.call(ctx, "shouli", http.MethodPost, "/api/v1/cases", c.intake, http.StatusCreated, &out)
	return out.Number, err
}

// result is what one phase measured.
type result struct {
	Name      string
	Clients   int
	Elapsed   time.Duration
	Requests  int // requests, each one transition
	Errors    int
	FirstErr  error
	Latencies []time.Duration // sorted
	ServerCPU time.Duration
}

func (r *result) rate() float64 { return float64(r.Requests) / r.Elapsed.Seconds() }

func (r *result) percentile(p float64) time.Duration {
	if len(r.Latencies) == 0 {
		return 0
	}
	i := int(p * float64(len(r.Latencies)-1))
	return r.Latencies[i]
}

// drive runs clients goroutines, each calling work in a loop until the
// duration is up, and gathers every request's latency.
func drive(ctx context.Context, name string, clients int, d time.Duration, work func(ctx context.Context, timed func(func() error) error) error) *result {
	res := &result{Name: name, Clients: clients}
	var mu sync.Mutex
	var stop atomic.Bool
	var wg sync.WaitGroup
	begin := time.Now()
	deadline := begin.Add(d)
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var lat []time.Duration
			var errs int
			var first error
			timed := func(req func() error) error {
				t := time.Now()
				err := req()
				if err != nil {
					errs++
					if first == nil {
						first = err
					}
					return err
				}
				lat = append(lat, time.Since(t))
				return nil
			}
			for !stop.Load() && time.Now().Before(deadline) && ctx.Err() == nil {
				if err := work(ctx, timed); err != nil && ctx.Err() == nil {
					time.Sleep(10 * time.Millisecond) // a failed loop: do not spin
				}
			}
			mu.Lock()
			res.Latencies = append(res.Latencies, lat...)
			res.Errors += errs
			if res.FirstErr == nil {
				res.FirstErr = first
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	res.Elapsed = time.Since(begin)
	res.Requests = len(res.Latencies)
	slices.Sort(res.Latencies)
	return res
}

// intakePhase: every client takes cases in, one after another.
func (c *client) intakePhase(ctx context.Context, clients int, d time.Duration) *result {
	return drive(ctx, "intake", clients, d, func(ctx context.Context, timed func(func() error) error) error {
		return timed(func() error { _, err := c.takeIn(ctx); return err })
	})
}

// lifecyclePhase: every client takes a case in and through all its steps
// to the archive, then the next.
func (c *client) lifecyclePhase(ctx context.Context, clients int, d time.Duration) *result {
	return drive(ctx, "lifecycle", clients, d, func(ctx context.Context, timed func(func() error) error) error {
		var number string
		if err := timed(func() (err error) { number, err = c.takeIn(ctx); return err }); err != nil {
			return err
		}
		for _, s := range lifecycle {
			err := timed(func() error {
				return c.call(ctx, s.who, http.MethodPost, "/api/v1/cases/"+number+"/"+s.action, []byte(s.body), http.StatusOK, nil)
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
}
