package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver
)

// server is one running onewindow serve process on its own database.
type server struct {
	cmd       *exec.Cmd
	base      string            // http://127.0.0.1:PORT
	pprof     string            // http://127.0.0.1:PORT, when profiling
	passwords map[string]string // demo accounts printed at first start
	dsn       string            // the database the server runs on
	dropDB    func() error      // drops a fresh PostgreSQL database
	exited    chan error
}

// database prepares the run's database: a SQLite file in dir, or a fresh
// PostgreSQL database on the server dsn names.
func database(ctx context.Context, dsn, dir string) (string, func() error, error) {
	if dsn == "" {
		return filepath.Join(dir, "load.db"), func() error { return nil }, nil
	}
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		return "", nil, err
	}
	name := fmt.Sprintf("onewindow_load_%d", time.Now().UnixNano())
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		admin.Close()
		return "", nil, fmt.Errorf("create database: %w", err)
	}
	u, err := url.Parse(dsn)
	if err != nil {
		admin.Close()
		return "", nil, err
	}
	u.Path = "/" + name
	drop := func() error {
		defer admin.Close()
		_, err := admin.ExecContext(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
		return err
	}
	return u.String(), drop, nil
}

// freeAddr returns a loopback address no one listens on now.
func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// accountLine matches the demo's printed staff accounts: "用户名 shouli 密码 XXXX".
var accountLine = regexp.MustCompile(`用户名\s+(\S+)\s+密码\s+(\S+)`)

// start runs bin serve --demo on dsn in dir (where its files and key live)
// and waits until it answers.
func start(ctx context.Context, bin, dsn, dir string, profile bool, logTo io.Writer, extra ...string) (*server, error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	key := make([]byte, 32)
	rand.Read(key)
	args := []string{"serve", "--demo", "--demo-history", "0", "--db", dsn, "--addr", addr,
		"--files", filepath.Join(dir, "files"), "--data-key", base64.StdEncoding.EncodeToString(key),
		// A working Wednesday morning: the deadlines are those of a real day.
		"--now", "2026-11-25T09:00:00+08:00"}
	args = append(args, extra...)
	s := &server{base: "http://" + addr, passwords: map[string]string{}, dsn: dsn, exited: make(chan error, 1)}
	if profile {
		paddr, err := freeAddr()
		if err != nil {
			return nil, err
		}
		args = append(args, "--pprof-addr", paddr)
		s.pprof = "http://" + paddr
	}
	s.cmd = exec.Command(bin, args...)
	s.cmd.Dir = dir
	s.cmd.Stderr = logTo
	out, err := s.cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := s.cmd.Start(); err != nil {
		return nil, err
	}
	ready := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(out)
		once := false
		for sc.Scan() {
			line := sc.Text()
			if m := accountLine.FindStringSubmatch(line); m != nil {
				s.passwords[m[1]] = m[2]
			}
			if strings.Contains(line, "一窗通已启动") && !once {
				once = true
				close(ready)
			}
		}
		io.Copy(io.Discard, out)
	}()
	go func() { s.exited <- s.cmd.Wait() }()
	select {
	case <-ready:
		return s, nil
	case err := <-s.exited:
		return nil, fmt.Errorf("server exited before it was ready: %v", err)
	case <-time.After(2 * time.Minute):
		s.stop()
		return nil, fmt.Errorf("server not ready within 2 minutes")
	case <-ctx.Done():
		s.stop()
		return nil, ctx.Err()
	}
}

// stop ends the server gracefully (SIGTERM), then by force.
func (s *server) stop() {
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.exited:
	case <-time.After(20 * time.Second):
		s.cmd.Process.Kill()
		<-s.exited
	}
}

// procStatus reads a field of /proc/PID/status in kB (VmHWM: peak RSS).
func (s *server) procStatus(field string) float64 {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == field+":" {
			kb, _ := strconv.ParseFloat(f[1], 64)
			return kb
		}
	}
	return 0
}

// peakRSSMB is the server's peak resident set so far, in MB.
func (s *server) peakRSSMB() float64 { return s.procStatus("VmHWM") / 1024 }

// cpu is the server's user+system CPU time so far.
func (s *server) cpu() time.Duration { return procCPU(strconv.Itoa(s.cmd.Process.Pid)) }

// selfCPU is the load generator's own user+system CPU time so far: it
// runs on the same cores as the server.
func selfCPU() time.Duration { return procCPU("self") }

// procCPU is the user+system CPU time so far of process pid (or "self"),
// from /proc.
func procCPU(pid string) time.Duration {
	raw, err := os.ReadFile("/proc/" + pid + "/stat")
	if err != nil {
		return 0
	}
	// Fields after the command name, which is in parentheses and may hold spaces.
	rest := string(raw)
	if i := strings.LastIndexByte(rest, ')'); i >= 0 {
		rest = rest[i+2:]
	}
	f := strings.Fields(rest)
	if len(f) < 13 {
		return 0
	}
	utime, _ := strconv.ParseInt(f[11], 10, 64)
	stime, _ := strconv.ParseInt(f[12], 10, 64)
	const hz = 100 // USER_HZ on Linux
	return time.Duration(utime+stime) * time.Second / hz
}

// saveProfile fetches one profile from the server's pprof listener into file.
func (s *server) saveProfile(ctx context.Context, path, file string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.pprof+path, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: %s", path, resp.Status)
	}
	f, err := os.Create(file)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, resp.Body); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
