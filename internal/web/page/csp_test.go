package page

import (
	"io/fs"
	"os"
	"path"
	"regexp"
	"strings"
	"testing"
)

// TestTemplatesNeedNoInlineCode: the pages' Content-Security-Policy allows
// scripts and styles from /static/ only, so no template may carry an
// inline script, an inline style, a style attribute, an event handler
// attribute or a javascript: link: the browser would refuse it. Each
// {{static "…"}} must name a file that exists.
func TestTemplatesNeedNoInlineCode(t *testing.T) {
	blocked := regexp.MustCompile(`(?i)<script\b[^>]*>\s*[^<\s]|<style\b|\sstyle\s*=|\son[a-z]+\s*=|javascript:`)
	static := regexp.MustCompile(`\{\{\s*static\s+"([^"]+)"\s*\}\}`)
	files := map[string]bool{}
	fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files[path.Base(p)] = true
		}
		return err
	})
	// Every page package's templates: the kit's and those beside hall,
	// desk, online and admin.
	web := os.DirFS("..")
	n := 0
	err := fs.WalkDir(web, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") || !strings.Contains(p, "templates/") {
			return err
		}
		n++
		b, err := fs.ReadFile(web, p)
		if err != nil {
			return err
		}
		for i, line := range strings.Split(string(b), "\n") {
			if m := blocked.FindString(line); m != "" {
				t.Errorf("%s:%d carries %q, which the Content-Security-Policy blocks: move it to a file under static/", p, i+1, m)
			}
			for _, m := range static.FindAllStringSubmatch(line, -1) {
				if !files[m[1]] {
					t.Errorf("%s:%d names static file %q, which does not exist", p, i+1, m[1])
				}
			}
		}
		return nil
	})
	if err != nil || n < 50 {
		t.Fatalf("read %d templates: %v", n, err)
	}
}
