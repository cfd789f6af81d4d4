package archtest

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/onewindow/onewindow"

// domain are the packages that hold the rules: no SQL, no HTTP.
var domain = []string{"apiclient", "calendar", "identity", "org", "catalog", "casework", "queue", "rating", "applicant", "bundle", "sealed", "text", "network"}

// foundation may be imported by anyone, the domain included.
var foundation = []string{"apperr", "clock"}

// layer is how far out a package sits: an import may point at its own
// layer or an inner one, never outward.
type layer int

const (
	layerSupport layer = iota // foundation and infrastructure (apperr, clock, blob, outbox, demo …): below the store
	layerDomain
	layerStore
	layerService
	layerEdge // internal/api and internal/web/...
	layerServer
	layerCmd
)

var layerNames = map[layer]string{layerSupport: "support", layerDomain: "domain", layerStore: "store",
	layerService: "service", layerEdge: "api/web", layerServer: "server", layerCmd: "cmd"}

// under reports whether rel is the package dir or one below it.
func under(rel, dir string) bool { return rel == dir || strings.HasPrefix(rel, dir+"/") }

// layerOf places a package of the module, by its path inside the module.
func layerOf(rel string) layer {
	switch {
	case under(rel, "cmd"):
		return layerCmd
	case under(rel, "internal/server"):
		return layerServer
	case under(rel, "internal/api"), under(rel, "internal/web"):
		return layerEdge
	case under(rel, "internal/service"):
		return layerService
	case under(rel, "internal/store"):
		return layerStore
	case isDomain(rel):
		return layerDomain
	}
	return layerSupport
}

// isTestSupport tells a package that only tests import: its name ends in
// "test" (storetest, blobtest, webtest).
func isTestSupport(rel string) bool {
	return strings.HasSuffix(path.Base(rel), "test")
}

func isDomain(rel string) bool {
	return slices.ContainsFunc(domain, func(d string) bool { return under(rel, "internal/"+d) })
}

func isFoundation(rel string) bool {
	return slices.ContainsFunc(foundation, func(d string) bool { return under(rel, "internal/"+d) })
}

// pkg is what go list says of one package: its direct imports and all its
// dependencies, test files left out.
type pkg struct {
	ImportPath string
	Imports    []string
	Deps       []string
}

// violations returns every import of pkgs that breaks a rule, in words.
func violations(pkgs []pkg) []string {
	var out []string
	for _, p := range pkgs {
		rel, ok := strings.CutPrefix(p.ImportPath, module+"/")
		if !ok || under(rel, "e2e") || isTestSupport(rel) {
			continue // e2e and the test fixtures (storetest, webtest …) are for tests only: they may assemble the whole program
		}
		from := layerOf(rel)
		if from == layerDomain {
			for _, d := range p.Deps {
				if under(d, "database/sql") || under(d, "net/http") {
					out = append(out, rel+" (domain) depends on "+d+": domain rules know nothing of SQL or HTTP")
				}
			}
		}
		for _, imp := range p.Imports {
			to, ok := strings.CutPrefix(imp, module+"/")
			if !ok {
				continue
			}
			target := layerOf(to)
			switch {
			case isTestSupport(to):
				out = append(out, rel+" imports "+to+": test fixtures are for tests only")
			case from == layerServer && target == layerStore:
				out = append(out, rel+" imports "+to+": the server reaches the database through the services only (health, readiness, sessions' store handed in)")
			case from == layerEdge && target == layerStore:
				out = append(out, rel+" imports "+to+": pages and the API reach the database through the services only")
			case from == layerDomain && target == layerSupport && !isFoundation(to):
				out = append(out, rel+" (domain) imports "+to+": domain packages import only each other and apperr, clock")
			case target > from && !(from == layerSupport && target == layerDomain):
				out = append(out, rel+" ("+layerNames[from]+") imports "+to+" ("+layerNames[target]+"): an import points upward")
			}
		}
	}
	return out
}

// TestDependencyRules runs the rules over the module as it stands.
func TestDependencyRules(t *testing.T) {
	pkgs := list(t)
	if len(pkgs) < 20 {
		t.Fatalf("go list found %d packages of the module; want the whole module", len(pkgs))
	}
	for _, v := range violations(pkgs) {
		t.Error(v)
	}
}

// TestRulesCatch: each rule reports the import that breaks it, and the
// imports the layering allows pass.
func TestRulesCatch(t *testing.T) {
	m := func(rel string) string { return module + "/" + rel }
	bad := []struct {
		p    pkg
		want string
	}{
		{pkg{ImportPath: m("internal/api"), Imports: []string{m("internal/store")}}, "internal/api imports internal/store"},
		{pkg{ImportPath: m("internal/web/admin"), Imports: []string{m("internal/store/storetest")}}, "internal/web/admin imports internal/store/storetest"},
		{pkg{ImportPath: m("internal/server"), Imports: []string{m("internal/store")}}, "internal/server imports internal/store: the server reaches"},
		{pkg{ImportPath: m("internal/service"), Imports: []string{m("internal/blob/blobtest")}}, "internal/service imports internal/blob/blobtest: test fixtures are for tests only"},
		{pkg{ImportPath: m("internal/casework"), Imports: []string{"database/sql"}, Deps: []string{"database/sql"}}, "depends on database/sql"},
		{pkg{ImportPath: m("internal/calendar"), Deps: []string{"net/http", "net/url"}}, "depends on net/http"},
		{pkg{ImportPath: m("internal/text"), Deps: []string{"net/http/httptest"}}, "depends on net/http/httptest"},
		{pkg{ImportPath: m("internal/queue"), Imports: []string{m("internal/service")}}, "(domain) imports internal/service (service): an import points upward"},
		{pkg{ImportPath: m("internal/rating"), Imports: []string{m("internal/store")}}, "(domain) imports internal/store (store)"},
		{pkg{ImportPath: m("internal/org"), Imports: []string{m("internal/blob")}}, "domain packages import only each other"},
		{pkg{ImportPath: m("internal/store"), Imports: []string{m("internal/service")}}, "internal/store (store) imports internal/service"},
		{pkg{ImportPath: m("internal/service"), Imports: []string{m("internal/web/page")}}, "internal/service (service) imports internal/web/page (api/web)"},
		{pkg{ImportPath: m("internal/service"), Imports: []string{m("internal/api")}}, "points upward"},
		{pkg{ImportPath: m("internal/web"), Imports: []string{m("internal/server")}}, "internal/web (api/web) imports internal/server (server)"},
		{pkg{ImportPath: m("internal/outbox"), Imports: []string{m("internal/store")}}, "internal/outbox (support) imports internal/store"},
		{pkg{ImportPath: m("internal/server"), Imports: []string{m("cmd/onewindow")}}, "points upward"},
	}
	for _, tc := range bad {
		got := violations([]pkg{tc.p})
		if len(got) != 1 || !strings.Contains(got[0], tc.want) {
			t.Errorf("%s importing %v %v: %q; want one violation saying %q", tc.p.ImportPath, tc.p.Imports, tc.p.Deps, got, tc.want)
		}
	}
	good := []pkg{
		{ImportPath: m("internal/casework"), Imports: []string{m("internal/calendar"), m("internal/catalog"), m("internal/apperr"), m("internal/clock"), "time"}},
		{ImportPath: m("internal/store"), Imports: []string{m("internal/casework"), m("internal/sealed"), "database/sql"}, Deps: []string{"database/sql"}},
		{ImportPath: m("internal/service"), Imports: []string{m("internal/store"), m("internal/casework"), m("internal/outbox")}},
		{ImportPath: m("internal/web/desk"), Imports: []string{m("internal/service"), m("internal/web/page"), m("internal/casework"), "net/http"}},
		{ImportPath: m("internal/api"), Imports: []string{m("internal/service"), m("internal/problem"), "net/http"}},
		{ImportPath: m("internal/server"), Imports: []string{m("internal/api"), m("internal/web/page"), m("internal/service")}},
		{ImportPath: m("internal/demo"), Imports: []string{m("internal/catalog"), m("internal/org")}},
		{ImportPath: m("cmd/onewindow"), Imports: []string{m("internal/server"), m("internal/store")}},
		{ImportPath: m("e2e"), Imports: []string{m("internal/store")}},
		{ImportPath: "example.com/other", Imports: []string{m("internal/store")}},
	}
	if got := violations(good); len(got) > 0 {
		t.Errorf("imports the layering allows are reported: %q", got)
	}
}

// list runs go list over the module and returns its packages.
func list(t *testing.T) []pkg {
	t.Helper()
	gomod, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		t.Fatalf("go env GOMOD: %v", err)
	}
	root := filepath.Dir(strings.TrimSpace(string(gomod)))
	cmd := exec.Command("go", "list", "-e", "-json=ImportPath,Imports,Deps,Error", "./...")
	cmd.Dir = root
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.String())
	}
	var pkgs []pkg
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p struct {
			pkg
			Error *struct{ Err string }
		}
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatalf("go list output: %v", err)
		}
		if p.Error != nil {
			t.Fatalf("go list: %s: %s", p.ImportPath, p.Error.Err)
		}
		pkgs = append(pkgs, p.pkg)
	}
	return pkgs
}
