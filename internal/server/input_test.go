package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/problem"
)

// screened is a server edge in front of one route, recording what the
// handler behind it read.
type screened struct {
	handler http.Handler
	got     []byte // the body the handler read
	readErr error  // how reading it ended
	reached bool
	page    error // what the page refusal was given
}

func newScreened(t *testing.T, pattern string) *screened {
	t.Helper()
	sc := &screened{}
	mux := http.NewServeMux()
	mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		sc.reached = true
		sc.got, sc.readErr = io.ReadAll(r.Body)
		w.WriteHeader(http.StatusNoContent)
	})
	s := &Server{log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	sc.handler = s.screenInput(mux, mux, func(w http.ResponseWriter, r *http.Request, err error) {
		sc.page = err
		w.WriteHeader(problem.Status(apperr.CodeOf(err)))
	})
	return sc
}

func (sc *screened) send(method, target, contentType string, body []byte) *httptest.ResponseRecorder {
	*sc = screened{handler: sc.handler}
	r := httptest.NewRequest(method, target, bytes.NewReader(body))
	if contentType != "" {
		r.Header.Set("Content-Type", contentType)
	}
	w := httptest.NewRecorder()
	sc.handler.ServeHTTP(w, r)
	return w
}

// fields returns the fields a refusal named, from the problem or the page.
func (sc *screened) fields(t *testing.T, w *httptest.ResponseRecorder) []string {
	t.Helper()
	var out []string
	if sc.page != nil {
		for _, f := range apperr.FieldsOf(sc.page) {
			out = append(out, f.Field)
		}
		return out
	}
	var p problem.Problem
	if err := json.Unmarshal(w.Body.Bytes(), &p); err != nil {
		t.Fatalf("problem %s: %v", w.Body, err)
	}
	for _, f := range p.Errors {
		out = append(out, f.Field)
	}
	return out
}

func TestScreenJSON(t *testing.T) {
	sc := newScreened(t, "POST /api/v1/cases/{number}/{action}")
	for _, tc := range []struct {
		name   string
		body   string
		fields []string // nil: passes
	}{
		{"clean", `{"reason":"第一行\n第二行\t缩进","materials":["M01"],"n":1.5,"ok":true,"x":null}`, nil},
		{"multi-line per material", `{"correction_reasons":{"M03":"平面图\n与现场不符"}}`, nil},
		{"newline in a one-line field", `{"signer":"张三\n李四"}`, []string{"signer"}},
		{"NUL escaped", `{"applicant":{"name":"张\u0000三"}}`, []string{"applicant.name"}},
		{"NUL in a multi-line field", `{"reason":"a\u0000"}`, []string{"reason"}},
		{"array element", `{"materials":[{"code":"M01"},{"code":"M0\u001b2"}]}`, []string{"materials[1].code"}},
		{"nested arrays", `{"a":[[1,"x"],["y","\u202e"]]}`, []string{"a[1][1]"}},
		{"raw invalid UTF-8", "{\"applicant\":{\"name\":\"\xff\"}}", []string{"applicant.name"}},
		{"lone surrogate escape", `{"name":"\ud800"}`, []string{"name"}},
		{"a written U+FFFD passes", `{"name":"\ufffd","other":"` + "\uFFFD" + `"}`, nil},
		{"bad key", `{"applicant":{"na\u0000me":"张三"}}`, []string{"applicant"}},
		{"bad key at the root", `{"\u202e":1}`, []string{"body"}},
		{"several", `{"a":"\u0000","b":"ok","c":"\u2066"}`, []string{"a", "c"}},
		{"a top-level string", `"\u0000"`, []string{"body"}},
		{"not JSON is the handler's", `{"a":`, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := sc.send("POST", "/api/v1/cases/20260930000001/return", "application/json", []byte(tc.body))
			if tc.fields == nil {
				if !sc.reached || string(sc.got) != tc.body {
					t.Fatalf("%d: the handler got %q, want the body unchanged\n%s", w.Code, sc.got, w.Body)
				}
				return
			}
			if sc.reached || w.Code != 422 || w.Header().Get("Content-Type") != problem.ContentType {
				t.Fatalf("%d %s, reached %v: want a 422 problem before the handler", w.Code, w.Body, sc.reached)
			}
			if got := sc.fields(t, w); strings.Join(got, ",") != strings.Join(tc.fields, ",") {
				t.Errorf("fields %q, want %q", got, tc.fields)
			}
		})
	}
}

func TestScreenPathAndQuery(t *testing.T) {
	sc := newScreened(t, "GET /api/v1/items/{code}/versions")
	for _, tc := range []struct {
		target string
		fields []string
	}{
		{"/api/v1/items/SCJG-XK-001/versions?q=食品", nil},
		{"/api/v1/items/%20SCJG/versions", []string{"path.code"}},
		{"/api/v1/items/SCJG%09/versions", []string{"path.code"}},
		{"/api/v1/items/SC%E3%80%80JG/versions", []string{"path.code"}},
		{"/api/v1/items/SCJG/versions?q=a%00b&kind=%E2%80%AE", []string{"query.kind", "query.q"}},
		{"/api/v1/items/SCJG/versions?q=%FF", []string{"query.q"}},
		{"/api/v1/items/SCJG/versions?a%00=1", []string{"query"}},
		{"/api/v1/nowhere%00", []string{"path"}},
	} {
		w := sc.send("GET", tc.target, "", nil)
		if tc.fields == nil {
			if !sc.reached {
				t.Errorf("%s: %d, want it through", tc.target, w.Code)
			}
			continue
		}
		if sc.reached || w.Code != 422 {
			t.Errorf("%s: %d, reached %v; want 422", tc.target, w.Code, sc.reached)
			continue
		}
		if got := sc.fields(t, w); strings.Join(got, ",") != strings.Join(tc.fields, ",") {
			t.Errorf("%s: fields %q, want %q", tc.target, got, tc.fields)
		}
	}
}

func TestScreenForms(t *testing.T) {
	sc := newScreened(t, "POST /my/cases/{number}/withdraw")
	form := "application/x-www-form-urlencoded"
	w := sc.send("POST", "/my/cases/20260930000001/withdraw", form, []byte("reason=%E4%B8%8D%E5%8A%9E%0D%0A%E4%BA%86&note=a%09b"))
	if !sc.reached {
		t.Fatalf("a multi-line reason and note refused: %d", w.Code)
	}
	w = sc.send("POST", "/my/cases/20260930000001/withdraw", form, []byte("reason=ok&name=%E5%BC%A0%0A"))
	if sc.reached || w.Code != 422 || sc.page == nil {
		t.Fatalf("a newline in a name: %d, reached %v, page %v", w.Code, sc.reached, sc.page)
	}
	if got := sc.fields(t, w); len(got) != 1 || got[0] != "name" {
		t.Errorf("fields %q, want name", got)
	}
	w = sc.send("POST", "/my/cases/%2020260930000001/withdraw", form, []byte("reason=ok"))
	if got := sc.fields(t, w); sc.reached || len(got) != 1 || got[0] != "path.number" {
		t.Errorf("a space in the path: %d, fields %q", w.Code, got)
	}
}

// multipartBody builds a form of fields and one file.
func multipartBody(t *testing.T, fields [][2]string, file []byte) (string, []byte) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for _, f := range fields {
		mw.WriteField(f[0], f[1])
	}
	fw, err := mw.CreateFormFile("file", "申请书.pdf")
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(file)
	mw.WriteField("after", "the file")
	mw.Close()
	return mw.FormDataContentType(), b.Bytes()
}

func TestScreenUploads(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir()) // where the spool goes, to see it is gone
	sc := newScreened(t, "POST /my/drafts/{id}/files")
	// A file full of NULs and control bytes is the file's business, not
	// text: it passes, and the handler reads the body byte for byte, also
	// when it is larger than what is kept in memory.
	for _, size := range []int{100, 3 * spoolMemory} {
		content := bytes.Repeat([]byte("%PDF\x00\x1b\u202e"), size/8)
		ct, body := multipartBody(t, [][2]string{{"item", "SCJG-XK-001"}, {"material", "M01"}}, content)
		w := sc.send("POST", "/my/drafts/new/files", ct, body)
		if !sc.reached || sc.readErr != nil || !bytes.Equal(sc.got, body) {
			t.Fatalf("%d bytes: %d, reached %v, read %d bytes (%v), want all %d", size, w.Code, sc.reached, len(sc.got), sc.readErr, len(body))
		}
	}
	// A text field is checked wherever it sits, after a large file too.
	ct, body := multipartBody(t, [][2]string{{"item", "SCJG-XK-001"}, {"material", "M0\x001"}}, bytes.Repeat([]byte("x"), 2*spoolMemory))
	w := sc.send("POST", "/my/drafts/new/files", ct, body)
	if got := sc.fields(t, w); sc.reached || w.Code != 422 || len(got) != 1 || got[0] != "material" {
		t.Errorf("a NUL in a field: %d, reached %v, fields %q", w.Code, sc.reached, got)
	}
	// No file is left behind by the spool.
	left, _ := filepath.Glob(filepath.Join(os.TempDir(), "*"))
	if len(left) > 0 {
		t.Errorf("spool files left: %v", left)
	}
}

// A body larger than the limit reaches the handler failing as it would
// have without the check, so it answers as before.
func TestScreenKeepsBodyErrors(t *testing.T) {
	sc := newScreened(t, "POST /my/drafts/{id}/files")
	ct, body := multipartBody(t, [][2]string{{"item", "SCJG-XK-001"}}, bytes.Repeat([]byte("x"), 2*spoolMemory))
	r := httptest.NewRequest("POST", "/my/drafts/new/files", bytes.NewReader(body))
	r.Header.Set("Content-Type", ct)
	w := httptest.NewRecorder()
	r.Body = http.MaxBytesReader(w, r.Body, int64(len(body)-10))
	sc.handler.ServeHTTP(w, r)
	var tooBig *http.MaxBytesError
	if !sc.reached || !errors.As(sc.readErr, &tooBig) || len(sc.got) != len(body)-10 {
		t.Errorf("reached %v, read %d bytes with %v; want the limit's bytes and its error", sc.reached, len(sc.got), sc.readErr)
	}
	for _, ct := range []string{"application/json", "application/x-www-form-urlencoded"} {
		r := httptest.NewRequest("POST", "/my/drafts/new/files", strings.NewReader(`{"a":"`+strings.Repeat("b", 100)+`"}`))
		r.Header.Set("Content-Type", ct)
		w := httptest.NewRecorder()
		r.Body = http.MaxBytesReader(w, r.Body, 50)
		sc.reached = false
		sc.handler.ServeHTTP(w, r)
		if !sc.reached || !errors.As(sc.readErr, &tooBig) {
			t.Errorf("%s: reached %v, read with %v; want the limit's error", ct, sc.reached, sc.readErr)
		}
	}
}

// Every textarea of every page is a multi-line field, so a reason typed on
// several lines is not refused; no one-line input is.
func TestTextareasAreMultiline(t *testing.T) {
	files, err := filepath.Glob("../web/*/templates/*/*.html")
	if err != nil || len(files) == 0 {
		t.Fatalf("templates: %v", err)
	}
	textarea := regexp.MustCompile(`<textarea[^>]*\bname="([^"{]+)`)
	input := regexp.MustCompile(`<input[^>]*\bname="([a-z_.]+)"`)
	seen := 0
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range textarea.FindAllStringSubmatch(string(src), -1) {
			seen++
			if !multiline(m[1]) {
				t.Errorf("%s: textarea %q is not a multi-line field", filepath.Base(f), m[1])
			}
		}
		for _, m := range input.FindAllStringSubmatch(string(src), -1) {
			// A few names are a textarea on one page and a one-line input on
			// another: "reason" (a select of preset reasons), "correction.*",
			// "items" (checkboxes of item codes) and "template" (a code in a
			// hidden input), "description" (a webhook's one-line note,
			// refused with a line break by webhook.Subscription.Validate).
			// There the use case judges the value (codes are looked up
			// exactly), so a line break gets nowhere.
			if multiline(m[1]) && !slices.Contains([]string{"reason", "items", "template", "description"}, m[1]) && !strings.HasPrefix(m[1], "correction") {
				t.Errorf("%s: one-line input %q would take line breaks", filepath.Base(f), m[1])
			}
		}
	}
	if seen < 10 {
		t.Errorf("only %d textareas found", seen)
	}
}
