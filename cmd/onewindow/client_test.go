package main

import (
	"database/sql"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestClientCommands: client add prints the key once, list shows the
// client without it, rotate prints a new key, revoke ends it, and bad
// input changes nothing.
func TestClientCommands(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ow.db")
	env := map[string]string{"ONEWINDOW_DB": path}
	if _, _, err := run(t, env, "migrate"); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	_, err = db.Exec(`INSERT INTO departments (code, name, credit_code, created_at) VALUES ('SCJG', '江川区市场监督管理局', '11320120MB1C40001Q', '2026-01-01T00:00:00.000000Z')`)
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	key := regexp.MustCompile(`key: (owc_[a-z2-7]{52})`)

	out, _, err := run(t, env, "client", "add", "--name", "食品许可审批系统", "--department", "SCJG", "--scopes", "cases:read,cases:act,events:read")
	if err != nil || !key.MatchString(out) || !strings.Contains(out, "client 1 食品许可审批系统 (SCJG) scopes cases:read,cases:act,events:read") {
		t.Fatalf("client add: %v\n%s", err, out)
	}
	first := key.FindStringSubmatch(out)[1]
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--name", "x", "--department", "SCJG", "--scopes", "cases:write"}, "未知的权限范围"},
		{[]string{"--name", "y", "--department", "NOPE", "--scopes", "cases:read"}, "部门不存在"},
		{[]string{"--name", "食品许可审批系统", "--department", "SCJG", "--scopes", "cases:read"}, "同名"},
	} {
		if _, _, err := run(t, env, append([]string{"client", "add"}, tc.args...)...); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("client add %v: %v, want %q", tc.args, err, tc.want)
		}
	}
	out, _, err = run(t, env, "client", "list")
	if err != nil || !strings.Contains(out, "食品许可审批系统") || !strings.Contains(out, "1 valid") || strings.Contains(out, first) || strings.Count(out, "\n") != 2 {
		t.Fatalf("client list: %v\n%s", err, out)
	}
	out, _, err = run(t, env, "client", "rotate", "--id", "1", "--overlap", "1h")
	if err != nil || !key.MatchString(out) || key.FindStringSubmatch(out)[1] == first || !strings.Contains(out, "stay valid until") {
		t.Fatalf("client rotate: %v\n%s", err, out)
	}
	if out, _, _ = run(t, env, "client", "list"); !strings.Contains(out, "2 valid") {
		t.Errorf("after rotation:\n%s", out)
	}
	if _, _, err := run(t, env, "client", "rotate", "--id", "1", "--overlap", "1000h"); err == nil || !strings.Contains(err.Error(), "30 天") {
		t.Errorf("too long an overlap: %v", err)
	}
	if _, _, err := run(t, env, "client", "revoke", "--id", "1"); err != nil {
		t.Fatal(err)
	}
	if out, _, _ = run(t, env, "client", "list"); !strings.Contains(out, "revoked") || !strings.Contains(out, "0 valid") {
		t.Errorf("after revocation:\n%s", out)
	}
	if _, _, err := run(t, env, "client", "revoke", "--id", "1"); err == nil {
		t.Error("revoked twice")
	}
}
