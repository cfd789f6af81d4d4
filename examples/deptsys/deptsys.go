package main

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Config is what the sample needs to run.
type Config struct {
	Base       string        // OneWindow's address, e.g. http://127.0.0.1:8080
	Key        string        // the API client key
	OnBehalfOf string        // the reviewer the system acts for
	Listen     string        // where webhooks are received
	PublicURL  string        // the address OneWindow posts to; default http://Listen
	StateFile  string        // the cursor and the webhook secret
	Sweep      time.Duration // how often to read the feed besides webhooks
	// Listener, if set, is used instead of listening on Listen (tests).
	Listener net.Listener
}

// state is what survives a restart.
type state struct {
	Cursor    string `json:"cursor"`     // the feed's cursor after the last event handled
	WebhookID int64  `json:"webhook_id"` // our subscription
	Secret    string `json:"secret"`     // its signing secret (shown once by OneWindow)
}

// event is the part of a feed item or a webhook's data the sample reads.
type event struct {
	Cursor     string `json:"cursor"`
	Number     string `json:"number"`
	Seq        int    `json:"seq"`
	Type       string `json:"type"`
	State      string `json:"state"`
	Department string `json:"department"`
}

// caseView is the part of GET /cases/{number} the sample reads.
type caseView struct {
	Number  string `json:"number"`
	Version int    `json:"version"`
	State   string `json:"state"`
	Item    string `json:"item_code"`
	// Paper handed in at the window waits to be signed for when the case
	// has a handover deadline and no handover yet.
	Deadlines struct {
		HandoverBy string `json:"handover_by"`
	} `json:"deadlines"`
	HandoverAt string `json:"handover_at"`
}

// paperPending reports whether the department has paper to sign for.
func (c *caseView) paperPending() bool {
	return c.Deadlines.HandoverBy != "" && c.HandoverAt == ""
}

// system is one running sample.
type system struct {
	cfg  Config
	log  *log.Logger
	http *http.Client

	mu sync.Mutex // one case at a time: handling, the cursor, the state file
	st state
}

// Run connects to OneWindow and works until ctx ends.
func Run(ctx context.Context, cfg Config, logger *log.Logger) error {
	s := &system{cfg: cfg, log: logger, http: &http.Client{Timeout: 70 * time.Second}}
	if cfg.Sweep <= 0 {
		s.cfg.Sweep = 30 * time.Second
	}
	if err := s.load(); err != nil {
		return err
	}
	ln := cfg.Listener
	if ln == nil {
		var err error
		if ln, err = net.Listen("tcp", cfg.Listen); err != nil {
			return err
		}
	}
	if s.cfg.PublicURL == "" {
		s.cfg.PublicURL = "http://" + ln.Addr().String()
	}
	// Receive first, so nothing sent while we catch up is refused.
	srv := &http.Server{Handler: http.HandlerFunc(s.receive), ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	defer srv.Close()

	if err := s.subscribe(ctx); err != nil {
		return fmt.Errorf("registering the webhook: %w", err)
	}
	for {
		// Catch up from the saved cursor: after downtime this is where
		// whatever the webhooks could not bring is found.
		if err := s.catchUp(ctx); err != nil && ctx.Err() == nil {
			s.log.Printf("reading the event feed: %v (trying again in %s)", err, s.cfg.Sweep)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(s.cfg.Sweep):
		}
	}
}

// subscribe finds our webhook or registers it, keeping its secret.
func (s *system) subscribe(ctx context.Context) error {
	target := strings.TrimSuffix(s.cfg.PublicURL, "/") + "/webhook"
	var list struct {
		Webhooks []struct {
			ID     int64  `json:"id"`
			URL    string `json:"url"`
			Paused string `json:"paused_at"`
		} `json:"webhooks"`
	}
	if err := s.call(ctx, http.MethodGet, "/api/v1/webhooks", "", nil, &list); err != nil {
		return err
	}
	for _, w := range list.Webhooks {
		if w.URL != target {
			continue
		}
		if w.ID == s.st.WebhookID && s.st.Secret != "" {
			if w.Paused != "" { // paused after failing for days: we are back
				if err := s.call(ctx, http.MethodPost, fmt.Sprintf("/api/v1/webhooks/%d/resume", w.ID), "", struct{}{}, nil); err != nil {
					return err
				}
			}
			s.log.Printf("webhook %d at %s", w.ID, target)
			return nil
		}
		// Ours, but the secret was lost with the state file: rotate it.
		var rotated struct {
			Secret string `json:"secret"`
		}
		if err := s.call(ctx, http.MethodPost, fmt.Sprintf("/api/v1/webhooks/%d/rotate-secret", w.ID), "", struct{}{}, &rotated); err != nil {
			return err
		}
		s.st.WebhookID, s.st.Secret = w.ID, rotated.Secret
		return s.save()
	}
	var made struct {
		ID     int64  `json:"id"`
		Secret string `json:"secret"`
	}
	body := map[string]any{"url": target, "description": "部门审批系统（示例）"}
	if err := s.call(ctx, http.MethodPost, "/api/v1/webhooks", "deptsys-webhook-"+target, body, &made); err != nil {
		return err
	}
	s.st.WebhookID, s.st.Secret = made.ID, made.Secret
	s.log.Printf("webhook %d registered at %s", made.ID, target)
	return s.save()
}

// catchUp reads the feed from the saved cursor to its end, handling every
// event and saving the cursor after each.
func (s *system) catchUp(ctx context.Context) error {
	for {
		s.mu.Lock()
		after := s.st.Cursor
		s.mu.Unlock()
		var page struct {
			Events []event `json:"events"`
			Cursor string  `json:"cursor"`
		}
		q := url.Values{"limit": {"500"}}
		if after != "" {
			q.Set("after", after)
		}
		if err := s.call(ctx, http.MethodGet, "/api/v1/events?"+q.Encode(), "", nil, &page); err != nil {
			return err
		}
		for _, e := range page.Events {
			if err := s.handle(ctx, e, e.Cursor); err != nil {
				return err // the cursor stays before e: it is read again next time
			}
		}
		if len(page.Events) == 0 {
			return nil
		}
	}
}

// receive answers a webhook: 204 once handled, 401 for a bad signature,
// 503 when handling failed (OneWindow then delivers it again later).
func (s *system) receive(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.Path != "/webhook" {
		http.NotFound(w, r)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		http.Error(w, "bad body", http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	secret := s.st.Secret
	s.mu.Unlock()
	if err := Verify(secret, r.Header, body, time.Now(), 5*time.Minute); err != nil {
		s.log.Printf("webhook refused: %v", err)
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}
	var env struct {
		Data event `json:"data"`
	}
	if err := json.Unmarshal(body, &env); err != nil || env.Data.Number == "" {
		http.Error(w, "not a case event", http.StatusBadRequest)
		return
	}
	if err := s.handle(r.Context(), env.Data, ""); err != nil {
		s.log.Printf("webhook %s: %v", r.Header.Get("webhook-id"), err)
		http.Error(w, "try again later", http.StatusServiceUnavailable)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// handle does the department's work a case event calls for, then moves the
// cursor (feed events only) past it.
func (s *system) handle(ctx context.Context, e event, cursor string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if e.State == "received" || e.State == "accepted" {
		if err := s.work(ctx, e.Number); err != nil {
			return err
		}
	}
	if cursor != "" {
		s.st.Cursor = cursor
		return s.save()
	}
	return nil
}

// work reads the case as it stands now (the event may be old) and takes it
// as far as the system can: accept, then decide.
func (s *system) work(ctx context.Context, number string) error {
	var c caseView
	if err := s.call(ctx, http.MethodGet, "/api/v1/cases/"+url.PathEscape(number), "", nil, &c); err != nil {
		return err
	}
	if c.State == "received" {
		ok, err := s.act(ctx, &c, "accept", map[string]any{})
		if err != nil || !ok {
			return err
		}
		s.log.Printf("%s accepted", number)
	}
	if c.State == "accepted" && c.paperPending() {
		// The department signs for the paper materials. A real system does
		// this when the paper arrives from the hall (R6); the sample signs
		// at once so that it can decide.
		ok, err := s.act(ctx, &c, "handover", map[string]any{})
		if err != nil {
			return err
		}
		if ok {
			s.log.Printf("%s paper signed for", number)
		}
	}
	if c.State == "accepted" {
		body := map[string]any{
			"outcome":         "approve",
			"result_document": "许可证（部门系统出具，编号 " + number + "）",
			"confirm":         true,
		}
		ok, err := s.act(ctx, &c, "decide", body)
		if err != nil || !ok {
			return err
		}
		s.log.Printf("%s decided: approved", number)
	}
	return nil
}

// act posts one action with the case's version and an Idempotency-Key of
// the case and the step. It reports false, with no error, when OneWindow
// refused it for a reason retrying will not change (someone else acted
// first, the case needs a person): the sample leaves such a case to people.
func (s *system) act(ctx context.Context, c *caseView, action string, body map[string]any) (bool, error) {
	body["version"] = c.Version
	key := "deptsys-" + c.Number + "-" + action
	err := s.call(ctx, http.MethodPost, "/api/v1/cases/"+url.PathEscape(c.Number)+"/"+action, key, body, c)
	var refused *apiError
	if errors.As(err, &refused) && refused.Status >= 400 && refused.Status < 500 && refused.Status != http.StatusTooManyRequests {
		s.log.Printf("%s %s refused (%d): %s", c.Number, action, refused.Status, refused.Detail)
		return false, nil
	}
	return err == nil, err
}

// apiError is an RFC 9457 problem OneWindow answered with.
type apiError struct {
	Status int    `json:"status"`
	Title  string `json:"title"`
	Detail string `json:"detail"`
}

func (e *apiError) Error() string { return fmt.Sprintf("%d %s: %s", e.Status, e.Title, e.Detail) }

// call sends one request with the client key (and, for writes, the
// reviewer acted for and an Idempotency-Key) and decodes the answer.
func (s *system) call(ctx context.Context, method, path, key string, in, out any) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, strings.TrimSuffix(s.cfg.Base, "/")+path, body)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+s.cfg.Key)
	req.Header.Set("Accept", "application/json")
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if method != http.MethodGet && strings.HasPrefix(path, "/api/v1/cases/") {
		req.Header.Set("On-Behalf-Of", s.cfg.OnBehalfOf)
	}
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	res, err := s.http.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(io.LimitReader(res.Body, 16<<20))
	if err != nil {
		return err
	}
	if res.StatusCode >= 300 {
		e := &apiError{Status: res.StatusCode}
		json.Unmarshal(b, e)
		e.Status = res.StatusCode
		return e
	}
	if out != nil && len(b) > 0 {
		return json.Unmarshal(b, out)
	}
	return nil
}

func (s *system) load() error {
	b, err := os.ReadFile(s.cfg.StateFile)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	return json.Unmarshal(b, &s.st)
}

// save writes the state file atomically (a rename), so a crash leaves the
// old cursor or the new, never half of one.
func (s *system) save() error {
	b, err := json.MarshalIndent(s.st, "", "  ")
	if err != nil {
		return err
	}
	tmp := s.cfg.StateFile + ".tmp"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, s.cfg.StateFile)
}

// Verify checks a Standard Webhooks delivery: the timestamp within
// tolerance of now (no replays of old messages) and one of the signatures
// (several during a secret's rotation) the HMAC-SHA256 of
// "id.timestamp.body" under the secret ("whsec_" + base64).
func Verify(secret string, h http.Header, body []byte, now time.Time, tolerance time.Duration) error {
	id, ts, sigs := h.Get("webhook-id"), h.Get("webhook-timestamp"), h.Get("webhook-signature")
	if id == "" || ts == "" || sigs == "" {
		return errors.New("missing webhook headers")
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return errors.New("bad webhook-timestamp")
	}
	if d := now.Sub(time.Unix(sec, 0)); d > tolerance || d < -tolerance {
		return errors.New("webhook-timestamp too far from now")
	}
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, "whsec_"))
	if err != nil || len(key) == 0 {
		return errors.New("no usable secret")
	}
	m := hmac.New(sha256.New, key)
	m.Write([]byte(id + "." + ts + "."))
	m.Write(body)
	want := m.Sum(nil)
	for _, sig := range strings.Fields(sigs) {
		v, b64, ok := strings.Cut(sig, ",")
		if !ok || v != "v1" {
			continue
		}
		got, err := base64.StdEncoding.DecodeString(b64)
		if err == nil && hmac.Equal(got, want) {
			return nil
		}
	}
	return errors.New("no signature matches")
}
