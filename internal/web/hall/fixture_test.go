package hall_test

// The shared fixture (webtest) under the names this package's tests use.

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/store"
	"github.com/onewindow/onewindow/internal/web/webtest"
)

// hall is the demo district behind one test server (webtest.Hall).
type hall struct {
	*webtest.Hall
	svc       *service.Service
	clk       *clock.Manual
	url       string
	passwords map[string]string
	as        map[string]context.Context
}

func wrapHall(x *webtest.Hall) *hall {
	return &hall{Hall: x, svc: x.Svc, clk: x.Clk, url: x.URL, passwords: x.Passwords, as: x.As}
}

// eachHall runs fn on a fresh demo district for each database.
func eachHall(t *testing.T, start time.Time, fn func(t *testing.T, h *hall)) {
	webtest.EachHall(t, start, func(t *testing.T, x *webtest.Hall) { fn(t, wrapHall(x)) })
}

// newHall serves a demo district loaded into st.
func newHall(t *testing.T, st *store.Store, clk *clock.Manual) *hall {
	t.Helper()
	return wrapHall(webtest.NewHall(t, st, clk))
}

func (h *hall) act(t *testing.T, user, number string, action casework.Action, in casework.Input) *service.CaseView {
	t.Helper()
	return h.Act(t, user, number, action, in)
}

// browser is one person's browser (webtest.Browser).
type browser struct {
	*webtest.Browser
	t        *testing.T
	h        *hall
	username string // who signed in on it, "" for nobody
}

func (h *hall) browser(t *testing.T) *browser {
	return &browser{Browser: h.Hall.Browser(t), t: t, h: h}
}

func (h *hall) signIn(t *testing.T, username string) *browser {
	t.Helper()
	return h.signInWith(t, username, h.passwords[username])
}

func (h *hall) signInWith(t *testing.T, username, password string) *browser {
	t.Helper()
	x := h.SignInWith(t, username, password)
	return &browser{Browser: x, t: t, h: h, username: x.Username}
}

func (b *browser) do(req *http.Request) reply { b.t.Helper(); return replyOf(b.Do(req)) }

func (b *browser) get(path string) reply { b.t.Helper(); return replyOf(b.Get(path)) }

func (b *browser) post(path string, form url.Values) reply {
	b.t.Helper()
	return replyOf(b.Post(path, form))
}

func (b *browser) follow(t *testing.T, path string, form url.Values) reply {
	t.Helper()
	return replyOf(b.Follow(t, path, form))
}

// reply is what came back (webtest.Reply).
type reply struct {
	status   int
	header   http.Header
	location string
	body     string
}

func replyOf(x webtest.Reply) reply {
	return reply{status: x.Status, header: x.Header, location: x.Location, body: x.Body}
}

func (p reply) x() webtest.Reply {
	return webtest.Reply{Status: p.status, Header: p.header, Location: p.location, Body: p.body}
}

func (p reply) want(t *testing.T, status int, texts ...string) {
	t.Helper()
	p.x().Want(t, status, texts...)
}

func (p reply) wantNot(t *testing.T, texts ...string) { t.Helper(); p.x().WantNot(t, texts...) }

func (p reply) has(t *testing.T, what string, texts ...string) {
	t.Helper()
	p.x().Has(t, what, texts...)
}

func (p reply) hasNot(t *testing.T, what string, texts ...string) {
	t.Helper()
	p.x().HasNot(t, what, texts...)
}

func (p reply) row(number string) string { return p.x().Row(number) }

func (p reply) near(t *testing.T, anchor string) string { t.Helper(); return p.x().Near(t, anchor) }

func (p reply) wantNear(t *testing.T, anchor, msg string) { t.Helper(); p.x().WantNear(t, anchor, msg) }

func (p reply) cell(t *testing.T, date string) string { t.Helper(); return p.x().Cell(t, date) }

func (p reply) password(t *testing.T) string { t.Helper(); return p.x().Password(t) }

// The scenarios several packages' tests start from (webtest/shared.go).

var start = webtest.Start

const (
	companyName  = webtest.CompanyName
	companyCode  = webtest.CompanyCode
	companyPhone = webtest.CompanyPhone
	signerName   = webtest.SignerName
	signerID     = webtest.SignerID
	returnReason = webtest.ReturnReason
)

var ticketLocation = webtest.TicketLocation

func open(t *testing.T, b *browser, path string) reply {
	t.Helper()
	b.Username = b.username
	return replyOf(webtest.Open(t, b.Browser, path))
}

func foodLicence() casework.Intake { return webtest.FoodLicence() }

func (h *hall) wholeCase(t *testing.T) (string, string) { t.Helper(); return h.WholeCase(t) }

func codes(t *testing.T, what string, p reply) string {
	t.Helper()
	return webtest.Codes(t, what, p.x())
}

func validID(n int) string { return webtest.ValidID(n) }

func (h *hall) withQueue(t *testing.T) { t.Helper(); h.WithQueue(t) }

func takeAtKiosk(t *testing.T, b *browser, form url.Values) (path string, id int64) {
	t.Helper()
	return webtest.TakeAtKiosk(t, b.Browser, form)
}
