package server_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
)

var formTokenRe = regexp.MustCompile(`name="form_token" value="([0-9a-f]{32})"`)

// TestIntakeFormPostedTwiceMakesOneCase: the defect of issue 13 point 7.
// Two POSTs of one intake form at once, on the two nodes, made two case
// numbers. Now the form's one-time token makes them one: both answers send
// the browser to the same case; a third, later, does too, with the same
// message; a refused submission changed nothing and lets the form be sent
// again, corrected, with the same token.
func TestIntakeFormPostedTwiceMakesOneCase(t *testing.T) {
	eachDatabase(t, func(t *testing.T, f *fixture) {
		c := f.user(t, "intake")
		f.run(t, []scenario{{name: "sign in", method: "POST", path: "/login", browser: "desk",
			body: url.Values{"username": {c.Username}, "password": {c.Password}}, want: http.StatusSeeOther}})
		cookie := f.cookies["desk"]
		const path = "/intake/SCJG-XK-001"
		send := func(node int, form url.Values) (*http.Response, string) {
			t.Helper()
			req, err := http.NewRequest("POST", f.nodes[node].URL+path, strings.NewReader(form.Encode()))
			if err != nil {
				t.Error(err)
				return nil, ""
			}
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.AddCookie(cookie)
			res, err := f.client.Do(req)
			if err != nil {
				t.Error(err)
				return nil, ""
			}
			defer res.Body.Close()
			b, _ := io.ReadAll(res.Body)
			return res, string(b)
		}
		token := func() string {
			t.Helper()
			r := f.do(t, scenario{method: "GET", path: path, browser: "desk"}, "get-form")
			m := formTokenRe.FindSubmatch(r.body)
			if r.status != http.StatusOK || m == nil {
				t.Fatalf("the intake form (%d) carries no one-time token", r.status)
			}
			return string(m[1])
		}
		cases := func() int {
			t.Helper()
			var n int
			if err := f.st.DB().QueryRowContext(context.Background(), `SELECT COUNT(*) FROM cases`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		form := url.Values{
			"channel": {"window"}, "delivery.method": {"pickup"},
			"applicant.kind": {"entity"}, "applicant.name": {"江川区味来餐饮管理有限公司"}, "applicant.id_type": {"credit_code"},
			"applicant.id_number": {"91350100M000100Y43"}, "applicant.phone": {"13912345678"},
		}
		for _, m := range []string{"M01", "M02", "M03", "M04", "M05"} {
			form.Set("material."+m, "provided")
		}
		before := cases()

		form.Set("form_token", token())
		var wg sync.WaitGroup
		var locations [2]string
		for node := range 2 {
			wg.Go(func() {
				res, body := send(node, form)
				if res == nil {
					return
				}
				if res.StatusCode != http.StatusSeeOther {
					t.Errorf("node %d: status %d: %s", node, res.StatusCode, body)
				}
				locations[node] = res.Header.Get("Location")
			})
		}
		wg.Wait()
		if got := cases(); got != before+1 {
			t.Fatalf("two POSTs of one form at once made %d cases, want 1", got-before)
		}
		if locations[0] == "" || locations[0] != locations[1] || !strings.HasPrefix(locations[0], "/cases/") {
			t.Fatalf("the two answers sent the browser to %q and %q, want the same case", locations[0], locations[1])
		}

		// Sent again later (the back button): the first answer, and its message.
		res, _ := send(1, form)
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != locations[0] || cases() != before+1 {
			t.Fatalf("a later repeat: %d to %q, %d cases", res.StatusCode, res.Header.Get("Location"), cases()-before)
		}
		page := f.do(t, scenario{method: "GET", path: locations[0], browser: "desk"}, "case-page")
		if !strings.Contains(string(page.body), `class="notice"`) {
			t.Errorf("the repeat's case page shows no message of the intake")
		}

		// A refused submission acts when sent again corrected, same token.
		form.Set("form_token", token())
		form.Set("applicant.id_number", "91350100M000100Y44") // wrong check character
		if res, _ := send(0, form); res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("a wrong credit code: status %d, want 422", res.StatusCode)
		}
		form.Set("applicant.id_number", "91350100M000100Y43")
		if res, _ := send(1, form); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") == locations[0] {
			t.Fatalf("the corrected form: %d to %q, want a new case", res.StatusCode, res.Header.Get("Location"))
		}
		if got := cases(); got != before+2 {
			t.Fatalf("%d cases after the corrected form, want 2", got-before)
		}
	})
}
