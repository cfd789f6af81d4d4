//go:build unix

package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/casework"
)

// TestCrash is the kill -9 round of the attack, kept in the repository: it
// builds the real binary, serves the demo hall on a fresh database, drives
// concurrent intakes and transitions through the HTTP API, kills the server
// with SIGKILL at random moments (once while it is still starting),
// restarts it, and checks after each crash that `onewindow audit verify`
// passes and at the end that every write the server acknowledged (a 2xx
// answer) is there: the case, and at least the acknowledged events, the
// last one being the acknowledged action. SQLite always; PostgreSQL when
// ONEWINDOW_TEST_POSTGRES is set. ONEWINDOW_CRASH_SEED replays a run's
// random moments.
func TestCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("the crash test builds, starts and kills the real binary; skipped with -short")
	}
	bin := buildBinary(t)
	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv("ONEWINDOW_CRASH_SEED"); s != "" {
		seed, _ = strconv.ParseUint(s, 10, 64)
	}
	t.Logf("ONEWINDOW_CRASH_SEED=%d", seed)
	t.Run("sqlite", func(t *testing.T) {
		dir := t.TempDir()
		crashRounds(t, bin, dir, filepath.Join(dir, "onewindow.db"), seed)
	})
	t.Run("postgres", func(t *testing.T) {
		db := freshPostgres(t)
		crashRounds(t, bin, t.TempDir(), db, seed)
	})
}

// buildBinary builds cmd/onewindow into a temporary folder.
func buildBinary(t *testing.T) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the crash test needs the go command to build the binary: %v", err)
	}
	bin := filepath.Join(t.TempDir(), "onewindow")
	cmd := exec.Command(goTool, "build", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// crash settings: well under a minute per database.
const (
	crashWorkers = 4
	crashKills   = 5
)

func crashRounds(t *testing.T, bin, dir, db string, seed uint64) {
	rng := rand.New(rand.NewPCG(seed, 0x0e11d0))
	start := time.Now()
	srv := startBinary(t, bin, dir, db)
	creds := map[string]string{}
	for _, m := range credLine.FindAllStringSubmatch(srv.out.String(), -1) {
		creds[m[1]] = m[2]
	}
	d := &driver{t: t, client: &http.Client{Timeout: 10 * time.Second}, acked: map[string]crashAck{}}
	d.base.Store(&srv.base)
	// Few sign-ins, whose tokens outlive every restart.
	d.tokens = map[string]string{}
	for _, user := range []string{"shouli", "shenpi", "chujian"} {
		tok, err := d.login(user, creds[user])
		if err != nil {
			t.Fatalf("sign in as %s: %v\n%s", user, err, srv.out)
		}
		d.tokens[user] = tok
	}
	materials := requiredMaterials(t, srv.base, loadItem)
	d.intake = map[string]any{
		"item_code": loadItem, "channel": "window", "materials": materials,
		"applicant": map[string]string{"kind": "entity", "name": "江川区好味餐饮有限公司", "id_type": "credit_code", "id_number": "91350100M000100Y43", "phone": "13800138000"},
	}
	d.startWorkers(crashWorkers)

	for round := 1; round <= crashKills; round++ {
		// Let the desks work, then kill at a random moment of a busy server.
		before := d.ackCount()
		d.waitAcks(before+3, 15*time.Second)
		time.Sleep(time.Duration(rng.IntN(700)) * time.Millisecond)
		d.base.Store(nil)
		srv.kill(t)
		verifyAudit(t, bin, db, fmt.Sprintf("after kill %d", round))
		if round == 2 {
			// Once while starting: the schema check, the demo check, the listener.
			early := startBinaryAsync(t, bin, dir, db)
			time.Sleep(time.Duration(rng.IntN(150)) * time.Millisecond)
			early.kill(t)
			verifyAudit(t, bin, db, "after a kill during start")
		}
		srv = startBinary(t, bin, dir, db)
		d.base.Store(&srv.base)
	}
	d.waitAcks(d.ackCount()+3, 15*time.Second)
	d.stop()

	// Every acknowledged write survived.
	acked := d.snapshot()
	for number, a := range acked {
		resp, body := get(t, srv.base+"/api/v1/cases/"+number, d.tokens["shouli"])
		if resp.StatusCode != http.StatusOK {
			t.Errorf("case %s, acknowledged up to event %d (%s): %d %v", number, a.version, a.action, resp.StatusCode, body["detail"])
			continue
		}
		events, _ := body["events"].([]any)
		if len(events) < a.version {
			t.Errorf("case %s has %d event(s), %d were acknowledged (the last %s)", number, len(events), a.version, a.action)
			continue
		}
		ev, _ := events[a.version-1].(map[string]any)
		if ev["type"] != string(a.action) || ev["to"] != string(a.state) {
			t.Errorf("case %s event %d is %v→%v, the acknowledged one was %s→%s", number, a.version, ev["type"], ev["to"], a.action, a.state)
		}
	}
	if d.failed() != nil {
		t.Fatalf("a request was answered with an error, not dropped: %v", d.failed())
	}
	// Stopped properly at last, the chains verify and hold every case.
	srv.stop(t)
	out := verifyAudit(t, bin, db, "at the end")
	if m := regexp.MustCompile(`checked (\d+) case`).FindStringSubmatch(out); m == nil || atoi(m[1]) < len(acked) {
		t.Errorf("audit verify checked fewer cases than the %d acknowledged: %s", len(acked), out)
	}
	t.Logf("%d kills, %d cases, %d acknowledged writes, %d dropped requests in %s",
		crashKills+1, len(acked), d.ackTotal.Load(), d.dropped.Load(), time.Since(start).Round(time.Millisecond))
	if len(acked) < crashKills*3 {
		t.Errorf("only %d cases acknowledged: the desks hardly worked", len(acked))
	}
}

func atoi(s string) int { n, _ := strconv.Atoi(s); return n }

// verifyAudit runs `onewindow audit verify` on db and fails the test
// unless every chain verifies.
func verifyAudit(t *testing.T, bin, db, when string) string {
	t.Helper()
	cmd := exec.Command(bin, "audit", "verify", "--db", db)
	cmd.Env = childEnv()
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), " 0 broken link(s)") {
		t.Fatalf("audit verify %s: %v\n%s", when, err, out)
	}
	return string(out)
}

// childEnv is the environment without the program's own settings, so that
// the developer's own ONEWINDOW_* cannot leak into the test's servers.
func childEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "ONEWINDOW_") {
			env = append(env, kv)
		}
	}
	return append(env, "ONEWINDOW_DEMO_HISTORY=0")
}

// binary is one run of `onewindow serve`.
type binary struct {
	cmd  *exec.Cmd
	base string        // http://addr once listening
	out  *syncBuffer   // stdout
	errs *syncBuffer   // stderr
	up   chan string   // the address, once listening
	done chan struct{} // closed when the process has ended
}

var listening = regexp.MustCompile(`一窗通已启动：http://(\S+?)/`)

// startBinaryAsync starts the server and returns at once.
func startBinaryAsync(t *testing.T, bin, dir, db string) *binary {
	t.Helper()
	b := &binary{out: &syncBuffer{}, errs: &syncBuffer{}, up: make(chan string, 1), done: make(chan struct{})}
	b.cmd = exec.Command(bin, "serve", "--demo", "--addr", "127.0.0.1:0", "--db", db,
		"--files", filepath.Join(dir, "files"), "--log-level", "warn")
	b.cmd.Env = childEnv()
	b.cmd.Stderr = b.errs
	stdout, err := b.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := b.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		b.cmd.Process.Signal(syscall.SIGKILL)
		<-b.done
	})
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			line := sc.Text()
			b.out.Write([]byte(line + "\n"))
			if m := listening.FindStringSubmatch(line); m != nil {
				b.up <- m[1]
			}
		}
		io.Copy(io.Discard, stdout)
		b.cmd.Wait()
		close(b.done)
	}()
	return b
}

// startBinary starts the server and waits until it listens.
func startBinary(t *testing.T, bin, dir, db string) *binary {
	t.Helper()
	b := startBinaryAsync(t, bin, dir, db)
	select {
	case addr := <-b.up:
		b.base = "http://" + addr
		return b
	case <-b.done:
		t.Fatalf("serve ended before listening: %v\n%s%s", b.cmd.ProcessState, b.out, b.errs.tail())
	case <-time.After(30 * time.Second):
		b.kill(t)
		t.Fatalf("serve did not listen within 30s\n%s%s", b.out, b.errs.tail())
	}
	return nil
}

// kill ends the server with SIGKILL, as the power cut or the OOM killer
// would, and waits for it to be gone.
func (b *binary) kill(t *testing.T) {
	t.Helper()
	b.cmd.Process.Signal(syscall.SIGKILL)
	select {
	case <-b.done:
	case <-time.After(10 * time.Second):
		t.Fatal("the server outlived SIGKILL by 10s")
	}
}

// stop ends the server with SIGTERM, which it answers by shutting down.
func (b *binary) stop(t *testing.T) {
	t.Helper()
	b.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-b.done:
		if !b.cmd.ProcessState.Success() {
			t.Errorf("serve after SIGTERM: %v\n%s", b.cmd.ProcessState, b.errs.tail())
		}
	case <-time.After(20 * time.Second):
		b.kill(t)
		t.Fatal("serve did not stop within 20s of SIGTERM")
	}
}

// syncBuffer is a bytes.Buffer safe for one writer and one reader.
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

// tail returns the last lines written, for a failure's message.
func (s *syncBuffer) tail() string {
	out := s.String()
	if len(out) > 4000 {
		out = "…" + out[len(out)-4000:]
	}
	return out
}

// crashAck is a case's latest acknowledged write.
type crashAck struct {
	version int
	state   casework.State
	action  casework.Action
}

// driver is the desks: workers that take cases in and through to the
// archive over HTTP, recording every 2xx answer. A request that fails
// because the server died is dropped, and the worker starts a new case; any
// other answer (4xx, 5xx) fails the test.
type driver struct {
	t      *testing.T
	client *http.Client
	base   atomic.Pointer[string] // nil while the server is down
	tokens map[string]string
	intake map[string]any

	quit     chan struct{}
	wg       sync.WaitGroup
	ackTotal atomic.Int64
	dropped  atomic.Int64

	mu    sync.Mutex
	acked map[string]crashAck
	err   error
}

func (d *driver) login(user, password string) (string, error) {
	status, body, err := d.post("/api/v1/login", "", map[string]string{"username": user, "password": password})
	if err != nil {
		return "", err
	}
	if status != http.StatusOK {
		return "", fmt.Errorf("%d %s", status, body)
	}
	var out struct {
		Token string `json:"token"`
	}
	if err := json.Unmarshal(body, &out); err != nil || out.Token == "" {
		return "", fmt.Errorf("no token in %s", body)
	}
	return out.Token, nil
}

// post sends a JSON body; err is a transport failure (the server is gone).
func (d *driver) post(path, token string, body any) (int, []byte, error) {
	base := d.base.Load()
	if base == nil {
		return 0, nil, fmt.Errorf("the server is down")
	}
	b, _ := json.Marshal(body)
	req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, *base+path, bytes.NewReader(b))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := d.client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, nil, err // cut off mid-answer: not an acknowledgement
	}
	return resp.StatusCode, out, nil
}

func (d *driver) startWorkers(n int) {
	d.quit = make(chan struct{})
	for range n {
		d.wg.Add(1)
		go func() {
			defer d.wg.Done()
			for !d.stopped() {
				d.oneCase()
			}
		}()
	}
}

// oneCase takes a case in and through to the archive, until a request is
// dropped.
func (d *driver) oneCase() {
	number, ok := d.act("", casework.ActIntake, "shouli", d.intake)
	if !ok {
		return
	}
	for _, step := range wholeCase {
		if d.stopped() {
			return
		}
		if _, ok := d.act(number, step.action, step.who, step.in); !ok {
			return
		}
	}
}

// act sends one write and records it if acknowledged.
func (d *driver) act(number string, action casework.Action, who string, body any) (string, bool) {
	path := "/api/v1/cases"
	if action != casework.ActIntake {
		path += "/" + number + "/" + string(action)
	}
	status, out, err := d.post(path, d.tokens[who], body)
	switch {
	case err != nil:
		// The server died under the request (or is down): its outcome is
		// unknown, so nothing is recorded, and the case is left as it is.
		d.dropped.Add(1)
		time.Sleep(20 * time.Millisecond)
		return "", false
	case status >= 300:
		// A live server refuses nothing of this: no write fails while it runs.
		d.fail(fmt.Errorf("%s %s as %s: %d %s", action, number, who, status, out))
		return "", false
	}
	var c struct {
		Number  string         `json:"number"`
		Version int            `json:"version"`
		State   casework.State `json:"state"`
	}
	if err := json.Unmarshal(out, &c); err != nil || c.Number == "" || c.Version < 1 {
		d.fail(fmt.Errorf("%s %s: an acknowledgement without the case: %s", action, number, out))
		return "", false
	}
	d.mu.Lock()
	d.acked[c.Number] = crashAck{version: c.Version, state: c.State, action: action}
	d.mu.Unlock()
	d.ackTotal.Add(1)
	return c.Number, true
}

func (d *driver) fail(err error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.err == nil {
		d.err = err
	}
}

func (d *driver) failed() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.err
}

func (d *driver) stopped() bool {
	select {
	case <-d.quit:
		return true
	default:
		return d.failed() != nil
	}
}

func (d *driver) stop() {
	close(d.quit)
	d.wg.Wait()
}

func (d *driver) ackCount() int64 { return d.ackTotal.Load() }

// waitAcks waits until n writes in all have been acknowledged.
func (d *driver) waitAcks(n int64, timeout time.Duration) {
	d.t.Helper()
	deadline := time.Now().Add(timeout)
	for d.ackTotal.Load() < n {
		if err := d.failed(); err != nil {
			d.t.Fatalf("a request was answered with an error, not dropped: %v", err)
		}
		if time.Now().After(deadline) {
			d.t.Fatalf("fewer than %d writes acknowledged within %s", n, timeout)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func (d *driver) snapshot() map[string]crashAck {
	d.mu.Lock()
	defer d.mu.Unlock()
	out := make(map[string]crashAck, len(d.acked))
	for k, v := range d.acked {
		out[k] = v
	}
	return out
}
