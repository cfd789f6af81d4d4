package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"io"
	"log"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
)

// The sample is tested as a vendor would run it: against the real server
// binary with its demo, on SQLite and on PostgreSQL, through a stop of the
// sample and a restart of the server.
func TestSampleDepartmentSystem(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and starts the real server; skipped with -short")
	}
	bin := buildServer(t)
	t.Run("sqlite", func(t *testing.T) {
		dir := t.TempDir()
		sampleScenario(t, bin, dir, filepath.Join(dir, "onewindow.db"))
	})
	t.Run("postgres", func(t *testing.T) {
		sampleScenario(t, bin, t.TempDir(), freshPostgres(t))
	})
}

func sampleScenario(t *testing.T, bin, dir, db string) {
	srv := startServer(t, bin, dir, db)
	creds := map[string]string{}
	for _, m := range regexp.MustCompile(`用户名 (\S+)\s+密码 (\S+)`).FindAllStringSubmatch(srv.out.String(), -1) {
		creds[m[1]] = m[2]
	}
	add := exec.Command(bin, "client", "add", "--db", db, "--name", "食品许可审批系统",
		"--department", "SCJG", "--scopes", "cases:read,cases:act,events:read")
	add.Dir = dir // the server's data folder (its data key)
	out, err := add.CombinedOutput()
	if err != nil {
		t.Fatalf("client add: %v\n%s", err, out)
	}
	m := regexp.MustCompile(`key: (\S+)`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("client add printed no key:\n%s", out)
	}
	key := string(m[1])

	// The sample's webhook address stays the same across its restarts.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hook := ln.Addr().String()
	cfg := Config{Base: srv.base, Key: key, OnBehalfOf: "shenpi", Listener: ln,
		StateFile: filepath.Join(dir, "deptsys.json"), Sweep: time.Hour}
	sample := runSample(t, cfg)

	desk := &apiClient{t: t, base: srv.base}
	desk.login("shouli", creds["shouli"])
	materials := desk.required("SCJG-XK-002")

	// Live: a case taken in at the window is accepted and decided through
	// the webhook alone (the feed is read only at start: Sweep is an hour).
	var numbers []string
	for range 3 {
		numbers = append(numbers, desk.intake(materials))
	}
	start := time.Now()
	desk.waitDecided(numbers, 20*time.Second)
	t.Logf("3 cases accepted and decided by the sample within %s of intake", time.Since(start).Round(time.Millisecond))

	// The sample is down: cases keep coming; the webhooks to it fail.
	sample.stop()
	var whileDown []string
	for range 3 {
		whileDown = append(whileDown, desk.intake(materials))
	}
	time.Sleep(1500 * time.Millisecond) // let a delivery attempt fail
	// The server restarts too (and so does the sample, on a new listener
	// at the same address): nothing is missed, nothing done twice.
	srv.stop(t)
	srv = startServer(t, bin, dir, db)
	desk.base = srv.base
	desk.login("shouli", creds["shouli"])
	ln2, err := net.Listen("tcp", hook)
	if err != nil {
		t.Fatalf("listen again at %s: %v", hook, err)
	}
	cfg.Base, cfg.Listener = srv.base, ln2
	sample = runSample(t, cfg)
	desk.waitDecided(whileDown, 30*time.Second)
	after := desk.intake(materials)
	desk.waitDecided([]string{after}, 20*time.Second)
	sample.stop()

	for _, n := range append(append(numbers, whileDown...), after) {
		c := desk.get("/api/v1/cases/" + n)
		counts := map[string]int{}
		for _, e := range c["events"].([]any) {
			counts[e.(map[string]any)["type"].(string)]++
		}
		if counts["accept"] != 1 || counts["decide"] != 1 {
			t.Errorf("%s: want one accept and one decision, got %v", n, counts)
		}
	}
}

// sampleRun is one run of the sample in this process.
type sampleRun struct {
	cancel context.CancelFunc
	done   chan error
}

func runSample(t *testing.T, cfg Config) *sampleRun {
	ctx, cancel := context.WithCancel(context.Background())
	r := &sampleRun{cancel: cancel, done: make(chan error, 1)}
	go func() { r.done <- Run(ctx, cfg, log.New(testWriter{t}, "deptsys ", 0)) }()
	t.Cleanup(r.stop)
	return r
}

func (r *sampleRun) stop() {
	r.cancel()
	select {
	case <-r.done:
	case <-time.After(10 * time.Second):
	}
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// apiClient is the window clerk, through the API.
type apiClient struct {
	t     *testing.T
	base  string
	token string
}

func (c *apiClient) do(method, path string, in any) (int, map[string]any) {
	c.t.Helper()
	var body io.Reader
	if in != nil {
		b, _ := json.Marshal(in)
		body = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, c.base+path, body)
	req.Header.Set("Content-Type", "application/json")
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	var out map[string]any
	json.NewDecoder(res.Body).Decode(&out)
	return res.StatusCode, out
}

func (c *apiClient) login(user, password string) {
	c.t.Helper()
	status, out := c.do(http.MethodPost, "/api/v1/login", map[string]string{"username": user, "password": password})
	if status != http.StatusOK {
		c.t.Fatalf("login %s: %d %v", user, status, out)
	}
	c.token = out["token"].(string)
}

func (c *apiClient) get(path string) map[string]any {
	c.t.Helper()
	status, out := c.do(http.MethodGet, path, nil)
	if status != http.StatusOK {
		c.t.Fatalf("GET %s: %d %v", path, status, out)
	}
	return out
}

func (c *apiClient) required(item string) []map[string]string {
	var out []map[string]string
	for _, m := range c.get("/api/v1/items/" + item)["materials"].([]any) {
		if m := m.(map[string]any); m["required"] == true {
			out = append(out, map[string]string{"code": m["code"].(string), "status": "provided"})
		}
	}
	return out
}

func (c *apiClient) intake(materials []map[string]string) string {
	c.t.Helper()
	status, out := c.do(http.MethodPost, "/api/v1/cases", map[string]any{
		"item_code": "SCJG-XK-002", "channel": "window", "materials": materials,
		"applicant": map[string]string{"kind": "entity", "name": "江川区好味餐饮有限公司", "id_type": "credit_code", "id_number": "91350100M000100Y43", "phone": "13800138000"},
	})
	if status != http.StatusCreated && status != http.StatusOK {
		c.t.Fatalf("intake: %d %v", status, out)
	}
	return out["number"].(string)
}

// waitDecided waits until every case is decided.
func (c *apiClient) waitDecided(numbers []string, within time.Duration) {
	c.t.Helper()
	deadline := time.Now().Add(within)
	for _, n := range numbers {
		for {
			state := c.get("/api/v1/cases/" + n)["state"]
			if state == "decided" {
				break
			}
			if time.Now().After(deadline) {
				c.t.Fatalf("%s is still %v after %s", n, state, within)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
}

// buildServer builds cmd/onewindow into a temporary folder.
func buildServer(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "onewindow")
	out, err := exec.Command("go", "build", "-o", bin, "github.com/onewindow/onewindow/cmd/onewindow").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// server is one run of `onewindow serve --demo`.
type server struct {
	cmd  *exec.Cmd
	base string
	out  *syncBuffer
	done chan struct{}
}

func startServer(t *testing.T, bin, dir, db string) *server {
	t.Helper()
	s := &server{out: &syncBuffer{}, done: make(chan struct{})}
	s.cmd = exec.Command(bin, "serve", "--demo", "--addr", "127.0.0.1:0", "--db", db,
		"--files", filepath.Join(dir, "files"), "--log-level", "warn",
		"--webhook-allow", "127.0.0.1/32", "--webhook-retry-base", "1s")
	s.cmd.Dir = dir // its data folder (the data key) stays out of the source tree
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "ONEWINDOW_") {
			s.cmd.Env = append(s.cmd.Env, kv)
		}
	}
	s.cmd.Env = append(s.cmd.Env, "ONEWINDOW_DEMO_HISTORY=0")
	var errs syncBuffer
	s.cmd.Stderr = &errs
	stdout, err := s.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	up := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		re := regexp.MustCompile(`一窗通已启动：http://(\S+?)/`)
		for sc.Scan() {
			s.out.Write([]byte(sc.Text() + "\n"))
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				up <- m[1]
			}
		}
		io.Copy(io.Discard, stdout)
		s.cmd.Wait()
		close(s.done)
	}()
	t.Cleanup(func() {
		s.cmd.Process.Signal(syscall.SIGKILL)
		<-s.done
	})
	select {
	case addr := <-up:
		s.base = "http://" + addr
	case <-s.done:
		t.Fatalf("serve ended before listening\n%s%s", s.out, errs.String())
	case <-time.After(60 * time.Second):
		t.Fatalf("serve did not listen within 60s\n%s%s", s.out, errs.String())
	}
	return s
}

// stop ends the server with SIGTERM and waits.
func (s *server) stop(t *testing.T) {
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not stop within 20s of SIGTERM")
	}
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// freshPostgres returns a new database on the server
// ONEWINDOW_TEST_POSTGRES names, dropped at the end; skipped without it.
func freshPostgres(t *testing.T) string {
	t.Helper()
	dsn := os.Getenv("ONEWINDOW_TEST_POSTGRES")
	if dsn == "" {
		t.Skip("ONEWINDOW_TEST_POSTGRES is not set; skipping PostgreSQL")
	}
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	var b [6]byte
	rand.Read(b[:])
	name := "ow_deptsys_" + hex.EncodeToString(b[:])
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin.Exec(`CREATE DATABASE ` + name); err != nil {
		admin.Close()
		t.Fatalf("CREATE DATABASE: %v", err)
	}
	t.Cleanup(func() {
		defer admin.Close()
		if _, err := admin.Exec(`DROP DATABASE IF EXISTS ` + name + ` WITH (FORCE)`); err != nil {
			t.Errorf("drop database %s: %v", name, err)
		}
	})
	u.Path = "/" + name
	return u.String()
}
