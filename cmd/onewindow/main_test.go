package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/store"
)

// run runs one command on a fresh Main and returns its output.
func run(t *testing.T, env map[string]string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errOut bytes.Buffer
	m := &Main{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut, Env: env}
	err = m.Run(context.Background(), args)
	if cerr := m.Close(); err == nil {
		err = cerr
	}
	return out.String(), errOut.String(), err
}

// startServe runs serve in the background and returns its address, its
// stdout so far, and a stop function that shuts it down gracefully and
// returns serve's error.
func startServe(t *testing.T, env map[string]string, args ...string) (addr string, stdout *bytes.Buffer, stop func() error) {
	t.Helper()
	if _, ok := env["ONEWINDOW_DEMO_HISTORY"]; !ok && env != nil {
		env["ONEWINDOW_DEMO_HISTORY"] = "0" // the demo's generated year: see TestDemoHistory
	}
	if _, ok := env["ONEWINDOW_MEMORY_LIMIT_MIB"]; !ok && env != nil {
		env["ONEWINDOW_MEMORY_LIMIT_MIB"] = "0" // the test process's heap is not a server's: see TestMemoryLimit
	}
	ready := make(chan string, 1)
	stdout = &bytes.Buffer{}
	m := &Main{Stdin: strings.NewReader(""), Stdout: stdout, Stderr: io.Discard, Env: env, Ready: ready}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		err := m.Run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...))
		m.Close()
		done <- err
	}()
	select {
	case addr = <-ready:
	case err := <-done:
		cancel()
		t.Fatalf("serve ended before listening: %v", err)
	case <-time.After(30 * time.Second):
		cancel()
		t.Fatal("serve did not start within 30s")
	}
	return addr, stdout, func() error {
		cancel()
		select {
		case err := <-done:
			return err
		case <-time.After(20 * time.Second):
			return context.DeadlineExceeded
		}
	}
}

func postJSON(t *testing.T, url, token string, body any) (*http.Response, map[string]any) {
	t.Helper()
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return do(t, req)
}

func get(t *testing.T, url, token string) (*http.Response, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return do(t, req)
}

func do(t *testing.T, req *http.Request) (*http.Response, map[string]any) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body map[string]any
	json.NewDecoder(resp.Body).Decode(&body)
	return resp, body
}

var credLine = regexp.MustCompile(`用户名 (\S+)\s+密码 (\S+)`)

// TestDemoHallEndToEnd is the README's promise: start the demo hall, sign
// in with a printed account, list the items and the 2026 calendar; bad
// input gets a clear error; a restart keeps the data and prints no
// passwords again.
func TestDemoHallEndToEnd(t *testing.T) {
	db := filepath.Join(t.TempDir(), "data", "onewindow.db")
	env := map[string]string{"ONEWINDOW_DB": db}
	addr, stdout, stop := startServe(t, env, "--demo", "--now", "2026-09-30T14:00:00+08:00")
	base := "http://" + addr

	creds := map[string]string{}
	for _, m := range credLine.FindAllStringSubmatch(stdout.String(), -1) {
		creds[m[1]] = m[2]
	}
	for _, user := range []string{"shouli", "chujian", "shenpi", "bumen", "admin", "jiandu", "daiban"} {
		if creds[user] == "" {
			t.Fatalf("no password printed for %s in:\n%s", user, stdout)
		}
	}

	resp, body := get(t, base+"/healthz", "")
	if resp.StatusCode != 200 || body["status"] != "ok" {
		t.Fatalf("healthz: %d %v", resp.StatusCode, body)
	}
	if !strings.HasPrefix(body["time"].(string), "2026-09-30T14:0") {
		t.Errorf("--now not applied: server time %v", body["time"])
	}

	resp, body = postJSON(t, base+"/api/v1/login", "", map[string]string{"username": "shouli", "password": creds["shouli"]})
	if resp.StatusCode != 200 {
		t.Fatalf("login: %d %v", resp.StatusCode, body)
	}
	token := body["token"].(string)

	resp, body = get(t, base+"/api/v1/items", token)
	if resp.StatusCode != 200 || body["total"].(float64) < 15 {
		t.Fatalf("items: %d %v", resp.StatusCode, body["total"])
	}
	resp, body = get(t, base+"/api/v1/calendar/2026", token)
	if resp.StatusCode != 200 || len(body["days"].([]any)) != 365 || body["working_days"].(float64) != 248 {
		t.Fatalf("calendar: %d working_days=%v", resp.StatusCode, body["working_days"])
	}

	// A case taken in on the afternoon of the National Day eve (the --now
	// training clock): papers due at 10:00 on the first working day after
	// the holiday, acceptance within 2 working days (10/8, 10/9).
	resp, body = postJSON(t, base+"/api/v1/cases", token, map[string]any{
		"item_code": "SCJG-XK-002", "channel": "window",
		"applicant": map[string]string{"kind": "entity", "name": "江川区好味餐饮有限公司", "id_type": "credit_code", "id_number": "91350100M000100Y43", "phone": "13800138000"},
		"materials": requiredMaterials(t, base, "SCJG-XK-002"),
	})
	if resp.StatusCode != 201 {
		t.Fatalf("intake: %d %v", resp.StatusCode, body)
	}
	deadlines := body["deadlines"].(map[string]any)
	if deadlines["handover_by"] != "2026-10-08T10:00:00+08:00" || deadlines["accept_by"] != "2026-10-09T17:00:00+08:00" {
		t.Errorf("deadlines of a case taken in on 2026-09-30 14:0x: %v", deadlines)
	}
	if !strings.HasPrefix(body["number"].(string), "20260930") {
		t.Errorf("case number %v does not start with the training date", body["number"])
	}

	// Bad input: a clear error each time.
	resp, body = postJSON(t, base+"/api/v1/login", "", map[string]string{"username": "shouli", "password": "wrong-password1"})
	if resp.StatusCode != 401 || body["detail"] != "用户名或密码错误" {
		t.Errorf("wrong password: %d %v", resp.StatusCode, body)
	}
	resp, body = get(t, base+"/api/v1/items/NO-SUCH-ITEM", token)
	if resp.StatusCode != 404 || !strings.Contains(body["detail"].(string), "NO-SUCH-ITEM") {
		t.Errorf("unknown item: %d %v", resp.StatusCode, body)
	}

	if err := stop(); err != nil {
		t.Fatalf("graceful shutdown: %v", err)
	}
	out, _, err := run(t, env, "audit", "verify")
	if err != nil || !strings.Contains(out, "checked 1 case(s), 1 event(s): 0 broken link(s)") {
		t.Errorf("audit verify: %v %q", err, out)
	}
	out, _, err = run(t, env, "stats", "rebuild")
	if err != nil || !strings.Contains(out, "rebuilt the supervision figures of 1 case(s) from 1 event(s)") {
		t.Errorf("stats rebuild: %v %q", err, out)
	}

	// As migration 31 leaves the cases written before it: the search
	// columns empty, to be filled in at the next start.
	st, err := store.Open(context.Background(), db, clock.System{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.DB().Exec(`UPDATE cases SET applicant_phone = NULL, received_by = NULL`); err != nil {
		t.Fatal(err)
	}
	st.Close()

	// Restart on the same file: the data is still there, the token too,
	// and the demo's passwords are not printed a second time.
	// The same training clock, or the token would have expired (real time is later).
	addr, stdout, stop = startServe(t, env, "--demo", "--now", "2026-09-30T15:00:00+08:00")
	defer stop()
	if credLine.MatchString(stdout.String()) {
		t.Errorf("demo passwords printed again on restart:\n%s", stdout)
	}
	resp, body = get(t, "http://"+addr+"/api/v1/me", token)
	if resp.StatusCode != 200 || body["username"] != "shouli" {
		t.Errorf("token after restart: %d %v", resp.StatusCode, body)
	}
	// The start filled the search columns in: the phone finds the case.
	resp, body = get(t, "http://"+addr+"/api/v1/cases?phone=13800138000&clerk=shouli", token)
	if resp.StatusCode != 200 || body["total"] != float64(1) {
		t.Errorf("search by phone after restart: %d %v", resp.StatusCode, body["total"])
	}
}

func TestCommands(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"ONEWINDOW_DB": filepath.Join(dir, "ow.db")}

	out, _, err := run(t, env, "migrate")
	if err != nil || strings.Contains(out, "applied 0 migration(s)") || !strings.Contains(out, "sqlite schema at version") {
		t.Fatalf("migrate: %v %q", err, out)
	}
	out, _, err = run(t, env, "migrate")
	if err != nil || !strings.Contains(out, "applied 0 migration(s)") {
		t.Fatalf("second migrate: %v %q", err, out)
	}

	// user add: a good account, then bad ones that change nothing.
	if _, _, err := run(t, env, "user", "add", "--username", "admin", "--password", "Secret123", "--role", "admin"); err != nil {
		t.Fatalf("user add: %v", err)
	}
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"duplicate", []string{"--username", "admin", "--password", "Secret123", "--role", "admin"}, "用户名已存在"},
		{"bad role", []string{"--username", "x1y2", "--password", "Secret123", "--role", "boss"}, "角色"},
		{"weak password", []string{"--username", "x1y2", "--password", "short", "--role", "admin"}, "密码"},
		{"reviewer without department", []string{"--username", "x1y2", "--password", "Secret123", "--role", "reviewer"}, "部门"},
		{"unknown department", []string{"--username", "x1y2", "--password", "Secret123", "--role", "reviewer", "--department", "NOPE"}, "未知的部门"},
		{"supervisor at a desk", []string{"--username", "x1y2", "--password", "Secret123", "--roles", "intake,supervisor", "--hall", "JC-ZWZX"}, "不能与其他岗位兼任"},
		{"two desks without a hall", []string{"--username", "x1y2", "--password", "Secret123", "--roles", "intake,issuance"}, "须指明所在大厅"},
	} {
		_, _, err := run(t, env, append([]string{"user", "add"}, tc.args...)...)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("user add %s: got %v, want an error containing %q", tc.name, err, tc.want)
		}
	}

	// calendar show prints the 2026 grid with its holidays.
	out, _, err = run(t, env, "calendar", "show", "--year", "2026")
	if err != nil || !strings.Contains(out, "2026 年工作日历：248 个工作日") || !strings.Contains(out, "2/14 春节调休上班") {
		t.Fatalf("calendar show: %v\n%s", err, out)
	}

	// calendar import: all or nothing.
	good := filepath.Join(dir, "days.json")
	os.WriteFile(good, []byte(`[{"date":"2026-12-01","working":false,"name":"设备检修"}]`), 0o600)
	if _, _, err := run(t, env, "calendar", "import", good); err != nil {
		t.Fatalf("calendar import: %v", err)
	}
	bad := filepath.Join(dir, "bad-days.json")
	os.WriteFile(bad, []byte(`[{"date":"2026-12-02","working":false,"name":"检修"},{"date":"2026-12-03","working":false,"name":""}]`), 0o600)
	if _, _, err := run(t, env, "calendar", "import", bad); err == nil {
		t.Fatal("calendar import with a nameless day succeeded")
	}
	out, _, _ = run(t, env, "calendar", "show", "--year", "2026")
	if !strings.Contains(out, "12/1 设备检修") || strings.Contains(out, "12/2 检修") {
		t.Errorf("calendar after imports: want 12/1 closed and 12/2 untouched:\n%s", out)
	}
}

func TestCatalogRoundTrip(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"ONEWINDOW_DB": filepath.Join(dir, "ow.db")}
	// Load the demo district through serve, then stop.
	_, _, stop := startServe(t, env, "--demo")
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "catalog.json")
	if _, _, err := run(t, env, "catalog", "export", file); err != nil {
		t.Fatalf("export: %v", err)
	}
	raw, _ := os.ReadFile(file)
	var cat struct {
		Items []map[string]any `json:"items"`
	}
	if err := json.Unmarshal(raw, &cat); err != nil || len(cat.Items) < 15 {
		t.Fatalf("export: %v, %d items", err, len(cat.Items))
	}

	out, _, err := run(t, env, "catalog", "import", file)
	if err != nil || !strings.Contains(out, "added 0, updated 0, unchanged "+itoa(len(cat.Items))) {
		t.Fatalf("re-import of the export: %v %q", err, out)
	}

	// Change one item's name and break another: the whole file is refused.
	cat.Items[0]["name"] = "改名后的事项"
	cat.Items[1]["promised_days"] = 999
	broken, _ := json.Marshal(cat)
	os.WriteFile(file, broken, 0o600)
	if _, _, err := run(t, env, "catalog", "import", file); err == nil || !strings.Contains(err.Error(), "promised_days") {
		t.Fatalf("import of a broken file: %v", err)
	}
	out, _, _ = run(t, env, "catalog", "export")
	if strings.Contains(out, "改名后的事项") {
		t.Fatal("a refused import changed an item")
	}

	// Without the broken item the rename makes a second version.
	cat.Items = cat.Items[:1]
	fixed, _ := json.Marshal(cat)
	os.WriteFile(file, fixed, 0o600)
	out, _, err = run(t, env, "catalog", "import", file)
	if err != nil || !strings.Contains(out, "updated 1") {
		t.Fatalf("import of one change: %v %q", err, out)
	}
	out, _, _ = run(t, env, "catalog", "export")
	if !strings.Contains(out, "改名后的事项") || !strings.Contains(out, `"version": 2`) {
		t.Fatal("renamed item not exported as version 2")
	}
}

func TestHelpAndUsage(t *testing.T) {
	for _, args := range [][]string{{"serve", "--help"}, {"migrate", "-h"}, {"user", "add", "--help"}, {"catalog", "import", "--help"}, {"calendar", "show", "--help"}} {
		_, stderr, err := run(t, map[string]string{}, args...)
		if err != nil {
			t.Errorf("%v: %v", args, err)
		}
		if !strings.Contains(stderr, "Usage: onewindow") {
			t.Errorf("%v printed no usage: %q", args, stderr)
		}
	}
	_, stderr, _ := run(t, map[string]string{}, "serve", "--help")
	for _, env := range []string{"ONEWINDOW_DB", "ONEWINDOW_ADDR", "ONEWINDOW_NOW", "ONEWINDOW_DEMO"} {
		if !strings.Contains(stderr, env) {
			t.Errorf("serve --help does not name %s", env)
		}
	}
	if _, _, err := run(t, map[string]string{}, "frobnicate"); err != errUsage {
		t.Errorf("unknown command: %v", err)
	}
	if _, _, err := run(t, map[string]string{"ONEWINDOW_DB": filepath.Join(t.TempDir(), "x.db")}, "serve", "--now", "yesterday"); err == nil {
		t.Error("serve accepted --now yesterday")
	}
	for _, args := range [][]string{{"--upload-grace", "10m"}, {"--max-drafts", "0"}, {"--max-draft-files", "0"}} {
		dir := t.TempDir()
		env := map[string]string{"ONEWINDOW_DB": filepath.Join(dir, "x.db"), "ONEWINDOW_FILES": filepath.Join(dir, "files")}
		if _, _, err := run(t, env, append([]string{"serve"}, args...)...); err == nil || !strings.Contains(err.Error(), strings.TrimPrefix(args[0], "--")[:3]) {
			t.Errorf("serve %v: %v, want a refusal", args, err)
		}
	}
	_, stderr, _ = run(t, map[string]string{}, "serve", "--help")
	for _, env := range []string{"ONEWINDOW_MAX_DRAFTS", "ONEWINDOW_MAX_DRAFT_FILES", "ONEWINDOW_UPLOAD_GRACE"} {
		if !strings.Contains(stderr, env) {
			t.Errorf("serve --help does not name %s", env)
		}
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// requiredMaterials lists an item's required materials as provided.
func requiredMaterials(t *testing.T, base, code string) []map[string]string {
	t.Helper()
	_, item := get(t, base+"/api/v1/items/"+code, "")
	var out []map[string]string
	for _, m := range item["materials"].([]any) {
		if m := m.(map[string]any); m["required"] == true {
			out = append(out, map[string]string{"code": m["code"].(string), "status": "provided"})
		}
	}
	return out
}
