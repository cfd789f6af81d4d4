package main

import (
	"net"
	"net/http"
	"path/filepath"
	"testing"
)

// TestServeProfiles: --pprof-addr answers Go's profiling endpoints on its
// own listener, and the hall's address never does.
func TestServeProfiles(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	paddr := ln.Addr().String()
	ln.Close()
	env := map[string]string{"ONEWINDOW_DB": filepath.Join(t.TempDir(), "data", "onewindow.db")}
	addr, _, stop := startServe(t, env, "--demo", "--pprof-addr", paddr)
	defer stop()
	resp, err := http.Get("http://" + paddr + "/debug/pprof/cmdline")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("pprof listener: %s", resp.Status)
	}
	resp, err = http.Get("http://" + addr + "/debug/pprof/cmdline")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode == http.StatusOK {
		t.Errorf("the hall's address answers /debug/pprof/")
	}
}
