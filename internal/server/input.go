package server

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/problem"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/text"
	"github.com/onewindow/onewindow/internal/web/page"
)

// This file is the edge every request's text passes before any handler
// sees it: the path, the query string and the body (JSON, a form or the
// fields of a multipart upload). Text that package text refuses (invalid
// UTF-8, control characters, bidi overrides …) is answered with 422
// naming the field; an identifier in the path (a code, a number, a
// username: every wildcard of every route is one) with whitespace
// anywhere is refused the same way. No handler can forget it, and both
// databases see only clean text (PostgreSQL refuses a NUL with a 500,
// SQLite would store it).

// multilineFields are the fields that hold several lines of text (a
// reason, a note, a list typed one per line): there a line feed, a
// carriage return and a tab are ordinary. A field is multi-line when any
// part of its name is one of these: "reason", "correction_reasons.M03",
// "materials[2].notes". Every other field is one line.
var multilineFields = map[string]bool{
	"reason": true, "reasons": true, "correction": true, "correction_reasons": true,
	"note": true, "notes": true, "text": true, "add_text": true, "description": true,
	"conditions": true, "legal_basis": true, "special_procedures": true,
	"collect_items": true, "collect_at_issuance": true, "follow_up_result": true,
	"items":       true,                   // the guidance desk's items, one per line
	"template":    true,                   // a joint application's definition, JSON typed into a page
	"explanation": true, "measures": true, // a department's reply to a supervision notice
	"conclusion": true, // a special procedure's conclusion
}

// multiline reports whether the field named name holds several lines.
func multiline(name string) bool {
	for _, part := range strings.FieldsFunc(name, func(r rune) bool { return r == '.' || r == '[' || r == ']' }) {
		if multilineFields[part] {
			return true
		}
	}
	return false
}

// maxFaults bounds the fields one refusal names.
const maxFaults = 20

// spoolMemory is how much of a multipart body is kept in memory while its
// fields are checked; the rest waits in a temporary file.
const spoolMemory = 1 << 20

// faults collects what is wrong with a request's text, field by field.
type faults struct {
	api    bool // name fields as the API does: "path.code", "query.q"
	fields []apperr.FieldError
	pages  []apperr.FieldError // the same, in words for a page
	// formToken is the body's one-time form token (page.FormTokenField),
	// noted on the way for oneTime (once.go): the body is read once here.
	formToken string
}

func (fs *faults) add(where, name string, f *text.Fault) {
	if len(fs.fields) >= maxFaults {
		return
	}
	field := name
	if fs.api && where != "" {
		field = where + "." + name
	}
	if name == "" {
		field = where
	}
	fs.fields = append(fs.fields, apperr.FieldError{Field: field, Message: f.Error()})
	page := name // a page's field by its form name; the path's as "path.code"
	if where == "path" {
		page = strings.TrimSuffix("path."+name, ".")
	}
	fs.pages = append(fs.pages, apperr.FieldError{Field: page, Message: f.Message()})
}

// checkText checks one value; name is the field's own name.
func (fs *faults) checkText(where, name, value string, lines bool) {
	if f := text.Check(value, lines); f != nil {
		fs.add(where, name, f)
	}
}

// screenInput refuses a request whose text breaks the rules of package
// text, before next sees it: problem+json for the API, the page refuse
// renders for the pages. mux finds the route, to name a path's wildcards.
func (s *Server) screenInput(next http.Handler, mux *http.ServeMux, refuse func(http.ResponseWriter, *http.Request, error)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fs := &faults{api: isAPI(r)}
		checkPath(fs, mux, r)
		checkQuery(fs, r.URL.RawQuery)
		cleanup, err := checkBody(fs, r)
		if cleanup != nil {
			defer cleanup()
		}
		if err != nil {
			s.log.Error("input check", "err", err, "request_id", service.RequestFrom(r.Context()).ID)
			writeProblem(w, r, problem.From(apperr.Wrap(err, "input check")))
			return
		}
		if len(fs.fields) == 0 {
			if fs.formToken != "" && !fs.api {
				r = r.WithContext(withFormToken(r.Context(), fs.formToken))
			}
			next.ServeHTTP(w, r)
			return
		}
		if fs.api {
			detail := "请求中有不允许的字符，未做任何修改"
			if len(fs.fields) == 1 {
				detail = fs.fields[0].Field + "：" + fs.fields[0].Message
			}
			writeProblem(w, r, problem.New(http.StatusUnprocessableEntity, detail, fs.fields...))
			return
		}
		refuse(w, r, apperr.Invalidf(fs.pages, "%s", fs.pages[0].Message))
	})
}

// checkPath checks every segment of the path as text and every wildcard
// of the route it matches as an identifier, named by the wildcard.
func checkPath(fs *faults, mux *http.ServeMux, r *http.Request) {
	segments := strings.Split(r.URL.EscapedPath(), "/")
	for i, seg := range segments {
		if !strings.Contains(seg, "%") {
			continue // nothing to unescape
		}
		if v, err := url.PathUnescape(seg); err == nil {
			segments[i] = v
		}
	}
	var w *wildcards
	if _, pattern := mux.Handler(r); pattern != "" {
		w = wildcardsOf(pattern)
	}
	for i, seg := range segments {
		name, ok := "", false
		if w != nil && i < len(w.named) {
			name, ok = w.named[i], w.named[i] != ""
		}
		switch {
		case ok:
			if f := text.Identifier(seg); f != nil {
				fs.add("path", name, f)
			}
		case w != nil && w.restAt >= 0 && i >= w.restAt:
			fs.checkText("path", w.rest, seg, false)
		default:
			fs.checkText("path", "", seg, false)
		}
	}
}

// wildcards is where a route pattern's wildcards stand: named[i] is the
// name of the wildcard at segment i ("" for none), rest a {name...}
// wildcard's name and restAt its segment (-1 for none).
type wildcards struct {
	named  []string
	rest   string
	restAt int
}

// patternWildcards holds every pattern's wildcards once read: the routes
// are a fixed set, and every request asks for its route's.
var patternWildcards sync.Map // pattern → *wildcards

// wildcardsOf returns the wildcards of a mux pattern ("POST /cases/{number}").
func wildcardsOf(pattern string) *wildcards {
	if w, ok := patternWildcards.Load(pattern); ok {
		return w.(*wildcards)
	}
	w := &wildcards{restAt: -1}
	path := pattern
	if i := strings.Index(path, "/"); i >= 0 {
		path = path[i:] // drop the method and host
	}
	for i, seg := range strings.Split(path, "/") {
		name, ok := strings.CutPrefix(seg, "{")
		if !ok || name == "$}" {
			continue
		}
		name = strings.TrimSuffix(name, "}")
		if n, ok := strings.CutSuffix(name, "..."); ok {
			w.rest, w.restAt = n, i
			break
		}
		for len(w.named) <= i {
			w.named = append(w.named, "")
		}
		w.named[i] = name
	}
	patternWildcards.Store(pattern, w)
	return w
}

// checkQuery checks every name and value of the query string.
func checkQuery(fs *faults, raw string) {
	if raw == "" {
		return
	}
	q, _ := url.ParseQuery(raw) // malformed pairs are dropped here as by every handler
	checkValues(fs, "query", q, false)
}

// checkValues checks a form's or query's names and values, in name order
// so that the answer does not change between runs.
func checkValues(fs *faults, where string, vs url.Values, formLines bool) {
	for _, name := range slices.Sorted(maps.Keys(vs)) {
		if f := text.Check(name, false); f != nil {
			fs.add(where, "", f)
			continue
		}
		lines := formLines && multiline(name)
		if where == "body" && name == page.FormTokenField && len(vs[name]) > 0 {
			fs.formToken = vs[name][0]
		}
		for _, v := range vs[name] {
			fs.checkText(where, name, v, lines)
		}
	}
}

// checkBody checks the body's text by its media type and puts the body
// back, byte for byte, for the handler. A body that cannot be read (too
// large, cut off) is put back with the same failure at its end, so the
// handler answers it as before. The error is ours (a full disk while
// spooling an upload); cleanup, if any, runs after the handler.
func checkBody(fs *faults, r *http.Request) (cleanup func(), err error) {
	if r.Body == nil || r.Body == http.NoBody || r.Method == http.MethodGet || r.Method == http.MethodHead {
		return nil, nil
	}
	mt, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch {
	case mt == "multipart/form-data" && params["boundary"] != "":
		return checkMultipart(fs, r, params["boundary"])
	case mt == "application/x-www-form-urlencoded":
		body, ok := readBack(r)
		if ok {
			form, _ := url.ParseQuery(string(body))
			checkValues(fs, "body", form, true)
		}
	case mt == "application/json" || strings.HasSuffix(mt, "+json") || mt == "" && fs.api:
		body, ok := readBack(r)
		if ok {
			checkJSON(fs, body)
		}
	}
	return nil, nil
}

// readBack reads the whole body (already capped by limitBody) and puts it
// back; ok is false when it could not be read to its end.
func readBack(r *http.Request) (body []byte, ok bool) {
	body, err := io.ReadAll(r.Body)
	r.Body = replay{io.MultiReader(bytes.NewReader(body), failing{err}), r.Body}
	return body, err == nil
}

// replay is a body read again from what was read, closing the original.
type replay struct {
	io.Reader
	io.Closer
}

// failing is a reader that fails with err, or ends when err is nil.
type failing struct{ err error }

func (f failing) Read([]byte) (int, error) {
	if f.err == nil {
		return 0, io.EOF
	}
	return 0, f.err
}

// checkMultipart spools the upload (memory, then a temporary file), checks
// the name and value of every field that is not a file, and hands the
// handler the spooled body from its start. A file's content is not
// looked at here, nor its name: the upload check judges both (blob.Check,
// blob.CheckName) and says what is wrong next to the material.
func checkMultipart(fs *faults, r *http.Request, boundary string) (func(), error) {
	body := &recording{r: r.Body}
	var mem bytes.Buffer
	n, _ := io.CopyN(&mem, body, spoolMemory)
	var spooled io.ReadSeeker = bytes.NewReader(mem.Bytes())
	var cleanup func()
	if body.err == nil && n == spoolMemory {
		tmp, err := os.CreateTemp("", "onewindow-upload-*")
		if err != nil {
			return nil, fmt.Errorf("spool upload: %w", err)
		}
		cleanup = func() { tmp.Close(); os.Remove(tmp.Name()) }
		if _, err := tmp.Write(mem.Bytes()); err != nil {
			return cleanup, fmt.Errorf("spool upload: %w", err)
		}
		if _, err := io.Copy(tmp, body); err != nil && body.err == nil {
			return cleanup, fmt.Errorf("spool upload: %w", err) // the disk's fault, not the client's
		}
		if _, err := tmp.Seek(0, io.SeekStart); err != nil {
			return cleanup, fmt.Errorf("spool upload: %w", err)
		}
		spooled = tmp
	}
	if body.err == nil {
		checkParts(fs, multipart.NewReader(spooled, boundary))
		if _, err := spooled.Seek(0, io.SeekStart); err != nil {
			return cleanup, fmt.Errorf("spool upload: %w", err)
		}
	}
	r.Body = replay{io.MultiReader(spooled, failing{body.err}), r.Body}
	return cleanup, nil
}

// recording is a reader that keeps the error reading failed with, other
// than its end: a body over the limit, a connection cut.
type recording struct {
	r   io.Reader
	err error
}

func (rr *recording) Read(p []byte) (int, error) {
	n, err := rr.r.Read(p)
	if err != nil && err != io.EOF {
		rr.err = err
	}
	return n, err
}

// maxFieldValue bounds the text field read for checking; a longer one is
// the handler's to refuse.
const maxFieldValue = 1 << 20

// checkParts checks the text fields of a multipart form. A form that is
// not well formed is left to the handler, which says so.
func checkParts(fs *faults, mr *multipart.Reader) {
	for {
		p, err := mr.NextPart()
		if err != nil {
			return
		}
		name := p.FormName()
		if f := text.Check(name, false); f != nil {
			fs.add("body", "", f)
		}
		_, params, _ := mime.ParseMediaType(p.Header.Get("Content-Disposition"))
		if _, isFile := params["filename"]; isFile {
			continue // NextPart skips the rest of the part
		}
		value, err := io.ReadAll(io.LimitReader(p, maxFieldValue))
		if err != nil {
			return
		}
		if name == page.FormTokenField && fs.formToken == "" {
			fs.formToken = string(value)
		}
		fs.checkText("body", name, string(value), multiline(name))
	}
}

// checkJSON walks a JSON document and checks every string in it, keys
// included, naming each by its path ("applicant.name",
// "materials[1].code"). Invalid UTF-8 inside a string, which the decoder
// would quietly turn into U+FFFD, is found in the raw bytes of its token.
// A document that is not JSON is left to the handler.
func checkJSON(fs *faults, body []byte) {
	if plainCleanJSON(body) {
		return // walkJSON would find nothing: see plainCleanJSON
	}
	walkJSON(fs, body)
}

// walkJSON is checkJSON's walk through every token of the document.
func walkJSON(fs *faults, body []byte) {
	if !json.Valid(bytes.ToValidUTF8(body, []byte("\uFFFD"))) {
		return
	}
	type frame struct {
		object bool
		key    string // the current member's name, in an object
		index  int    // the current element's index, in an array
		isKey  bool   // the next token is a member's name
	}
	var stack []*frame
	path := func() string {
		var b strings.Builder
		for _, f := range stack {
			if f.object {
				if b.Len() > 0 {
					b.WriteByte('.')
				}
				b.WriteString(f.key)
			} else {
				b.WriteString("[" + strconv.Itoa(f.index) + "]")
			}
		}
		return b.String()
	}
	// consumed moves the enclosing container on past one value.
	consumed := func() {
		if len(stack) == 0 {
			return
		}
		if top := stack[len(stack)-1]; top.object {
			top.isKey = true
		} else {
			top.index++
		}
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var prev int64
	for {
		tok, err := dec.Token()
		if err != nil {
			return
		}
		raw := body[prev:dec.InputOffset()]
		prev = dec.InputOffset()
		var top *frame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		switch v := tok.(type) {
		case json.Delim:
			switch v {
			case '{', '[':
				stack = append(stack, &frame{object: v == '{', isKey: v == '{'})
			case '}', ']':
				stack = stack[:len(stack)-1]
				consumed()
			}
		case string:
			if top != nil && top.object && top.isKey {
				if f := jsonFault(v, raw, false); f != nil {
					top.key = "" // the object's path names it, not the bad name
					p := strings.TrimSuffix(path(), ".")
					if p == "" {
						p = "body"
					}
					fs.add("", p, f)
				}
				top.key, top.isKey = v, false
				continue
			}
			p := path()
			if f := jsonFault(v, raw, multiline(p)); f != nil {
				if p == "" {
					p = "body" // the document is one string
				}
				fs.add("", p, f)
			}
			consumed()
		default:
			consumed()
		}
	}
}

// plainCleanJSON reports, cheaply, that checkJSON would find nothing in
// body: body is valid UTF-8 and every string in it (keys included) is
// written without a backslash escape and is clean single-line text. Such
// a string decodes to its bytes as written, and text that is clean on
// one line is clean on several, so walking the document's tokens could
// fault none of them (and a body that is not JSON is left to the handler
// anyway). Any other body (an escape, a fault, a quote left open) takes
// the full walk, which names the fields. The strings are found by their
// quotes: outside a string JSON has no quote, inside one a quote is
// always escaped, and escapes send the body to the full walk.
func plainCleanJSON(body []byte) bool {
	if !utf8.Valid(body) {
		return false
	}
	doc := string(body) // one copy; the strings are slices of it
	for i := 0; i < len(doc); i++ {
		if doc[i] != '"' {
			continue
		}
		end := strings.IndexAny(doc[i+1:], `"\`)
		if end < 0 || doc[i+1+end] == '\\' {
			return false
		}
		if text.Check(doc[i+1:i+1+end], false) != nil {
			return false
		}
		i += 1 + end // the closing quote
	}
	return true
}

// jsonFault checks one decoded JSON string against the raw bytes of its
// token: invalid UTF-8 there, or a U+FFFD the decoder made of a lone
// surrogate escape ("\ud800"), is invalid text.
func jsonFault(s string, raw []byte, lines bool) *text.Fault {
	written := bytes.Count(raw, []byte("\uFFFD")) + bytes.Count(bytes.ToLower(raw), []byte(`\ufffd`))
	if !utf8.Valid(raw) || strings.Count(s, "\uFFFD") > written {
		return &text.Fault{Kind: text.InvalidUTF8, Rune: utf8.RuneError}
	}
	return text.Check(s, lines)
}
