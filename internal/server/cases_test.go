package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/catalog"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/demo"
	"github.com/onewindow/onewindow/internal/identity"
	"github.com/onewindow/onewindow/internal/org"
	"github.com/onewindow/onewindow/internal/problem"
	"github.com/onewindow/onewindow/internal/server"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/store"
	"github.com/onewindow/onewindow/internal/store/storetest"
	"github.com/onewindow/onewindow/internal/throttle"
)

// The case API over HTTP, on each database: every action in every state
// for every account, the deadline rules at the dates where they turn,
// races between clerks, stale versions, a write failing half-way, a
// tampered record, who sees what, and deferred materials that lapse.
// Every response any of these tests gets is also checked never to show an
// applicant's full ID number.

// The applicants' ID numbers: shown masked, never in full.
const (
	companyCode = "91350100M000100Y43" // the restaurant applying for a food licence
	personID    = "11010519491231002X" // the resident replacing a social security card
)

// deskAccount is a signed-in account of the case tests.
type deskAccount struct {
	username string
	role     org.Role
	dept     string
	hall     string // the hall a desk clerk works at
}

// deskAccounts are the demo district's accounts, plus a reviewer of RSJ
// (which the demo lacks) so that every action on the instant item has
// someone who may take it.
var deskAccounts = []deskAccount{
	{"shouli", org.RoleIntake, "", demo.DistrictHall},
	{"shouli2", org.RoleIntake, "", demo.BinheHall},
	{"chujian", org.RoleIssuance, "", demo.DistrictHall},
	{"shenpi", org.RoleReviewer, "SCJG", ""},
	{"shenpi2", org.RoleReviewer, "GHZY", ""},
	{"renshe", org.RoleReviewer, "RSJ", ""},
	{"bumen", org.RoleDeptAdmin, "SCJG", ""},
	{"admin", org.RoleAdmin, "", ""},
	{"jiandu", org.RoleSupervisor, "", ""},
	{"daiban", org.RoleAgent, "", demo.BinheHall},
	{"chushen", org.RoleStreetReviewer, "", demo.BinheHall},
}

// caseDesk is the demo district behind one API server, with a token for
// every account and a clock the test moves (the server's only time).
type caseDesk struct {
	st     *store.Store
	svc    *service.Service
	clk    *clock.Manual
	base   string
	client *http.Client
	tokens map[string]string // by username; read-only once set up
}

// eachDesk runs fn on a fresh desk on every database storetest offers,
// with the clock at the moment at.
func eachDesk(t *testing.T, at string, fn func(t *testing.T, d *caseDesk)) {
	t.Parallel()
	clk := clock.At(moment(at))
	storetest.Each(t, clk, func(t *testing.T, st *store.Store) {
		clk.Set(moment(at))
		fn(t, newCaseDesk(t, st, clk))
	})
}

func newCaseDesk(t *testing.T, st *store.Store, clk *clock.Manual) *caseDesk {
	t.Helper()
	ctx := service.AsSystem(context.Background())
	log := slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelError}))
	cfg := service.DefaultConfig()
	cfg.TokenTTL = 20 * 365 * 24 * time.Hour // the tests move the clock by months
	// Every account signs in from one address here, more than a client's
	// sign-ins a minute allow (the abuse tests check that limit).
	cfg.Limits.SignIn = throttle.Rate{N: 1000, Per: time.Minute}
	svc := service.New(st, clk, log, cfg)
	creds, err := svc.LoadDemo(ctx, demo.Load())
	if err != nil {
		t.Fatalf("load demo: %v", err)
	}
	const rsjPassword = "hall2026window"
	if err := svc.AddUser(ctx, &org.User{Username: "renshe", Name: "钱立新", Role: org.RoleReviewer, DepartmentCode: "RSJ"}, rsjPassword); err != nil {
		t.Fatalf("add RSJ reviewer: %v", err)
	}
	creds = append(creds, service.Credential{Username: "renshe", Password: rsjPassword})
	renewal, err := svc.Item(ctx, "SCJG-XK-002", 0)
	if err != nil {
		t.Fatal(err)
	}
	renewal.ReviewLevels = 3
	if err := svc.SaveItem(ctx, renewal, renewal.Version); err != nil {
		t.Fatalf("three levels for SCJG-XK-002: %v", err)
	}
	srv, err := server.New(server.Config{Version: "test"}, svc, server.NewSessions(sessionStore(st), false), log)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	d := &caseDesk{st: st, svc: svc, clk: clk, base: ts.URL, client: ts.Client(), tokens: map[string]string{}}
	for _, c := range creds {
		if c.Role == "applicant" {
			continue // an online hall account: see the applicant tests
		}
		d.tokens[c.Username] = d.login(t, c.Username, c.Password)
	}
	for _, a := range deskAccounts {
		if d.tokens[a.username] == "" {
			t.Fatalf("no account %s", a.username)
		}
	}
	return d
}

// moment parses an RFC 3339 time.
func moment(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// at sets the server's clock.
func (d *caseDesk) at(s string) { d.clk.Set(moment(s)) }

// reply is what a request got back.
type reply struct {
	status int
	body   []byte
}

// send makes one request as user ("" for anonymous). It is safe for
// concurrent use; it fails if the response shows a full ID number.
func (d *caseDesk) send(method, user, path string, body any) (*reply, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, d.base+path, rd)
	if err != nil {
		return nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if user != "" {
		req.Header.Set("Authorization", "Bearer "+d.tokens[user])
	}
	res, err := d.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return nil, err
	}
	r := &reply{status: res.StatusCode, body: b}
	for _, id := range []string{companyCode, personID} {
		if bytes.Contains(b, []byte(id)) {
			return r, fmt.Errorf("%s %s as %s: the response shows the full ID number %s: %s", method, path, user, id, b)
		}
	}
	return r, nil
}

func (d *caseDesk) login(t *testing.T, username, password string) string {
	t.Helper()
	r := d.post(t, "", "/api/v1/login", map[string]string{"username": username, "password": password})
	mustStatus(t, r, http.StatusOK)
	return decodeAs[struct{ Token string }](t, r).Token
}

func (d *caseDesk) post(t *testing.T, user, path string, body any) *reply {
	t.Helper()
	r, err := d.send(http.MethodPost, user, path, body)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func (d *caseDesk) get(t *testing.T, user, path string) *reply {
	t.Helper()
	r, err := d.send(http.MethodGet, user, path, nil)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// act posts action on the case as user; a nil in sends the action's valid
// input.
func (d *caseDesk) act(t *testing.T, user, number string, action casework.Action, in any) *reply {
	t.Helper()
	if in == nil {
		in = validInput[action]
	}
	return d.post(t, user, actionPath(number, action), in)
}

func actionPath(number string, action casework.Action) string {
	return "/api/v1/cases/" + number + "/" + string(action)
}

// mustAct takes action as user, fails unless it succeeds, and returns the
// case as user then sees it, events included (the action's own answer
// carries no events).
func (d *caseDesk) mustAct(t *testing.T, user, number string, action casework.Action, in any) caseBody {
	t.Helper()
	r := d.act(t, user, number, action, in)
	if r.status != http.StatusOK {
		t.Fatalf("%s %s as %s: %d %s", action, number, user, r.status, r.body)
	}
	answer := decodeAs[caseBody](t, r)
	c := d.caseOf(t, user, number)
	if answer.Version != c.Version || answer.State != c.State || answer.Warning != c.Warning || !slices.Equal(answer.AllowedActions, c.AllowedActions) {
		t.Errorf("%s answered version %d %s %s %q, GET shows %d %s %s %q", action,
			answer.Version, answer.State, answer.Warning, answer.AllowedActions, c.Version, c.State, c.Warning, c.AllowedActions)
	}
	if n := len(c.Events); n == 0 || c.Events[n-1].Type != string(action) || c.Events[n-1].Actor != user {
		t.Errorf("%s by %s: last event %q", action, user, c.lastEvent())
	}
	return c
}

// caseOf is the case as user sees it.
func (d *caseDesk) caseOf(t *testing.T, user, number string) caseBody {
	t.Helper()
	r := d.get(t, user, "/api/v1/cases/"+number)
	mustStatus(t, r, http.StatusOK)
	return decodeAs[caseBody](t, r)
}

// take takes the application in at the intake desk.
func (d *caseDesk) take(t *testing.T, in casework.Intake) caseBody {
	t.Helper()
	r := d.post(t, "shouli", "/api/v1/cases", in)
	mustStatus(t, r, http.StatusCreated)
	return decodeAs[caseBody](t, r)
}

// list is a work list as user sees it.
func (d *caseDesk) list(t *testing.T, user, query string) []caseBody {
	t.Helper()
	r := d.get(t, user, "/api/v1/cases"+query)
	mustStatus(t, r, http.StatusOK)
	return decodeAs[struct{ Cases []caseBody }](t, r).Cases
}

// mustStatus fails the test unless r has status want.
func mustStatus(t *testing.T, r *reply, want int) {
	t.Helper()
	if r.status != want {
		t.Fatalf("status %d, want %d; body: %s", r.status, want, r.body)
	}
}

func decodeAs[T any](t *testing.T, r *reply) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(r.body, &v); err != nil {
		t.Fatalf("decode %T: %v; body: %s", v, err, r.body)
	}
	return v
}

// caseBody is what GET /api/v1/cases/{number} shows (the parts the tests read).
type caseBody struct {
	Number     string
	Kind       catalog.Kind
	Department string
	State      casework.State
	Version    int
	Applicant  struct {
		IDNumber string `json:"id_number"`
	}
	Hall           string
	PickupHall     string            `json:"pickup_hall"`
	Deadlines      map[string]string // as sent: RFC 3339 with the offset
	Warning        string
	Paused         bool
	OpenDeadlines  []casework.Due `json:"open_deadlines"`
	AllowedActions []string       `json:"allowed_actions"`
	HandoverAt     string         `json:"handover_at"`
	Result         string         `json:"result_status"`
	CloseReason    string         `json:"close_reason"`
	ReviewLevels   int            `json:"review_levels"`
	Review         []casework.LevelStep
	Events         []struct {
		Seq     int
		Type    string
		Actor   string
		Role    string
		From    string
		To      string
		Details map[string]any
	}
	Documents []struct{ Kind string }
}

func (c caseBody) lastEvent() string {
	if len(c.Events) == 0 {
		return ""
	}
	e := c.Events[len(c.Events)-1]
	return e.Type + " by " + e.Actor
}

func (c caseBody) running(name string) bool {
	return slices.ContainsFunc(c.OpenDeadlines, func(d casework.Due) bool { return d.Name == name })
}

// sameAs fails unless the case is as it was: a refused request changes
// nothing.
func sameAs(t *testing.T, before, after caseBody, what string) {
	t.Helper()
	if after.Version != before.Version || after.State != before.State || len(after.Events) != len(before.Events) ||
		len(after.Documents) != len(before.Documents) || after.HandoverAt != before.HandoverAt {
		t.Errorf("%s changed the case: version %d→%d, state %s→%s, %d→%d events, %d→%d documents",
			what, before.Version, after.Version, before.State, after.State, len(before.Events), len(after.Events),
			len(before.Documents), len(after.Documents))
	}
}

// wantRefusal checks r is a problem with status and code; for a 409 from
// a transition, it must name the state and the allowed actions.
func wantRefusal(t *testing.T, r *reply, status int, code string) problem.Problem {
	t.Helper()
	if r.status != status {
		t.Errorf("status %d, want %d; body: %s", r.status, status, r.body)
	}
	var p problem.Problem
	if err := json.Unmarshal(r.body, &p); err != nil {
		t.Fatalf("not a problem: %v; body %s", err, r.body)
	}
	if string(p.Code) != code || p.Detail == "" {
		t.Errorf("problem code %q detail %q, want code %q and a detail", p.Code, p.Detail, code)
	}
	return p
}

// foodLicence is an application for SCJG-XK-001 (promised, 5 working
// days) by a company bringing every required material, except those
// deferred (容缺).
func foodLicence(deferred ...string) casework.Intake {
	in := casework.Intake{
		ItemCode: "SCJG-XK-001", Channel: casework.AtWindow,
		Applicant: casework.Party{Kind: casework.Entity, Name: "江川区味来餐饮管理有限公司", IDType: identity.CreditCode,
			IDNumber: companyCode, Phone: "13912345678"},
	}
	for _, code := range []string{"M01", "M02", "M03", "M04", "M05"} {
		status := casework.Provided
		if slices.Contains(deferred, code) {
			status = casework.Deferred
		}
		in.Materials = append(in.Materials, casework.MaterialInput{Code: code, Status: status})
	}
	return in
}

// renewal is an application for SCJG-XK-002 (食品经营许可延续), which
// newCaseDesk gives three review levels.
func renewal() casework.Intake {
	in := foodLicence()
	in.ItemCode, in.Materials = "SCJG-XK-002", in.Materials[:4]
	return in
}

// byMail is the application with the result to be mailed.
func byMail(in casework.Intake) casework.Intake {
	in.Delivery = &casework.Delivery{Method: casework.Mail, Address: "江川区滨河路66号2栋301室"}
	return in
}

// socialSecurityCard is an application for RSJ-GG-001 (instant,
// delegated to the hall) by a resident.
func socialSecurityCard() casework.Intake {
	return casework.Intake{
		ItemCode: "RSJ-GG-001", Channel: casework.AtWindow,
		Applicant: casework.Party{Kind: casework.Person, Name: "李明", IDType: identity.ResidentID, IDNumber: personID, Phone: "13800138000"},
		Materials: []casework.MaterialInput{{Code: "M01", Status: casework.Provided}, {Code: "M02", Status: casework.Provided}},
	}
}

// validInput is a valid body of each action.
var validInput = map[casework.Action]casework.Input{
	casework.ActAccept: {},
	casework.ActReturn: {Reason: "经营场所平面布局图与现场不符", Corrections: []string{"M03"}},
	// The street's initial review (委托初审).
	casework.ActPassInitialReview:   {Reason: "申请材料齐全"},
	casework.ActReturnInitialReview: {Reason: "延续申请书未签字", Corrections: []string{"M01"}},
	casework.ActResubmit:            {Materials: []string{"M03"}},
	casework.ActSupply:              {Materials: []string{"M05"}},
	casework.ActHandover:            {},
	casework.ActPause:               {PauseType: casework.SiteSurvey, Reason: "现场核查经营场所"},
	casework.ActResume:              {},
	casework.ActExtend:              {Days: 3, Reason: "现场核查发现需整改，整改后复查"},
	casework.ActApproveExtension:    {Reason: "同意延长"},
	casework.ActRejectExtension:     {Reason: "理由不充分"},
	casework.ActDecide:              {Confirm: true, Outcome: casework.Approve, ResultDocument: "JY13501020260001"},
	casework.ActSubmitResult:        {},
	casework.ActRefuseResult:        {Reason: "证照上的经营场所与决定不符"},
	casework.ActAcceptResult:        {},
	casework.ActDeliver:             {Signer: "李明", SignerIDType: identity.ResidentID, SignerIDNumber: personID},
	casework.ActMail:                {Carrier: "EMS", Tracking: "EA123456789CN"},
	casework.ActConfirmDelivery:     {},
	casework.ActArchive:             {},
	casework.ActWithdraw:            {Reason: "申请人撤回申请"},
	casework.ActTerminate:           {Reason: "申请人不具备经营条件"},
	casework.ActRefuseAcceptance:    {Confirm: true, Reason: "申请事项不属于本机关职权范围"},
	casework.ActStartProcedure:      {Procedure: casework.ProcSiteInspection, Reason: "经营场所现场勘验"},
	casework.ActFinishProcedure:     {Conclusion: "经营场所与申报一致"},
	casework.ActPropose:             {Outcome: casework.Approve, Reason: "符合延续条件，拟准予"},
	casework.ActCheck:               {Reason: "同意"},
	casework.ActSendBack:            {Reason: "请补充现场核查意见"},
}

// apiActions are the actions the API offers: every action of the table
// but the system's own.
func apiActions() []casework.Action {
	var out []casework.Action
	for _, a := range casework.Actions() {
		if a != casework.ActLapse && a != casework.ActOpen { // the system's own: not in the API
			out = append(out, a)
		}
	}
	return out
}

// tableRows returns the table's rows of action for cases of kind ("" for
// every kind).
func tableRows(action casework.Action, kind catalog.Kind) []casework.Rule {
	var out []casework.Rule
	for _, r := range casework.Table {
		if r.Action == action && (kind == "" || r.Kinds == nil || slices.Contains(r.Kinds, kind)) {
			out = append(out, r)
		}
	}
	return out
}

// mayTake reports whether the table lets the account take a row on the
// case: its role, its department where the row asks for the case's own,
// and for a desk clerk its hall where the row binds the action to one of
// the case's (the cases here are taken in at a hall and collected there).
func mayTake(a deskAccount, r casework.Rule, c caseBody) bool {
	if r.System || !slices.Contains(r.Roles, a.role) || r.OwnDepartment && a.role.NeedsDepartment() && a.dept != c.Department {
		return false
	}
	switch {
	case !a.role.WorksAtHall():
		return true
	case r.Hall == casework.IntakeHall:
		return a.hall == c.Hall
	case r.Hall == casework.PickupHall:
		return a.hall == c.PickupHall
	}
	return r.Hall == casework.AnyHall && a.hall != ""
}

// expectedStatus is what the API must answer the account posting action on
// the case whose allowed actions, as the account's GET shows them, are
// allowed (readable: whether that GET was allowed).
func expectedStatus(a deskAccount, action casework.Action, c caseBody, readable bool, allowed []string) int {
	if a.role == org.RoleSupervisor {
		return http.StatusForbidden
	}
	if !readable {
		if a.role == org.RoleAgent {
			return http.StatusNotFound // someone else's case is not there (issue 10, defect 12)
		}
		return http.StatusForbidden
	}
	rs := tableRows(action, c.Kind)
	if len(rs) == 0 {
		// An action for the other kind of case only: a 409 for those who
		// take it on that kind, a 403 for those who take it on none.
		rs = tableRows(action, "")
	}
	if !slices.ContainsFunc(rs, func(r casework.Rule) bool { return mayTake(a, r, c) }) {
		return http.StatusForbidden
	}
	if slices.Contains(allowed, string(action)) {
		return http.StatusOK
	}
	if didOtherLevel(a, action, c) {
		return http.StatusForbidden
	}
	return http.StatusConflict
}

// didOtherLevel reports whether the account would take the pending
// review level (or send back the level below it) of a case of several
// levels on which it already did a level: refused whatever the role.
func didOtherLevel(a deskAccount, action casework.Action, c caseBody) bool {
	if c.ReviewLevels < 2 || c.State != casework.Accepted ||
		!slices.ContainsFunc(c.Review, func(s casework.LevelStep) bool { return s.By == a.username }) {
		return false
	}
	levels := []casework.Level{casework.LevelHandle, casework.LevelCheck, casework.LevelApprove}
	if c.ReviewLevels == 2 {
		levels = []casework.Level{casework.LevelHandle, casework.LevelApprove}
	}
	pending := levels[len(c.Review)]
	switch action {
	case casework.ActCheck:
		return pending == casework.LevelCheck
	case casework.ActSendBack:
		return true
	case casework.ActDecide:
		return pending == casework.LevelApprove
	}
	return false
}

// targetState is where the table sends a case of kind in state on action.
func targetState(action casework.Action, kind catalog.Kind, state casework.State) casework.State {
	for _, r := range tableRows(action, kind) {
		if slices.Contains(r.From, state) {
			if r.To != "" {
				return r.To
			}
			return state
		}
	}
	return ""
}

// mayRead is who may see a case: department roles only their own
// department's, agents none yet, everyone else every case.
func mayReadCase(a deskAccount, dept string) bool {
	switch {
	case a.role.NeedsDepartment():
		return a.dept == dept
	case a.role == org.RoleAgent:
		return false
	}
	return true
}

// caseStep is one action on the way to a caseStage, by the account that takes it.
type caseStep struct {
	user   string
	action casework.Action
}

// caseStage is a case in one reachable state: how to get there, and what a few
// accounts must then be offered (written out by hand, as a check on the
// table itself).
type caseStage struct {
	name    string
	clerk   string // who takes it in: "" for shouli (the district hall)
	intake  casework.Intake
	steps   []caseStep
	state   casework.State
	offered map[string][]string
}

var (
	handoverStep   = caseStep{"shenpi", casework.ActHandover}
	acceptStep     = caseStep{"shenpi", casework.ActAccept}
	decideStep     = caseStep{"shenpi", casework.ActDecide}
	submitStep     = caseStep{"shenpi", casework.ActSubmitResult}
	takeResultStep = caseStep{"chujian", casework.ActAcceptResult}
)

// caseStages are the reachable states of a promised food licence and of an
// instant social security card, with the sub-states that change what may
// be done.
var caseStages = []caseStage{
	{name: "received", intake: foodLicence(), state: casework.Received, offered: map[string][]string{
		"shenpi": {"accept", "return", "refuse-acceptance", "handover", "terminate"}, "shouli": {"withdraw"}, "chujian": {}, "bumen": {}}},
	{name: "received, papers handed over", intake: foodLicence(), steps: []caseStep{handoverStep}, state: casework.Received,
		offered: map[string][]string{"shenpi": {"accept", "return", "refuse-acceptance", "terminate"}, "shouli": {"withdraw"}}},
	{name: "received, M05 deferred", intake: foodLicence("M05"), state: casework.Received,
		offered: map[string][]string{"shenpi": {"accept", "return", "refuse-acceptance", "handover", "terminate"}, "shouli": {"supply", "withdraw"}}},
	{name: "returned", intake: foodLicence(), steps: []caseStep{{"shenpi", casework.ActReturn}}, state: casework.Returned,
		offered: map[string][]string{"shenpi": {"terminate"}, "shouli": {"resubmit", "withdraw"}}},
	{name: "received again after correction", intake: foodLicence(), state: casework.Received,
		steps:   []caseStep{handoverStep, {"shenpi", casework.ActReturn}, {"shouli", casework.ActResubmit}},
		offered: map[string][]string{"shenpi": {"accept", "return", "refuse-acceptance", "handover", "terminate"}, "shouli": {"withdraw"}}},
	{name: "accepted, papers pending", intake: foodLicence(), steps: []caseStep{acceptStep}, state: casework.Accepted,
		offered: map[string][]string{"shenpi": {"handover", "pause", "extend", "start-procedure", "terminate"}, "shouli": {"withdraw"}, "bumen": {}}},
	{name: "accepted", intake: foodLicence(), steps: []caseStep{handoverStep, acceptStep}, state: casework.Accepted,
		offered: map[string][]string{"shenpi": {"pause", "extend", "start-procedure", "decide", "terminate"}, "shouli": {"withdraw"}, "chujian": {}}},
	{name: "accepted, clock paused", intake: foodLicence(), steps: []caseStep{handoverStep, acceptStep, {"shenpi", casework.ActPause}},
		state: casework.Accepted, offered: map[string][]string{"shenpi": {"resume", "extend", "start-procedure", "terminate"}}},
	{name: "accepted, clock resumed", intake: foodLicence(),
		steps: []caseStep{handoverStep, acceptStep, {"shenpi", casework.ActPause}, {"shenpi", casework.ActResume}},
		state: casework.Accepted, offered: map[string][]string{"shenpi": {"pause", "extend", "start-procedure", "decide", "terminate"}}},
	{name: "accepted, extension requested", intake: foodLicence(), steps: []caseStep{handoverStep, acceptStep, {"shenpi", casework.ActExtend}},
		state: casework.Accepted, offered: map[string][]string{
			"shenpi": {"pause", "start-procedure", "terminate"}, "bumen": {"approve-extension", "reject-extension"}}},
	{name: "accepted, extension approved", intake: foodLicence(),
		steps: []caseStep{handoverStep, acceptStep, {"shenpi", casework.ActExtend}, {"bumen", casework.ActApproveExtension}},
		state: casework.Accepted, offered: map[string][]string{"shenpi": {"pause", "start-procedure", "decide", "terminate"}, "bumen": {}}},
	{name: "accepted, extension rejected", intake: foodLicence(),
		steps: []caseStep{handoverStep, acceptStep, {"shenpi", casework.ActExtend}, {"bumen", casework.ActRejectExtension}},
		state: casework.Accepted, offered: map[string][]string{"shenpi": {"pause", "start-procedure", "decide", "terminate"}, "bumen": {}}},
	{name: "accepted, M05 still deferred", intake: foodLicence("M05"), steps: []caseStep{handoverStep, acceptStep}, state: casework.Accepted,
		offered: map[string][]string{"shenpi": {"pause", "extend", "start-procedure", "terminate"}, "shouli": {"supply", "withdraw"}}},
	// M05 is on paper: once supplied it needs a handover of its own (R6).
	{name: "accepted, M05 supplied", intake: foodLicence("M05"), steps: []caseStep{handoverStep, acceptStep, {"shouli", casework.ActSupply}},
		state: casework.Accepted, offered: map[string][]string{"shenpi": {"handover", "pause", "extend", "start-procedure", "terminate"}, "shouli": {"withdraw"}}},
	{name: "accepted, M05 supplied and handed over", intake: foodLicence("M05"),
		steps: []caseStep{handoverStep, acceptStep, {"shouli", casework.ActSupply}, handoverStep},
		state: casework.Accepted, offered: map[string][]string{"shenpi": {"pause", "extend", "start-procedure", "decide", "terminate"}, "shouli": {"withdraw"}}},
	{name: "accepted, site inspection under way", intake: foodLicence(),
		steps: []caseStep{handoverStep, acceptStep, {"shenpi", casework.ActStartProcedure}}, state: casework.Accepted,
		offered: map[string][]string{"shenpi": {"pause", "extend", "finish-procedure", "terminate"}, "bumen": {}}},
	// SCJG-XK-002 has three review levels here (newCaseDesk): 承办 by
	// shenpi, 审核 by bumen; nobody of the accounts is left to approve.
	{name: "accepted, three levels", intake: renewal(), steps: []caseStep{handoverStep, acceptStep}, state: casework.Accepted,
		offered: map[string][]string{"shenpi": {"pause", "extend", "start-procedure", "propose", "terminate"}, "bumen": {}}},
	{name: "accepted, three levels, proposed", intake: renewal(),
		steps: []caseStep{handoverStep, acceptStep, {"shenpi", casework.ActPropose}}, state: casework.Accepted,
		offered: map[string][]string{"shenpi": {"pause", "extend", "start-procedure", "terminate"}, "bumen": {"check", "send-back"}}},
	{name: "decided", intake: foodLicence(), steps: []caseStep{handoverStep, acceptStep, decideStep}, state: casework.Decided,
		offered: map[string][]string{"shenpi": {"submit-result"}, "chujian": {}, "shouli": {}}},
	{name: "decided, result submitted", intake: foodLicence(), steps: []caseStep{handoverStep, acceptStep, decideStep, submitStep},
		state: casework.Decided, offered: map[string][]string{"shenpi": {}, "chujian": {"refuse-result", "accept-result"}}},
	{name: "decided, result refused", intake: foodLicence(),
		steps: []caseStep{handoverStep, acceptStep, decideStep, submitStep, {"chujian", casework.ActRefuseResult}},
		state: casework.Decided, offered: map[string][]string{"shenpi": {"submit-result"}, "chujian": {}}},
	{name: "result ready for pickup", intake: foodLicence(), steps: []caseStep{handoverStep, acceptStep, decideStep, submitStep, takeResultStep},
		state: casework.ResultReady, offered: map[string][]string{"chujian": {"deliver"}, "shenpi": {}, "shouli": {}}},
	{name: "result ready for mail", intake: byMail(foodLicence()), steps: []caseStep{handoverStep, acceptStep, decideStep, submitStep, takeResultStep},
		state: casework.ResultReady, offered: map[string][]string{"chujian": {"mail"}}},
	{name: "result mailed", intake: byMail(foodLicence()),
		steps: []caseStep{handoverStep, acceptStep, decideStep, submitStep, takeResultStep, {"chujian", casework.ActMail}},
		state: casework.ResultReady, offered: map[string][]string{"chujian": {"confirm-delivery"}}},
	{name: "delivered", intake: foodLicence(), steps: []caseStep{handoverStep, acceptStep, decideStep, submitStep, takeResultStep, {"chujian", casework.ActDeliver}},
		state: casework.Delivered, offered: map[string][]string{"chujian": {"archive"}, "shouli": {}}},
	{name: "archived", intake: foodLicence(),
		steps: []caseStep{handoverStep, acceptStep, decideStep, submitStep, takeResultStep, {"chujian", casework.ActDeliver}, {"chujian", casework.ActArchive}},
		state: casework.Archived, offered: map[string][]string{"chujian": {}, "shenpi": {}, "shouli": {}}},
	{name: "withdrawn", intake: foodLicence(), steps: []caseStep{{"shouli", casework.ActWithdraw}}, state: casework.Withdrawn,
		offered: map[string][]string{"shenpi": {}, "shouli": {}}},
	{name: "terminated", intake: foodLicence(), steps: []caseStep{handoverStep, acceptStep, {"shenpi", casework.ActTerminate}},
		state: casework.Terminated, offered: map[string][]string{"shenpi": {}, "shouli": {}}},

	{name: "instant received", intake: socialSecurityCard(), state: casework.Received, offered: map[string][]string{
		"shouli": {"decide", "withdraw"}, "renshe": {"decide", "terminate"}, "chujian": {}}},
	{name: "instant decided", intake: socialSecurityCard(), steps: []caseStep{{"shouli", casework.ActDecide}}, state: casework.Decided,
		offered: map[string][]string{"shouli": {"deliver"}, "chujian": {"deliver"}, "renshe": {}}},
	{name: "instant delivered", intake: socialSecurityCard(),
		steps: []caseStep{{"shouli", casework.ActDecide}, {"shouli", casework.ActDeliver}}, state: casework.Delivered,
		offered: map[string][]string{"shouli": {"archive"}, "chujian": {"archive"}}},
	{name: "instant archived", intake: socialSecurityCard(),
		steps: []caseStep{{"shouli", casework.ActDecide}, {"chujian", casework.ActDeliver}, {"chujian", casework.ActArchive}},
		state: casework.Archived, offered: map[string][]string{"shouli": {}, "chujian": {}}},
	{name: "instant withdrawn", intake: socialSecurityCard(), steps: []caseStep{{"shouli", casework.ActWithdraw}},
		state: casework.Withdrawn, offered: map[string][]string{"shouli": {}, "renshe": {}}},
	{name: "instant terminated", intake: socialSecurityCard(), steps: []caseStep{{"renshe", casework.ActTerminate}},
		state: casework.Terminated, offered: map[string][]string{"shouli": {}, "renshe": {}}},

	// A delegated item taken in at 滨河街道 waits for the street's initial
	// review (委托初审); its paper travels, so nobody signs for it here.
	{name: "received at the street, initial review pending", clerk: "shouli2", intake: renewal(), state: casework.Received,
		offered: map[string][]string{"chushen": {"pass-initial-review", "return-initial-review"}, "shenpi": {"terminate"}, "shouli": {}}},
	{name: "received at the street, initial review passed", clerk: "shouli2", intake: renewal(),
		steps: []caseStep{{"chushen", casework.ActPassInitialReview}}, state: casework.Received,
		offered: map[string][]string{"chushen": {}, "shenpi": {"accept", "return", "refuse-acceptance", "terminate"}}},
}

// build takes the stage's application in and walks it to the stage.
func (d *caseDesk) build(t *testing.T, sg caseStage) string {
	t.Helper()
	var number string
	if sg.clerk != "" {
		r := d.post(t, sg.clerk, "/api/v1/cases", sg.intake)
		mustStatus(t, r, http.StatusCreated)
		number = decodeAs[caseBody](t, r).Number
	} else {
		number = d.take(t, sg.intake).Number
	}
	for _, s := range sg.steps {
		d.mustAct(t, s.user, number, s.action, nil)
	}
	return number
}

// TestCaseEveryActionInEveryState posts every action, as every account, on
// a case in every reachable state. The account's own GET decides what must
// happen: 200 when its allowed_actions list the action; 409 naming the
// state and those allowed actions when it may take the action but not now;
// 403 when it may not take it at all. A refused request leaves the case as
// it was; a taken one is recorded as one event, and the stage is rebuilt
// for the next request.
func TestCaseEveryActionInEveryState(t *testing.T) {
	eachDesk(t, "2026-09-30T09:00:00+08:00", func(t *testing.T, d *caseDesk) {
		taken := map[string]int{} // "state/action" → times taken
		for _, sg := range caseStages {
			t.Run(sg.name, func(t *testing.T) {
				number := d.build(t, sg)
				before := d.caseOf(t, "admin", number)
				if before.State != sg.state {
					t.Fatalf("stage is in %s, want %s", before.State, sg.state)
				}
				// What each account is offered, read again after a rebuild.
				var offered map[string]*reply
				look := func() {
					offered = map[string]*reply{}
					for _, a := range deskAccounts {
						offered[a.username] = d.get(t, a.username, "/api/v1/cases/"+number)
					}
				}
				look()
				for user, want := range sg.offered {
					got := decodeAs[caseBody](t, offered[user]).AllowedActions
					if !slices.Equal(got, want) {
						t.Errorf("%s is offered %q, want %q", user, got, want)
					}
				}
				for _, action := range apiActions() {
					for _, a := range deskAccounts {
						view := offered[a.username]
						readable := view.status == http.StatusOK
						if readable != mayReadCase(a, before.Department) {
							t.Errorf("%s GET: %d %s", a.username, view.status, view.body)
						}
						var allowed []string
						if readable {
							allowed = decodeAs[caseBody](t, view).AllowedActions
						}
						want := expectedStatus(a, action, before, readable, allowed)
						r := d.act(t, a.username, number, action, nil)
						what := fmt.Sprintf("%s by %s (%s) in %s", action, a.username, a.role, before.State)
						switch {
						case r.status != want:
							t.Errorf("%s: status %d, want %d (offered %q); body: %s", what, r.status, want, allowed, r.body)
						case want == http.StatusConflict:
							p := wantRefusal(t, r, http.StatusConflict, "conflict")
							if p.State != string(before.State) || !slices.Equal(orEmpty(p.AllowedActions), orEmpty(allowed)) {
								t.Errorf("%s: 409 names state %q and allowed %q; want %q and %q (%s)",
									what, p.State, p.AllowedActions, before.State, allowed, p.Detail)
							}
						case want == http.StatusForbidden:
							wantRefusal(t, r, http.StatusForbidden, "forbidden")
						}
						if r.status != http.StatusOK {
							sameAs(t, before, d.caseOf(t, "admin", number), what)
							continue
						}
						after := d.caseOf(t, "admin", number)
						if after.Version != before.Version+1 || len(after.Events) != len(before.Events)+1 ||
							after.lastEvent() != string(action)+" by "+a.username ||
							after.State != targetState(action, before.Kind, before.State) {
							t.Errorf("%s: version %d→%d, %d→%d events (last %q), state %s",
								what, before.Version, after.Version, len(before.Events), len(after.Events), after.lastEvent(), after.State)
						}
						taken[string(before.State)+"/"+string(action)]++
						number = d.build(t, sg)
						before = d.caseOf(t, "admin", number)
						look()
					}
				}
			})
		}
		// Every action of the API was taken somewhere: the stages reach
		// every row of the table but the system's and those of online
		// applications, which start from an applicant's account
		// (TestOnlineApplicationsThroughTheAPI).
		for _, action := range apiActions() {
			if onlineOnly(action) {
				continue
			}
			found := false
			for k := range taken {
				found = found || strings.HasSuffix(k, "/"+string(action))
			}
			if !found {
				t.Errorf("no stage let anyone take %s", action)
			}
		}
	})
}

// onlineOnly reports whether every row of action starts from an online
// application's states or is the system's.
func onlineOnly(action casework.Action) bool {
	for _, r := range tableRows(action, "") {
		if r.System {
			continue
		}
		for _, st := range r.From {
			if st != casework.Submitted && st != casework.RejectedOnline {
				return false
			}
		}
	}
	return true
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// deadlines checks the case's deadlines as the API sends them.
func wantDeadlines(t *testing.T, c caseBody, want map[string]string) {
	t.Helper()
	for name, at := range want {
		if got := c.Deadlines[name]; got != at {
			t.Errorf("%s %s = %q, want %q", c.Number, name, got, at)
		}
	}
}

// TestCaseDeadlines checks the deadline rules through the API at the dates
// where they turn: the Spring Festival and National Day holidays with
// their working weekend days, the 12:00 split, and the turn of the year.
func TestCaseDeadlines(t *testing.T) {
	eachDesk(t, "2026-02-13T10:00:00+08:00", func(t *testing.T, d *caseDesk) {
		intakes := []struct {
			name, at string
			in       casework.Intake
			want     map[string]string
		}{
			// Friday before the festival: Saturday 14 Feb is worked, 15–23 Feb are off.
			{"Friday morning", "2026-02-13T10:00:00+08:00", foodLicence(), map[string]string{
				"accept_by": "2026-02-24T17:00:00+08:00", "handover_by": "2026-02-13T15:00:00+08:00"}},
			{"Friday, a second before noon", "2026-02-13T11:59:59+08:00", foodLicence(), map[string]string{
				"handover_by": "2026-02-13T15:00:00+08:00"}},
			{"Friday at noon is afternoon", "2026-02-13T12:00:00+08:00", foodLicence(), map[string]string{
				"accept_by": "2026-02-24T17:00:00+08:00", "handover_by": "2026-02-14T10:00:00+08:00"}},
			{"Friday afternoon: the working Saturday", "2026-02-13T14:00:00+08:00", foodLicence(), map[string]string{
				"accept_by": "2026-02-24T17:00:00+08:00", "handover_by": "2026-02-14T10:00:00+08:00"}},
			{"the working Saturday itself", "2026-02-14T10:00:00+08:00", foodLicence(), map[string]string{
				"accept_by": "2026-02-25T17:00:00+08:00", "handover_by": "2026-02-14T15:00:00+08:00"}},
			// 30 Sep is the eve of National Day: 1–7 Oct off, Saturday 10 Oct worked.
			{"holiday eve morning", "2026-09-30T11:00:00+08:00", foodLicence(), map[string]string{
				"accept_by": "2026-10-09T17:00:00+08:00", "handover_by": "2026-09-30T15:00:00+08:00"}},
			{"holiday eve afternoon", "2026-09-30T14:00:00+08:00", foodLicence(), map[string]string{
				"accept_by": "2026-10-09T17:00:00+08:00", "handover_by": "2026-10-08T10:00:00+08:00"}},
			{"deferral due by default on the working Saturday", "2026-09-30T11:00:00+08:00", foodLicence("M05"), map[string]string{
				"supply_by": "2026-10-10T17:00:00+08:00"}},
		}
		for _, x := range intakes {
			t.Run(x.name, func(t *testing.T) {
				d.at(x.at)
				c := d.take(t, x.in)
				wantDeadlines(t, c, x.want)
				if _, ok := c.Deadlines["decide_by"]; ok {
					t.Errorf("decide_by %s before acceptance", c.Deadlines["decide_by"])
				}
			})
		}

		t.Run("the holiday eve, from intake to delivery", func(t *testing.T) {
			d.at("2026-09-30T11:00:00+08:00")
			n := d.take(t, foodLicence()).Number
			d.at("2026-09-30T11:10:00+08:00")
			c := d.mustAct(t, "shenpi", n, casework.ActHandover, nil)
			if c.HandoverAt == "" || c.running("handover_by") {
				t.Errorf("handover at %q, handover_by running: %v", c.HandoverAt, c.running("handover_by"))
			}
			d.at("2026-09-30T11:20:00+08:00")
			c = d.mustAct(t, "shenpi", n, casework.ActAccept, nil)
			// 8, 9, 10 (worked Saturday), 12, 13 October.
			wantDeadlines(t, c, map[string]string{"decide_by": "2026-10-13T17:00:00+08:00"})
			if c.running("accept_by") || !c.running("decide_by") {
				t.Errorf("running after acceptance: %+v", c.OpenDeadlines)
			}
			d.at("2026-09-30T11:25:00+08:00")
			d.mustAct(t, "shenpi", n, casework.ActExtend, casework.Input{Days: 3, Reason: "需补充现场核查"})
			c = d.mustAct(t, "bumen", n, casework.ActApproveExtension, nil)
			wantDeadlines(t, c, map[string]string{"decide_by": "2026-10-16T17:00:00+08:00"})
			d.at("2026-09-30T11:30:00+08:00")
			d.mustAct(t, "shenpi", n, casework.ActDecide, nil)
			d.mustAct(t, "shenpi", n, casework.ActSubmitResult, nil)
			d.at("2026-09-30T11:50:00+08:00")
			c = d.mustAct(t, "chujian", n, casework.ActRefuseResult, nil)
			// Correction within one working day: the first after the holiday.
			wantDeadlines(t, c, map[string]string{"correct_by": "2026-10-08T17:00:00+08:00"})
			if !c.running("correct_by") || c.Result != "refused" {
				t.Errorf("refused result: %s, running %+v", c.Result, c.OpenDeadlines)
			}
			d.at("2026-09-30T14:00:00+08:00")
			c = d.mustAct(t, "shenpi", n, casework.ActSubmitResult, nil)
			if c.running("correct_by") {
				t.Errorf("correct_by still running after the corrected result: %+v", c.OpenDeadlines)
			}
			d.mustAct(t, "chujian", n, casework.ActAcceptResult, nil)
			d.at("2026-09-30T15:00:00+08:00")
			c = d.mustAct(t, "chujian", n, casework.ActDeliver, nil)
			wantDeadlines(t, c, map[string]string{"archive_by": "2026-10-08T17:00:00+08:00"})
			if c.Warning != "yellow" {
				t.Errorf("archive due on the next working day: warning %q, want yellow", c.Warning)
			}
			d.at("2026-10-05T10:00:00+08:00") // still yellow all through the holiday
			if c = d.caseOf(t, "chujian", n); c.Warning != "yellow" {
				t.Errorf("during the holiday: warning %q, want yellow", c.Warning)
			}
			d.at("2026-10-08T17:00:01+08:00")
			if c = d.caseOf(t, "chujian", n); c.Warning != "red" {
				t.Errorf("a second after archive_by: warning %q, want red", c.Warning)
			}
			if red := d.list(t, "chujian", "?warning=red"); !slices.ContainsFunc(red, func(x caseBody) bool { return x.Number == n }) {
				t.Errorf("the red list lacks %s", n)
			}
			c = d.mustAct(t, "chujian", n, casework.ActArchive, nil)
			if c.Warning != "none" || c.Events[len(c.Events)-1].Details["on_time"] != false {
				t.Errorf("archived late: warning %q, details %v", c.Warning, c.Events[len(c.Events)-1].Details)
			}
		})

		t.Run("the turn of the year, with a pause", func(t *testing.T) {
			d.at("2026-12-29T10:00:00+08:00")
			n := d.take(t, foodLicence()).Number
			d.mustAct(t, "shenpi", n, casework.ActHandover, nil)
			d.at("2026-12-30T10:00:00+08:00")
			c := d.mustAct(t, "shenpi", n, casework.ActAccept, nil)
			// 31 Dec (Thu) is the 1st; 1 Jan is off, 2–3 Jan a weekend; 4–7 Jan the 2nd to 5th.
			wantDeadlines(t, c, map[string]string{"decide_by": "2027-01-07T17:00:00+08:00"})
			d.at("2026-12-31T09:00:00+08:00")
			c = d.mustAct(t, "shenpi", n, casework.ActPause, nil)
			if !c.Paused || c.running("decide_by") || c.Warning != "none" {
				t.Errorf("paused %v, running %+v, warning %q", c.Paused, c.OpenDeadlines, c.Warning)
			}
			d.at("2027-01-08T09:00:00+08:00") // past the old decide_by, but the clock stopped
			if c = d.caseOf(t, "shenpi", n); c.Warning != "none" {
				t.Errorf("paused past the old decide_by: warning %q", c.Warning)
			}
			d.at("2027-01-05T09:00:00+08:00")
			c = d.mustAct(t, "shenpi", n, casework.ActResume, nil)
			// The pause spanned 4 and 5 January: two working days more, 8 and 11 January.
			wantDeadlines(t, c, map[string]string{"decide_by": "2027-01-11T17:00:00+08:00"})
			if e := c.Events[len(c.Events)-1]; e.Details["paused_days"] != float64(2) {
				t.Errorf("resume event details %v, want paused_days 2", e.Details)
			}
			if c.Paused || !c.running("decide_by") {
				t.Errorf("resumed: paused %v, running %+v", c.Paused, c.OpenDeadlines)
			}
			d.at("2027-01-08T10:00:00+08:00")
			if c = d.caseOf(t, "shenpi", n); c.Warning != "yellow" {
				t.Errorf("one working day before decide_by: warning %q, want yellow", c.Warning)
			}
			d.at("2027-01-11T17:00:01+08:00")
			if c = d.caseOf(t, "shenpi", n); c.Warning != "red" {
				t.Errorf("after decide_by: warning %q, want red", c.Warning)
			}
			c = d.mustAct(t, "shenpi", n, casework.ActDecide, nil)
			if c.Events[len(c.Events)-1].Details["on_time"] != false {
				t.Errorf("late decision recorded as on time: %v", c.Events[len(c.Events)-1].Details)
			}
		})
	})
}

// TestCaseWarnings checks the warnings and the work lists: red cases lead,
// and ?warning=red lists exactly the red ones.
func TestCaseWarnings(t *testing.T) {
	eachDesk(t, "2026-09-30T09:00:00+08:00", func(t *testing.T, d *caseDesk) {
		papersDue := d.take(t, foodLicence()).Number // handover by 15:00 today
		d.at("2026-09-30T09:05:00+08:00")
		onlyAccept := d.take(t, foodLicence()).Number // accept by 9 Oct
		d.mustAct(t, "shenpi", onlyAccept, casework.ActHandover, nil)
		d.at("2026-09-30T09:10:00+08:00")
		accepted := d.take(t, foodLicence()).Number // decide by 13 Oct
		d.mustAct(t, "shenpi", accepted, casework.ActHandover, nil)
		d.mustAct(t, "shenpi", accepted, casework.ActAccept, nil)
		instant := d.take(t, socialSecurityCard()).Number // to be finished by 17:00 that day (R7)
		d.at("2026-09-30T14:00:00+08:00")
		afternoon := d.take(t, foodLicence()).Number // handover by 10:00 on 8 Oct

		check := func(t *testing.T, want map[string]string) {
			t.Helper()
			all := d.list(t, "shouli", "")
			if len(all) != len(want) {
				t.Fatalf("%d cases listed, want %d", len(all), len(want))
			}
			seenOther := false
			for _, c := range all {
				if c.Warning != want[c.Number] {
					t.Errorf("%s: warning %q, want %q", c.Number, c.Warning, want[c.Number])
				}
				if got := d.caseOf(t, "shouli", c.Number).Warning; got != c.Warning {
					t.Errorf("%s: GET says %q, the list %q", c.Number, got, c.Warning)
				}
				if c.Warning != "red" {
					seenOther = true
				} else if seenOther {
					t.Errorf("red case %s listed after a case that is not red", c.Number)
				}
			}
			var wantRed, gotRed []string
			for n, w := range want {
				if w == "red" {
					wantRed = append(wantRed, n)
				}
			}
			for _, c := range d.list(t, "shouli", "?warning=red") {
				gotRed = append(gotRed, c.Number)
				if c.Warning != "red" {
					t.Errorf("%s in the red list with warning %q", c.Number, c.Warning)
				}
			}
			sort.Strings(wantRed)
			sort.Strings(gotRed)
			if !slices.Equal(gotRed, wantRed) {
				t.Errorf("red list %q, want %q", gotRed, wantRed)
			}
		}
		t.Run("holiday eve, 15:30", func(t *testing.T) {
			d.at("2026-09-30T15:30:00+08:00")
			check(t, map[string]string{papersDue: "red", onlyAccept: "none", accepted: "none", instant: "yellow", afternoon: "yellow"})
		})
		t.Run("first day after the holiday, 10:30", func(t *testing.T) {
			d.at("2026-10-08T10:30:00+08:00")
			check(t, map[string]string{papersDue: "red", onlyAccept: "yellow", accepted: "none", instant: "red", afternoon: "red"})
		})
		t.Run("10 October, the working Saturday", func(t *testing.T) {
			d.at("2026-10-10T09:00:00+08:00")
			check(t, map[string]string{papersDue: "red", onlyAccept: "red", accepted: "none", instant: "red", afternoon: "red"})
		})
		t.Run("13 October, decide_by today", func(t *testing.T) {
			d.at("2026-10-13T09:00:00+08:00")
			check(t, map[string]string{papersDue: "red", onlyAccept: "red", accepted: "yellow", instant: "red", afternoon: "red"})
		})
	})
}

// TestCaseRaces has eight clerks take the same next step on the same cases
// at once: each step is taken exactly once, the rest are refused, and the
// record stays whole.
func TestCaseRaces(t *testing.T) {
	eachDesk(t, "2026-09-30T09:00:00+08:00", func(t *testing.T, d *caseDesk) {
		const clerks = 8
		// attempt is one clerk's try of an action on a case.
		type attempt struct {
			number string
			caseStep
		}
		// race sends every attempt at once and returns the replies in order.
		race := func(t *testing.T, attempts []attempt) []*reply {
			t.Helper()
			out := make([]*reply, len(attempts))
			errs := make([]error, len(attempts))
			var wg sync.WaitGroup
			gate := make(chan struct{})
			for i, a := range attempts {
				wg.Go(func() {
					<-gate
					if a.action == casework.ActIntake {
						out[i], errs[i] = d.send(http.MethodPost, a.user, "/api/v1/cases", foodLicence())
					} else {
						out[i], errs[i] = d.send(http.MethodPost, a.user, actionPath(a.number, a.action), validInput[a.action])
					}
				})
			}
			close(gate)
			wg.Wait()
			for _, err := range errs {
				if err != nil {
					t.Fatal(err)
				}
			}
			return out
		}
		transitions := 0 // successful transitions, for the audit
		// winners races the attempts and returns, per case, the actions
		// that were taken; every other attempt must be a 409.
		winners := func(t *testing.T, attempts []attempt) map[string][]casework.Action {
			t.Helper()
			won := map[string][]casework.Action{}
			for i, r := range race(t, attempts) {
				a := attempts[i]
				switch r.status {
				case http.StatusOK:
					won[a.number] = append(won[a.number], a.action)
					transitions++
				case http.StatusConflict:
					wantRefusal(t, r, http.StatusConflict, "conflict")
				default:
					t.Errorf("%s %s by %s: %d %s", a.action, a.number, a.user, r.status, r.body)
				}
			}
			return won
		}

		// Eight intakes at once get eight distinct numbers of the day, in
		// sequence, that sort as they count.
		var intakes []attempt
		for range clerks {
			intakes = append(intakes, attempt{caseStep: caseStep{"shouli", casework.ActIntake}})
		}
		var numbers []string
		for _, r := range race(t, intakes) {
			mustStatus(t, r, http.StatusCreated)
			numbers = append(numbers, decodeAs[caseBody](t, r).Number)
		}
		sort.Strings(numbers)
		for i, n := range numbers {
			if want := fmt.Sprintf("20260930%06d", i+1); n != want {
				t.Fatalf("case numbers %q: want 20260930000001 … 20260930000008", numbers)
			}
		}

		// Four cases go the whole way, every step tried by eight clerks at
		// once on all four.
		same := numbers[:4]
		steps := []caseStep{handoverStep, acceptStep, decideStep, submitStep, takeResultStep,
			{"chujian", casework.ActDeliver}, {"chujian", casework.ActArchive}}
		for _, s := range steps {
			var attempts []attempt
			for range clerks {
				for _, n := range same {
					attempts = append(attempts, attempt{n, s})
				}
			}
			won := winners(t, attempts)
			for _, n := range same {
				if len(won[n]) != 1 {
					t.Errorf("%s on %s taken %d times by %d clerks at once, want once", s.action, n, len(won[n]), clerks)
				}
			}
		}

		// Four cases get rival actions at once, each of which rules out the
		// others: accept or return; withdraw or terminate. Exactly one
		// wins, and the case ends where the winner sent it.
		rivals := [][]caseStep{
			{acceptStep, {"shenpi", casework.ActReturn}},
			{{"shouli", casework.ActWithdraw}, {"shenpi", casework.ActTerminate}},
		}
		end := map[casework.Action]casework.State{
			casework.ActAccept: casework.Accepted, casework.ActReturn: casework.Returned,
			casework.ActWithdraw: casework.Withdrawn, casework.ActTerminate: casework.Terminated,
		}
		mixed := numbers[4:]
		var attempts []attempt
		for i := range clerks {
			for j, n := range mixed {
				pair := rivals[j%len(rivals)]
				attempts = append(attempts, attempt{n, pair[i%len(pair)]})
			}
		}
		won := winners(t, attempts)
		for _, n := range mixed {
			if len(won[n]) != 1 {
				t.Errorf("%s: taken by %v at once, want exactly one", n, won[n])
				continue
			}
			if c := d.caseOf(t, "admin", n); c.State != end[won[n][0]] || len(c.Events) != 2 {
				t.Errorf("%s: %s won, yet the case is %s with %d events", n, won[n][0], c.State, len(c.Events))
			}
		}

		// Each case is where it must be, its record numbered without gaps,
		// and the chains hold every event and nothing more.
		events := 0
		for _, n := range numbers {
			c := d.caseOf(t, "admin", n)
			if slices.Contains(same, n) && (c.State != casework.Archived || len(c.Events) != 1+len(steps)) {
				t.Errorf("%s: %s with %d events, want archived with %d", n, c.State, len(c.Events), 1+len(steps))
			}
			for i, e := range c.Events {
				if e.Seq != i+1 {
					t.Errorf("%s: event %d has seq %d", n, i+1, e.Seq)
				}
			}
			if c.Version != len(c.Events) {
				t.Errorf("%s: version %d with %d events", n, c.Version, len(c.Events))
			}
			events += len(c.Events)
		}
		rep, err := d.svc.VerifyAudit(service.AsSystem(context.Background()))
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Breaks) != 0 || rep.Cases != len(numbers) || rep.Events != len(numbers)+transitions || events != rep.Events {
			t.Errorf("audit: %d cases, %d events, breaks %+v; want %d cases, %d events (%d intakes + %d transitions), none broken; GET showed %d",
				rep.Cases, rep.Events, rep.Breaks, len(numbers), len(numbers)+transitions, len(numbers), transitions, events)
		}
	})
}

// TestCaseStaleVersion: an action on a version the actor no longer sees is
// refused and changes nothing.
func TestCaseStaleVersion(t *testing.T) {
	eachDesk(t, "2026-09-30T09:00:00+08:00", func(t *testing.T, d *caseDesk) {
		n := d.take(t, foodLicence()).Number
		seen := d.caseOf(t, "shenpi", n) // version 1
		d.mustAct(t, "shenpi", n, casework.ActHandover, map[string]any{"version": seen.Version})
		before := d.caseOf(t, "shenpi", n)
		r := d.act(t, "shenpi", n, casework.ActAccept, map[string]any{"version": seen.Version})
		p := wantRefusal(t, r, http.StatusConflict, "conflict")
		if !strings.Contains(p.Detail, "已被他人修改") {
			t.Errorf("detail %q does not say the case moved on", p.Detail)
		}
		sameAs(t, before, d.caseOf(t, "shenpi", n), "a stale accept")
		r = d.act(t, "shenpi", n, casework.ActAccept, map[string]any{"version": before.Version + 5})
		wantRefusal(t, r, http.StatusConflict, "conflict")
		sameAs(t, before, d.caseOf(t, "shenpi", n), "an accept on a version from the future")
		c := d.mustAct(t, "shenpi", n, casework.ActAccept, map[string]any{"version": before.Version})
		if c.State != casework.Accepted || c.Version != before.Version+1 {
			t.Errorf("accept on the current version: %s, version %d", c.State, c.Version)
		}
	})
}

// TestCaseFailedWrite makes the database refuse the documents a transition
// writes last: the request fails as an internal error that says nothing of
// the cause, and neither the change nor its event is kept.
func TestCaseFailedWrite(t *testing.T) {
	eachDesk(t, "2026-09-30T09:00:00+08:00", func(t *testing.T, d *caseDesk) {
		db := d.st.DB()
		exec := func(t *testing.T, q string) {
			t.Helper()
			if _, err := db.Exec(q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		first := d.take(t, foodLicence())
		n := first.Number
		before := d.caseOf(t, "shenpi", n)
		if before.HandoverAt != "" || !before.running("handover_by") {
			t.Fatalf("papers not pending: %+v", before)
		}

		if d.st.Dialect() == store.Postgres {
			exec(t, `CREATE FUNCTION case_documents_boom() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'boom'; END $$`)
			exec(t, `CREATE TRIGGER case_documents_boom BEFORE INSERT ON case_documents FOR EACH ROW EXECUTE FUNCTION case_documents_boom()`)
		} else {
			exec(t, `CREATE TRIGGER case_documents_boom BEFORE INSERT ON case_documents BEGIN SELECT RAISE(ABORT, 'boom'); END`)
		}
		internal := func(t *testing.T, r *reply) {
			t.Helper()
			p := wantRefusal(t, r, http.StatusInternalServerError, "internal")
			if strings.Contains(string(r.body), "boom") || strings.Contains(string(r.body), "case_documents") || p.Detail != "系统内部错误，请稍后重试" {
				t.Errorf("the failure leaks its cause: %s", r.body)
			}
		}
		internal(t, d.act(t, "shenpi", n, casework.ActHandover, nil))
		after := d.caseOf(t, "shenpi", n)
		sameAs(t, before, after, "a failed handover")
		if after.HandoverAt != "" || !after.running("handover_by") || !slices.Contains(after.AllowedActions, "handover") {
			t.Errorf("after the failed handover: handover_at %q, running %+v, offered %q", after.HandoverAt, after.OpenDeadlines, after.AllowedActions)
		}
		// An intake, which writes its receipt notice last, fails whole too:
		// no case, no event (and on SQLite its number is not used up).
		internal(t, d.post(t, "shouli", "/api/v1/cases", foodLicence()))
		if all := d.list(t, "shouli", ""); len(all) != 1 {
			t.Errorf("%d cases after a failed intake, want 1", len(all))
		}

		if d.st.Dialect() == store.Postgres {
			exec(t, `DROP TRIGGER case_documents_boom ON case_documents`)
			exec(t, `DROP FUNCTION case_documents_boom()`)
		} else {
			exec(t, `DROP TRIGGER case_documents_boom`)
		}
		c := d.mustAct(t, "shenpi", n, casework.ActHandover, nil)
		if c.Version != before.Version+1 || c.HandoverAt == "" || len(c.Events) != len(before.Events)+1 ||
			len(c.Documents) != len(before.Documents)+1 || c.Documents[len(c.Documents)-1].Kind != "handover_sheet" {
			t.Errorf("handover after the fault: version %d, handover_at %q, %d events, documents %+v", c.Version, c.HandoverAt, len(c.Events), c.Documents)
		}
		// SQLite numbers inside the case's transaction: the failed intake
		// used none. PostgreSQL takes the number before it (no lock held
		// across the transaction, README "Throughput under load"): the
		// failed intake leaves a gap, and numbers stay unique and ordered.
		want := "20260930000002"
		if d.st.Dialect() == store.Postgres {
			want = "20260930000003"
		}
		if next := d.take(t, foodLicence()).Number; next != want {
			t.Errorf("next case number %s, want %s", next, want)
		}
		rep, err := d.svc.VerifyAudit(service.AsSystem(context.Background()))
		if err != nil || len(rep.Breaks) != 0 || rep.Events != 3 {
			t.Errorf("audit %+v, %v; want 3 events, no breaks", rep, err)
		}
	})
}

// TestCaseTampering: the record refuses updates and deletes; with its
// guard removed, a changed event is found by the chain check.
func TestCaseTampering(t *testing.T) {
	eachDesk(t, "2026-09-30T09:00:00+08:00", func(t *testing.T, d *caseDesk) {
		db := d.st.DB()
		n := d.take(t, foodLicence()).Number
		for _, s := range []caseStep{handoverStep, acceptStep, decideStep} {
			d.mustAct(t, s.user, n, s.action, nil)
		}
		other := d.take(t, socialSecurityCard()).Number
		d.mustAct(t, "shouli", other, casework.ActDecide, nil)
		ctx := service.AsSystem(context.Background())
		rep, err := d.svc.VerifyAudit(ctx)
		if err != nil || len(rep.Breaks) != 0 || rep.Cases != 2 || rep.Events != 6 {
			t.Fatalf("audit before: %+v, %v", rep, err)
		}

		const tamper = `UPDATE case_events SET details = '{"on_time":true,"note":"edited"}'
			WHERE seq = 2 AND case_id = (SELECT id FROM cases WHERE number = $1)`
		const remove = `DELETE FROM case_events WHERE seq = 4 AND case_id = (SELECT id FROM cases WHERE number = $1)`
		if _, err := db.Exec(tamper, n); err == nil {
			t.Error("an event was updated in place")
		}
		if _, err := db.Exec(remove, n); err == nil {
			t.Error("an event was deleted")
		}
		if rep, err := d.svc.VerifyAudit(ctx); err != nil || len(rep.Breaks) != 0 || rep.Events != 6 {
			t.Fatalf("audit after refused tampering: %+v, %v", rep, err)
		}

		drop := `DROP TRIGGER case_events_no_update`
		if d.st.Dialect() == store.Postgres {
			drop = `DROP TRIGGER case_events_append_only ON case_events`
		}
		if _, err := db.Exec(drop); err != nil {
			t.Fatal(err)
		}
		if res, err := db.Exec(tamper, n); err != nil {
			t.Fatal(err)
		} else if k, _ := res.RowsAffected(); k != 1 {
			t.Fatalf("%d events changed", k)
		}
		rep, err = d.svc.VerifyAudit(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Breaks) != 1 || rep.Breaks[0].Number != n || rep.Breaks[0].Seq != 2 {
			t.Errorf("breaks %+v, want one at %s event 2", rep.Breaks, n)
		}
	})
}

// TestCaseVisibility: departments see their own cases only, and nobody
// sees an applicant's full ID number.
func TestCaseVisibility(t *testing.T) {
	eachDesk(t, "2026-09-30T09:00:00+08:00", func(t *testing.T, d *caseDesk) {
		food := d.take(t, foodLicence())
		card := d.take(t, socialSecurityCard())
		if food.Applicant.IDNumber != "913501********0Y43" || card.Applicant.IDNumber != "110105********002X" {
			t.Errorf("intake shows %q and %q, want them masked (first 6, last 4)", food.Applicant.IDNumber, card.Applicant.IDNumber)
		}
		for _, user := range []string{"shouli", "chujian", "shenpi", "bumen", "admin", "jiandu"} {
			if c := d.caseOf(t, user, food.Number); c.Applicant.IDNumber != "913501********0Y43" {
				t.Errorf("%s sees %q", user, c.Applicant.IDNumber)
			}
		}
		if c := d.caseOf(t, "renshe", card.Number); c.Applicant.IDNumber != "110105********002X" {
			t.Errorf("renshe sees %q", c.Applicant.IDNumber)
		}

		p := wantRefusal(t, d.get(t, "shenpi2", "/api/v1/cases/"+food.Number), http.StatusForbidden, "forbidden")
		if !strings.Contains(p.Detail, "SCJG") {
			t.Errorf("detail %q", p.Detail)
		}
		wantRefusal(t, d.get(t, "shenpi", "/api/v1/cases/"+card.Number), http.StatusForbidden, "forbidden")
		// To an agent without the applicant's mandate the case is not there,
		// as a number that names no case is not (issue 10, defect 12).
		wantRefusal(t, d.get(t, "daiban", "/api/v1/cases/"+card.Number), http.StatusNotFound, "not_found")
		wantRefusal(t, d.get(t, "shenpi", "/api/v1/cases?department=RSJ"), http.StatusForbidden, "forbidden")
		wantRefusal(t, d.get(t, "shenpi", "/api/v1/cases/20260930999999"), http.StatusNotFound, "not_found")
		wantRefusal(t, d.get(t, "shenpi", "/api/v1/cases/NOPE"), http.StatusUnprocessableEntity, "invalid")

		numbers := func(cs []caseBody) []string {
			var out []string
			for _, c := range cs {
				out = append(out, c.Number+"/"+c.Department)
			}
			return out
		}
		if got := numbers(d.list(t, "shenpi", "")); !slices.Equal(got, []string{food.Number + "/SCJG"}) {
			t.Errorf("shenpi lists %q", got)
		}
		if got := numbers(d.list(t, "shenpi2", "")); len(got) != 0 {
			t.Errorf("shenpi2 lists %q", got)
		}
		if got := d.list(t, "jiandu", ""); len(got) != 2 {
			t.Errorf("the supervisor lists %q", numbers(got))
		}
		// The full number finds the case, and is not shown back.
		if got := numbers(d.list(t, "shouli", "?q="+url.QueryEscape(personID))); !slices.Equal(got, []string{card.Number + "/RSJ"}) {
			t.Errorf("search by ID number finds %q", got)
		}
		// Documents and events carry the masked number only (send checks
		// every body, this one included).
		d.mustAct(t, "shouli", card.Number, casework.ActDecide, nil)
		c := d.mustAct(t, "shouli", card.Number, casework.ActDeliver, nil)
		if len(c.Documents) < 2 {
			t.Errorf("documents %+v", c.Documents)
		}
	})
}

// TestCaseLapse: deferred materials not supplied by their due date end the
// case, once, by the system.
func TestCaseLapse(t *testing.T) {
	eachDesk(t, "2026-09-30T11:00:00+08:00", func(t *testing.T, d *caseDesk) {
		ctx := context.Background()
		lapsing := d.take(t, foodLicence("M05"))
		wantDeadlines(t, lapsing, map[string]string{"supply_by": "2026-10-10T17:00:00+08:00"})
		// Accepted, so that the only deadline near is supply_by (decide_by is 13 Oct).
		d.mustAct(t, "shenpi", lapsing.Number, casework.ActHandover, nil)
		d.mustAct(t, "shenpi", lapsing.Number, casework.ActAccept, nil)
		supplied := d.take(t, foodLicence("M05")).Number
		d.mustAct(t, "shouli", supplied, casework.ActSupply, nil)

		sweep := func(t *testing.T, want int) {
			t.Helper()
			if n, err := d.svc.SweepLapsed(ctx); err != nil || n != want {
				t.Errorf("sweep: %d, %v; want %d", n, err, want)
			}
		}
		d.at("2026-10-10T17:00:00+08:00") // due at this very moment: not yet late
		sweep(t, 0)
		if c := d.caseOf(t, "shouli", lapsing.Number); c.State != casework.Accepted || c.Warning != "yellow" {
			t.Errorf("on the due time: %s, warning %q", c.State, c.Warning)
		}
		d.at("2026-10-10T17:00:01+08:00")
		if c := d.caseOf(t, "shouli", lapsing.Number); c.Warning != "red" || !slices.Contains(c.AllowedActions, "supply") {
			t.Errorf("late, before the sweep: warning %q, offered %q", c.Warning, c.AllowedActions)
		}
		sweep(t, 1)
		c := d.caseOf(t, "shouli", lapsing.Number)
		last := c.Events[len(c.Events)-1]
		if c.State != casework.Terminated || len(c.Events) != 4 || last.Type != "lapse" || last.Actor != "system" ||
			last.Role != "system" || last.From != "accepted" || last.To != "terminated" || c.CloseReason == "" {
			t.Errorf("after the sweep: %s, %d events, last %+v, reason %q", c.State, len(c.Events), last, c.CloseReason)
		}
		if len(c.AllowedActions) != 0 || c.running("supply_by") {
			t.Errorf("terminated case offers %q, running %+v", c.AllowedActions, c.OpenDeadlines)
		}
		sweep(t, 0)
		if c := d.caseOf(t, "shouli", supplied); c.State != casework.Received || len(c.Events) != 2 {
			t.Errorf("the supplied case: %s, %d events", c.State, len(c.Events))
		}
		rep, err := d.svc.VerifyAudit(service.AsSystem(ctx))
		if err != nil || len(rep.Breaks) != 0 || rep.Events != 6 {
			t.Errorf("audit %+v, %v", rep, err)
		}
	})
}
