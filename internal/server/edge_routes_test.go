package server_test

import (
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// badIdentifiers are the ways an identifier in a path has been dressed up
// to slip past a lookup: surrounding and inner whitespace, a control
// character, an invisible one.
var badIdentifiers = []string{" AB", "AB\t", "A B", "AB\u3000", "AB\x00", "A\u200bB", "AB\u202e"}

// wildcard matches a route's {name} or {name...}.
var wildcard = regexp.MustCompile(`\{([a-z_]+)(\.\.\.)?\}`)

// fill puts value in the wildcard named target of path and a plain
// identifier in every other one.
func fill(path, target, value string) string {
	return wildcard.ReplaceAllStringFunc(path, func(w string) string {
		name := wildcard.FindStringSubmatch(w)[1]
		if name == target {
			return url.PathEscape(value)
		}
		if name == "year" || name == "id" || name == "index" || name == "version" {
			return "1"
		}
		return "AB"
	})
}

// Every path parameter of every operation in the OpenAPI document refuses
// an identifier with whitespace, a control or an invisible character with
// 422 naming the parameter, before any handler or sign-in judges it.
func TestEveryAPIPathParameterIsAnIdentifier(t *testing.T) {
	eachDatabase(t, func(t *testing.T, f *fixture) {
		r := f.do(t, scenario{method: "GET", path: "/api/v1/openapi.json"}, "openapi")
		doc := decode[struct {
			Paths map[string]map[string]struct {
				Parameters []struct{ Name, In string }
			}
		}](t, r)
		checked := 0
		for _, path := range slices.Sorted(mapKeys(doc.Paths)) {
			for method, op := range doc.Paths[path] {
				for _, p := range op.Parameters {
					if p.In != "path" {
						continue
					}
					for _, bad := range badIdentifiers {
						target := "/api/v1" + fill(path, p.Name, bad)
						got := f.do(t, scenario{method: strings.ToUpper(method), path: target, body: "{}"}, "edge")
						if got.status != 422 {
							t.Errorf("%s %s (%q in %s): %d, want 422\n%s", strings.ToUpper(method), path, bad, p.Name, got.status, got.body)
							continue
						}
						wantProblem("invalid", "", "path."+p.Name)(t, got)
						checked++
					}
				}
			}
		}
		if checked < 20*len(badIdentifiers) {
			t.Errorf("only %d path parameters checked: is the document served?", checked/len(badIdentifiers))
		}
	})
}

func mapKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// pageRoute matches a page route as the web package registers it.
var pageRoute = regexp.MustCompile(`mux\.HandleFunc\("([A-Z]+) (/[^"]*)"`)

// pageRoutes reads the page routes with a wildcard from the web package's
// source, so that a route added tomorrow is checked too.
func pageRoutes(t *testing.T) [][2]string {
	t.Helper()
	files, err := filepath.Glob("../web/*/*.go")
	if err != nil {
		t.Fatal(err)
	}
	var routes [][2]string
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range pageRoute.FindAllStringSubmatch(string(src), -1) {
			if wildcard.MatchString(m[2]) {
				routes = append(routes, [2]string{m[1], m[2]})
			}
		}
	}
	if len(routes) < 40 {
		t.Fatalf("only %d page routes with a wildcard found", len(routes))
	}
	return routes
}

// Every page route with a code, a number or an id in its path refuses one
// with whitespace, a control or an invisible character: 422 and a page
// saying what is wrong, before any handler judges it.
func TestEveryPagePathValueIsAnIdentifier(t *testing.T) {
	eachDatabase(t, func(t *testing.T, f *fixture) {
		admin := f.user(t, "admin")
		f.run(t, []scenario{{name: "sign in", method: "POST", path: "/login", browser: "admin",
			body: url.Values{"username": {admin.Username}, "password": {admin.Password}}, want: 303}})
		for _, route := range pageRoutes(t) {
			method, path := route[0], route[1]
			for _, m := range wildcard.FindAllStringSubmatch(path, -1) {
				for _, bad := range badIdentifiers {
					target := fill(path, m[1], bad)
					got := f.do(t, scenario{method: method, path: target, browser: "admin", body: url.Values{"x": {"1"}}}, "edge")
					if got.status != 422 || !strings.HasPrefix(got.header.Get("Content-Type"), "text/html") ||
						!strings.Contains(string(got.body), "网址中的编号或编码") {
						t.Errorf("%s %s (%q in %s): %d %s, want a 422 page naming the address", method, path, bad, m[1], got.status, got.header.Get("Content-Type"))
					}
				}
			}
		}
	})
}
