package page

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestEveryPostFormCarriesAToken: every page form that posts (and so
// creates or changes something) carries a one-time token, in every page
// package's templates; only signing in and out go without, and the public
// verification page's copy check, which changes nothing and must answer
// every copy anew (a replayed answer could call another file 一致).
func TestEveryPostFormCarriesAToken(t *testing.T) {
	form := regexp.MustCompile(`(?s)<form\b[^>]*method="post"[^>]*>`)
	exempt := regexp.MustCompile(`action="/((my/)?(login|logout)|verify/[^"]*)"`)
	seen := 0
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".html") || !strings.Contains(path, "templates") {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		s := string(b)
		for _, loc := range form.FindAllStringIndex(s, -1) {
			tag := s[loc[0]:loc[1]]
			if exempt.MatchString(tag) {
				continue
			}
			seen++
			if !strings.HasPrefix(s[loc[1]:], "{{formToken}}") {
				t.Errorf("%s: %s has no {{formToken}} right after it", path, tag)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if seen < 50 {
		t.Fatalf("found %d forms that post, want every page package's (50 or more)", seen)
	}
}

// TestFormTokenInput: each rendering is a new token of 32 hex digits.
func TestFormTokenInput(t *testing.T) {
	a, b := string(formTokenInput()), string(formTokenInput())
	if a == b || !regexp.MustCompile(`^<input type="hidden" name="form_token" value="[0-9a-f]{32}">$`).MatchString(a) {
		t.Fatalf("form token inputs %q and %q", a, b)
	}
}
