package blob

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/onewindow/onewindow/internal/apperr"
)

func TestDir(t *testing.T) {
	root := filepath.Join(t.TempDir(), "data", "files")
	d, err := NewDir(root)
	if err != nil {
		t.Fatal(err)
	}
	if d.Root() != root {
		t.Errorf("Root() = %q, want %q", d.Root(), root)
	}
	testStore(t, d)
	testList(t, d)
	testReceive(t, d, filepath.Join(root, ".tmp"))

	key := "2026/11/28/" + sum64
	if err := d.Put(t.Context(), key, bytes.NewReader(pngBytes), int64(len(pngBytes)), PNG); err != nil {
		t.Fatal(err)
	}
	name := filepath.Join(root, "2026", "11", "28", sum64)
	t.Run("the key is the path", func(t *testing.T) {
		got, err := os.ReadFile(name)
		if err != nil || !bytes.Equal(got, pngBytes) {
			t.Errorf("read %s: %q, %v", name, got, err)
		}
	})
	t.Run("permissions", func(t *testing.T) {
		if runtime.GOOS == "windows" {
			t.Skip("no Unix permissions")
		}
		if mode := stat(t, name).Mode(); mode != 0o640 {
			t.Errorf("%s: mode %v, want %v", name, mode, fs.FileMode(0o640))
		}
		// Folders get 0o750 less the umask, which may be stricter.
		for _, dir := range []string{root, filepath.Join(root, "2026"), filepath.Dir(name)} {
			if perm := stat(t, dir).Mode().Perm(); perm&^0o750 != 0 || perm&0o700 != 0o700 {
				t.Errorf("%s: mode %v, want 0o750 or stricter", dir, perm)
			}
		}
	})
	t.Run("no temporary files are left", func(t *testing.T) {
		err := filepath.WalkDir(root, func(p string, e fs.DirEntry, err error) error {
			if err == nil && !e.IsDir() && strings.HasPrefix(e.Name(), ".") || strings.Contains(p, "/.tmp/") {
				t.Errorf("left behind: %s", p)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	})
	t.Run("a received file is moved into place, not copied", func(t *testing.T) {
		u, err := Receive(t.Context(), d, "x.png", bytes.NewReader(pngBytes), DefaultLimits())
		if err != nil {
			t.Fatal(err)
		}
		defer u.Close()
		waiting := u.tmp.Name()
		before := stat(t, waiting)
		k := "2026/11/29/" + u.SHA256
		if err := u.Keep(t.Context(), k); err != nil {
			t.Fatal(err)
		}
		kept := stat(t, filepath.Join(root, filepath.FromSlash(k)))
		if !os.SameFile(before, kept) {
			t.Error("the kept file is a copy of the one received")
		}
		if runtime.GOOS != "windows" && kept.Mode() != fileMode {
			t.Errorf("kept with mode %v, want %v", kept.Mode(), fileMode)
		}
		if _, err := os.Stat(waiting); !os.IsNotExist(err) {
			t.Errorf("the received file is still waiting: %v", err)
		}
	})
	t.Run("temporary files are not listed", func(t *testing.T) {
		u, err := Receive(t.Context(), d, "y.png", bytes.NewReader(pngBytes), DefaultLimits())
		if err != nil {
			t.Fatal(err)
		}
		defer u.Close()
		err = d.List(t.Context(), "", func(o Object) error {
			if strings.Contains(o.Key, ".") {
				t.Errorf("listed %q", o.Key)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
	t.Run("a cancelled put keeps nothing", func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		k := "2026/11/28/cancelled"
		if err := d.Put(ctx, k, bytes.NewReader(pngBytes), int64(len(pngBytes)), PNG); err == nil {
			t.Error("Put with a cancelled context succeeded")
		}
		if _, err := d.Get(t.Context(), k); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("Get: %v, want not found", err)
		}
	})
}

func stat(t *testing.T, name string) fs.FileInfo {
	t.Helper()
	info, err := os.Stat(name)
	if err != nil {
		t.Fatal(err)
	}
	return info
}

func TestNewDirRefuses(t *testing.T) {
	file := filepath.Join(t.TempDir(), "a-file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, root := range []string{"", file, filepath.Join(file, "below")} {
		if _, err := NewDir(root); err == nil {
			t.Errorf("NewDir(%q) succeeded", root)
		}
	}
}

func TestExactReader(t *testing.T) {
	tests := []struct {
		body string
		size int64
		ok   bool
	}{
		{"hello", 5, true},
		{"", 0, true},
		{"hello", 4, false},
		{"hello", 6, false},
		{"", 1, false},
		{"x", 0, false},
	}
	for _, tt := range tests {
		var out bytes.Buffer
		_, err := out.ReadFrom(newExactReader(strings.NewReader(tt.body), tt.size))
		if ok := err == nil; ok != tt.ok {
			t.Errorf("%q as %d bytes: err %v, want ok %v", tt.body, tt.size, err, tt.ok)
		}
		if tt.ok && out.String() != tt.body {
			t.Errorf("%q as %d bytes: read %q", tt.body, tt.size, out.String())
		}
	}
}
