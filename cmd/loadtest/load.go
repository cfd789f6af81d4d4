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
	tokens map[string]string   // username → bearer token
	auth   map[string][]string // username → its Authorization header's value
	intake []byte              // the intake request's body
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
	c := &client{base: base, http: &http.Client{Transport: tr, Timeout: time.Minute}, tokens: map[string]string{}, auth: map[string][]string{}}
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
		c.auth[u] = []string{"Bearer " + out.Token}
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
// into out, if given; any status but want is an error. The phases use
// send and the lean checks below instead: decoding a whole case (3–4 kB)
// per request costs the load generator CPU that the server, on the same
// cores, would otherwise have.
func (c *client) call(ctx context.Context, user, method, path string, body []byte, want int, out any) error {
	buf := bufPool.Get().(*bytes.Buffer)
	defer bufPool.Put(buf)
	if _, err := c.send(ctx, user, method, path, body, want, buf); err != nil {
		return err
	}
	if out != nil {
		return json.Unmarshal(buf.Bytes(), out)
	}
	return nil
}

// bufPool holds the answers' buffers.
var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// send sends one request as user (none: no token), reads the whole answer
// into buf (reset first) and returns its header; any status but want is
// an error.
func (c *client) send(ctx context.Context, user, method, path string, body []byte, want int, buf *bytes.Buffer) (http.Header, error) {
	var r io.Reader
	if body != nil {
		r = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, r)
	if err != nil {
		return nil, err
	}
	if body != nil {
		req.Header["Content-Type"] = jsonType
	}
	if user != "" {
		req.Header["Authorization"] = c.auth[user]
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	buf.Reset()
	if _, err := buf.ReadFrom(resp.Body); err != nil {
		return nil, err
	}
	if resp.StatusCode != want {
		return nil, fmt.Errorf("%s %s: %s: %.300s", method, path, resp.Status, buf.Bytes())
	}
	return resp.Header, nil
}

var jsonType = []string{"application/json"}

// caseNumberOf returns the case number an answer carrying a case starts
// with (`{"number":"20261125000123",…`: the API writes a case's number
// first), checking that it is one: 14 digits.
func caseNumberOf(answer []byte) (string, error) {
	const head = `{"number":"`
	if len(answer) < len(head)+15 || string(answer[:len(head)]) != head || answer[len(head)+14] != '"' {
		return "", fmt.Errorf("the answer does not start with a case number: %.100s", answer)
	}
	n := answer[len(head) : len(head)+14]
	for _, d := range n {
		if d < '0' || d > '9' {
			return "", fmt.Errorf("the answer's case number %q is not 14 digits", n)
		}
	}
	return string(n), nil
}

// takeIn is one intake; it returns the new case's number, checked: the
// answer is 201 Created, starts with the case's number, and its Location
// names the same case.
func (c *client) takeIn(ctx context.Context) (string, error) {
	buf := bufPool.Get().(*bytes.Buffer)
	defer bufPool.Put(buf)
	h, err := c.send(ctx, "shouli", http.MethodPost, "/api/v1/cases", c.intake, http.StatusCreated, buf)
	if err != nil {
		return "", err
	}
	number, err := caseNumberOf(buf.Bytes())
	if err != nil {
		return "", err
	}
	if loc := h.Get("Location"); loc != "/api/v1/cases/"+number {
		return "", fmt.Errorf("intake answered case %s with Location %q", number, loc)
	}
	return number, nil
}

// act takes one step of case number as user; the answer must be 200 OK
// and carry the same case.
func (c *client) act(ctx context.Context, user, number, action, body string) error {
	buf := bufPool.Get().(*bytes.Buffer)
	defer bufPool.Put(buf)
	if _, err := c.send(ctx, user, http.MethodPost, "/api/v1/cases/"+number+"/"+action, []byte(body), http.StatusOK, buf); err != nil {
		return err
	}
	got, err := caseNumberOf(buf.Bytes())
	if err != nil {
		return err
	}
	if got != number {
		return fmt.Errorf("%s of case %s answered case %s", action, number, got)
	}
	return nil
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
	LoadCPU   time.Duration // the load generator's own CPU (this process)
}

// perRequest is d divided over the phase's requests.
func (r *result) perRequest(d time.Duration) time.Duration {
	if r.Requests == 0 {
		return 0
	}
	return d / time.Duration(r.Requests)
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
			err := timed(func() error { return c.act(ctx, s.who, number, s.action, s.body) })
			if err != nil {
				return err
			}
		}
		return nil
	})
}
