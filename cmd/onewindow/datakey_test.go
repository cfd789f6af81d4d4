package main

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/sealed"
	"github.com/onewindow/onewindow/internal/store"
)

// keyIDLine is the status of the demo's two applicant accounts (the restaurant, and
// 王秀兰 whom the community agent carries), all under one key.
var keyIDLine = regexp.MustCompile(`(?m)^accounts\.data\s+(\S+)=2$`)

// refusedServe runs serve, which must refuse to start: a serve that starts
// instead is stopped after a while and reported.
func refusedServe(t *testing.T, env map[string]string, args ...string) error {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	m := &Main{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: io.Discard, Env: env}
	defer m.Close()
	err := m.Run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...))
	if ctx.Err() != nil {
		t.Errorf("serve %v started instead of refusing", args)
	}
	return err
}

// TestDataKeys: serve refuses to run without a data key; --demo on a fresh
// database generates one into a 0600 file beside it and says so once; a
// database with encrypted data refuses a missing or wrong key; a rotation
// by command reseals everything under a new key, after which the old key
// can go, and the record still verifies without any key.
func TestDataKeys(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "data", "hall.db")
	file := filepath.Join(dir, "data", "hall.key")
	env := map[string]string{"ONEWINDOW_DB": db}

	// Production without a key: refused, before anything is written.
	err := refusedServe(t, env)
	if !errors.Is(err, errNoDataKey) {
		t.Fatalf("serve without a key: %v", err)
	}

	// The demo generates its key, once.
	_, stdout, stop := startServe(t, env, "--demo")
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(stdout.String(), "已为演示生成数据密钥"); n != 1 {
		t.Errorf("the demo announced its key %d times:\n%s", n, stdout)
	}
	info, err := os.Stat(file)
	if err != nil {
		t.Fatalf("key file: %v", err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %v, want 0600", info.Mode().Perm())
	}
	raw, _ := os.ReadFile(file)
	demoKey, err := sealed.ParseKey(string(raw))
	if err != nil {
		t.Fatalf("key file holds no key: %v", err)
	}
	_, stdout, stop = startServe(t, env, "--demo")
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(stdout.String(), "数据密钥") {
		t.Errorf("the key announced again on restart:\n%s", stdout)
	}
	out, _, err := run(t, env, "datakey", "status")
	if err != nil || !strings.Contains(out, "accounts.data") || keyIDLine.FindStringSubmatch(out)[1] != demoKey.ID() {
		t.Fatalf("status: %v\n%s", err, out)
	}

	// The key file moved away: encrypted data, no key: refused, demo or not.
	if err := os.Rename(file, file+".away"); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"serve"}, {"serve", "--demo"}} {
		err := refusedServe(t, env, args[1:]...)
		if !errors.Is(err, store.ErrSealedWithoutKey) || !strings.Contains(err.Error(), demoKey.ID()) {
			t.Errorf("%v without its key: %v", args, err)
		}
	}
	if _, err := os.Stat(file); err == nil {
		t.Error("a demo on an encrypted database generated a new key")
	}
	wrong := sealed.GenerateKey()
	if err := refusedServe(t, env, "--data-key", wrong); err == nil || !strings.Contains(err.Error(), demoKey.ID()) {
		t.Errorf("serve with a wrong key: %v", err)
	}
	oldKey := strings.TrimSpace(string(raw))

	// Rotation: the new key, the old one beside it.
	out, _, err = run(t, env, "datakey", "generate")
	if err != nil {
		t.Fatal(err)
	}
	newKey := strings.TrimSpace(out)
	nk, err := sealed.ParseKey(newKey)
	if err != nil {
		t.Fatalf("generate printed %q: %v", out, err)
	}
	if _, _, err := run(t, env, "datakey", "rotate", "--data-key", newKey); err == nil || !strings.Contains(err.Error(), demoKey.ID()) {
		t.Errorf("rotate without the old key: %v", err)
	}
	out, _, err = run(t, env, "datakey", "rotate", "--data-key", newKey, "--data-key-old", oldKey)
	if err != nil || !strings.Contains(out, "anew under key "+nk.ID()) || strings.Contains(out, demoKey.ID()+"=") {
		t.Fatalf("rotate: %v\n%s", err, out)
	}
	// The new key alone serves; the old one is refused now.
	envNew := map[string]string{"ONEWINDOW_DB": db, "ONEWINDOW_DATA_KEY": newKey}
	_, _, stop = startServe(t, envNew)
	if err := stop(); err != nil {
		t.Fatalf("serve with the new key alone: %v", err)
	}
	if err := refusedServe(t, env, "--data-key", oldKey); err == nil {
		t.Error("serve with the old key after the rotation")
	}
	if out, _, err := run(t, env, "audit", "verify"); err != nil || !strings.Contains(out, "0 broken link(s)") {
		t.Errorf("audit verify without a key after the rotation: %v %q", err, out)
	}
}

// TestKeyFileWhere: the key file sits beside a SQLite database and is read
// for it; on PostgreSQL the demo's key file in ./data is read with --demo
// only, never for a production node.
func TestKeyFileWhere(t *testing.T) {
	if got := keyFile(filepath.Join("srv", "hall.db")); got != filepath.Join("srv", "hall.key") {
		t.Errorf("key file of srv/hall.db: %s", got)
	}
	dir := t.TempDir()
	t.Chdir(dir)
	if err := writeKeyFile(filepath.Join("data", "onewindow.key")); err != nil {
		t.Fatal(err)
	}
	if err := writeKeyFile(filepath.Join("data", "onewindow.key")); err == nil {
		t.Error("an existing key file was overwritten")
	}
	pg := "postgres://postgres@127.0.0.1:5432/hall"
	if ring, _, err := dataKeys(Config{DB: pg}); ring != nil || err != nil {
		t.Errorf("a production PostgreSQL node read the demo's key file: %v %v", ring, err)
	}
	if ring, src, err := dataKeys(Config{DB: pg, Demo: true}); ring == nil || err != nil || src != filepath.Join("data", "onewindow.key") {
		t.Errorf("the PostgreSQL demo did not read its key file: %v %q %v", ring, src, err)
	}
	if ring, _, err := dataKeys(Config{DB: filepath.Join("data", "onewindow.db")}); ring == nil || err != nil {
		t.Errorf("the key file beside the SQLite file was not read: %v", err)
	}
	if _, _, err := dataKeys(Config{DB: pg, DataKeyOld: sealed.GenerateKey()}); err == nil {
		t.Error("--data-key-old without --data-key was accepted")
	}
}
