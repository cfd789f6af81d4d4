package online_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// sameAnswer checks that two replies are one answer, 404, once the number
// each names is blanked out: nothing tells a case that exists but is
// someone else's from one that does not exist.
func sameAnswer(t *testing.T, what string, theirs, missing reply, number, unknown string) {
	t.Helper()
	if theirs.status != http.StatusNotFound || missing.status != http.StatusNotFound {
		t.Errorf("%s: someone else's %d, a missing one %d; want 404 for both\n%s", what, theirs.status, missing.status, theirs.body)
		return
	}
	a := strings.ReplaceAll(theirs.body, number, "N")
	b := strings.ReplaceAll(missing.body, unknown, "N")
	if strings.HasPrefix(theirs.header.Get("Content-Type"), "application/problem+json") {
		a, b = problemGist(t, a), problemGist(t, b)
	}
	if a != b {
		t.Errorf("%s: someone else's and a missing one answer differently:\n%s\n---\n%s", what, a, b)
	}
}

// problemGist is a problem document without what differs by request (its
// id and path).
func problemGist(t *testing.T, body string) string {
	t.Helper()
	var p map[string]any
	if err := json.Unmarshal([]byte(body), &p); err != nil {
		t.Fatalf("problem %q: %v", body, err)
	}
	delete(p, "request_id")
	delete(p, "instance")
	b, _ := json.Marshal(p)
	return string(b)
}

// Someone else's case is not found, word for word as a case that does not
// exist, on every page of the online hall and the agent's desk and through
// the API (issue 10, defect 12): a 403 would tell that the number is a
// real case.
func TestSomeoneElsesCaseIsNotFound(t *testing.T) {
	eachHall(t, start, func(t *testing.T, h *hall) {
		h.withFiles(t)
		owner := h.company(t, "13800000031")
		number := owner.apply(t, "SCJG-XK-001", "M01", "M02", "M03", "M04", "M05")
		unknown := number[:8] + "999999"
		owner.get("/my/cases/"+number).want(t, http.StatusOK, number)

		other := h.otherCompany(t, "13800000032", 32)
		agent := h.signIn(t, "daiban") // holds no mandate of the owner
		other.get("/my")               // the flash of the profile's saving, shown once
		agent.get("/")
		for _, c := range []struct {
			who    string
			b      *browser
			method string
			path   string
			form   url.Values
		}{
			{"applicant", other, "GET", "/my/cases/%s", nil},
			{"applicant", other, "POST", "/my/cases/%s/withdraw", url.Values{"reason": {"不办了"}}},
			{"applicant", other, "POST", "/my/cases/%s/rate", url.Values{"level": {"5"}}},
			{"applicant", other, "GET", "/my/files/cases/%s/0000000000000000000000000000000000000000000000000000000000000000", nil},
			{"agent", agent, "GET", "/agent/cases/%s", nil},
			{"agent", agent, "GET", "/api/v1/cases/%s", nil},
			{"agent", agent, "POST", "/api/v1/cases/%s/withdraw", nil},
		} {
			do := func(n string) reply {
				path := strings.Replace(c.path, "%s", n, 1)
				if c.method == "GET" {
					return c.b.get(path)
				}
				if strings.HasPrefix(path, "/api/") {
					req, _ := http.NewRequest("POST", h.url+path, strings.NewReader(`{"reason":"不办了"}`))
					req.Header.Set("Content-Type", "application/json")
					return c.b.do(req)
				}
				return c.b.post(path, c.form)
			}
			sameAnswer(t, c.who+" "+c.method+" "+c.path, do(number), do(unknown), number, unknown)
		}
		// Nothing changed: the owner's case is still waiting for pre-review.
		owner.get("/my/cases/"+number).want(t, http.StatusOK, "待预审")
	})
}
