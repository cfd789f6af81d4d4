package casework_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/org"
)

// The people of a department's review in levels: 承办 and 审核 are
// reviewers other than reviewer("SCJG"), who (or the department's admin)
// approves in the table's fixtures.
var (
	handler = casework.Actor{Username: "chengban", Role: org.RoleReviewer, DepartmentCode: "SCJG", Desk: "web"}
	checker = casework.Actor{Username: "shenhe", Role: org.RoleReviewer, DepartmentCode: "SCJG", Desk: "web"}
)

// levels takes in a SCJG-XK-001 case at now under a version of the item
// with n review levels.
func levels(t testing.TB, n int, now time.Time) *history {
	t.Helper()
	it := item(t, promisedItem)
	it.ReviewLevels = n
	c, ev, docs, err := casework.NewCase(promisedIntake(), it, intakeClerk, env(now))
	if err != nil {
		t.Fatalf("intake: %v", err)
	}
	c.Number = caseNumber
	return &history{t: t, c: c, now: now, events: []*casework.Event{ev}, docs: [][]casework.Document{docs}}
}

// readyLevels is a case of n levels, accepted, its papers handed over and
// its deferred materials supplied.
func readyLevels(t testing.TB, n int) *history {
	rev := reviewer("SCJG")
	return levels(t, n, at(2026, 3, 2, 9, 0)).
		do(casework.ActAccept, casework.Input{}, rev).
		do(casework.ActSupply, validInput(casework.ActSupply), intakeClerk).
		do(casework.ActHandover, casework.Input{}, rev)
}

func hearing() casework.Input {
	return casework.Input{Procedure: casework.ProcHearing, Reason: "申请人申请听证，利害关系人三人参加", Days: 5}
}

func detailsOf(t testing.TB, ev *casework.Event) map[string]any {
	t.Helper()
	var d map[string]any
	if err := json.Unmarshal(ev.Details, &d); err != nil {
		t.Fatal(err)
	}
	return d
}

// try applies action to a copy of the case and returns the error.
func try(h *history, action casework.Action, in casework.Input, a casework.Actor) error {
	c := cloneCase(h.c)
	_, _, err := casework.Apply(c, action, in, a, env(h.now.Add(time.Minute)))
	if err != nil && !equalCase(c, h.c) {
		h.t.Fatalf("a refused %s changed the case", action)
	}
	return err
}

func equalCase(a, b *casework.Case) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}

func TestThreeLevelsByThreePeople(t *testing.T) {
	h := readyLevels(t, 3)
	admin := deptAdmin("SCJG")
	if h.c.ReviewLevels != 3 || h.c.PendingLevel() != casework.LevelHandle {
		t.Fatalf("levels %d, pending %v; want 3 levels, 承办 pending", h.c.ReviewLevels, h.c.PendingLevel())
	}
	// Nothing may be decided before 承办 and 审核.
	wantCode(t, try(h, casework.ActDecide, validInput(casework.ActDecide), admin), apperr.Conflict)
	wantCode(t, try(h, casework.ActCheck, casework.Input{}, checker), apperr.Conflict)
	h.do(casework.ActPropose, validInput(casework.ActPropose), handler)
	if p := h.c.Proposal(); p == nil || p.By != "chengban" || p.Outcome != casework.Approve {
		t.Fatalf("proposal = %+v", p)
	}
	wantCode(t, try(h, casework.ActDecide, validInput(casework.ActDecide), admin), apperr.Conflict)
	h.do(casework.ActCheck, casework.Input{Reason: "同意承办意见"}, checker)
	if h.c.PendingLevel() != casework.LevelApprove {
		t.Fatalf("pending = %v after 审核, want 批准", h.c.PendingLevel())
	}
	// The approver's decision takes the proposed outcome when none is given.
	h.do(casework.ActDecide, casework.Input{Confirm: true, ResultDocument: "食品经营许可证 JY1320120000001"}, admin)
	if h.c.State != casework.Decided || h.c.Outcome != casework.Approve {
		t.Fatalf("after 批准: %s %s", h.c.State, h.c.Outcome)
	}
	var got []string
	for _, ev := range h.events[len(h.events)-3:] {
		d := detailsOf(t, ev)
		got = append(got, string(ev.Type)+"/"+ev.Actor)
		if d["levels"] != float64(3) {
			t.Errorf("%s: details %v do not name the case's levels", ev.Type, d)
		}
	}
	want := []string{"propose/chengban", "check/shenhe", "decide/adm-scjg"}
	if !slices.Equal(got, want) {
		t.Errorf("events = %v, want %v", got, want)
	}
	if d := detailsOf(t, h.events[len(h.events)-1]); d["level"] != string(casework.LevelApprove) {
		t.Errorf("decision details %v do not record 批准", d)
	}
}

func TestNobodyDoesTwoLevels(t *testing.T) {
	h := readyLevels(t, 3).do(casework.ActPropose, validInput(casework.ActPropose), handler)
	err := try(h, casework.ActCheck, casework.Input{}, handler)
	wantCode(t, err, apperr.Forbidden)
	if msg := apperr.MessageOf(err); !strings.Contains(msg, "不同人员") || !strings.Contains(msg, "承办") {
		t.Errorf("message %q does not say why", msg)
	}
	if slices.Contains(casework.Allowed(h.c, handler, env(h.now)), casework.ActCheck) {
		t.Error("Allowed offers 审核 to the person who proposed")
	}
	h.do(casework.ActCheck, casework.Input{}, checker)
	for _, a := range []casework.Actor{handler, checker} {
		err := try(h, casework.ActDecide, validInput(casework.ActDecide), a)
		wantCode(t, err, apperr.Forbidden)
		if slices.Contains(casework.Allowed(h.c, a, env(h.now)), casework.ActDecide) {
			t.Errorf("Allowed offers 批准 to %s, who did a lower level", a.Username)
		}
	}
	// Nor may a lower level send its own step back.
	wantCode(t, try(h, casework.ActSendBack, validInput(casework.ActSendBack), checker), apperr.Forbidden)
	// Only a reviewer proposes: the department's admin checks and approves.
	h2 := readyLevels(t, 3)
	wantCode(t, try(h2, casework.ActPropose, validInput(casework.ActPropose), deptAdmin("SCJG")), apperr.Forbidden)
	// Nor the reviewer of another department.
	wantCode(t, try(h2, casework.ActPropose, validInput(casework.ActPropose), reviewer("WSJK")), apperr.Forbidden)
}

func TestSendBackToTheLevelBelow(t *testing.T) {
	h := readyLevels(t, 3).
		do(casework.ActPropose, validInput(casework.ActPropose), handler).
		do(casework.ActCheck, casework.Input{}, checker)
	approver := reviewer("SCJG")
	wantField(t, try(h, casework.ActSendBack, casework.Input{}, approver), "reason")
	h.do(casework.ActSendBack, casework.Input{Reason: "请审核冷链设施核查情况"}, approver)
	if h.c.PendingLevel() != casework.LevelCheck || len(h.c.Review) != 1 || h.c.SendBacks != 1 {
		t.Fatalf("after 批准 sent back: pending %v, review %+v, send-backs %d", h.c.PendingLevel(), h.c.Review, h.c.SendBacks)
	}
	d := detailsOf(t, h.events[len(h.events)-1])
	if d["level"] != string(casework.LevelApprove) || d["to_level"] != string(casework.LevelCheck) || d["reason"] != "请审核冷链设施核查情况" {
		t.Errorf("send-back details = %v", d)
	}
	// 审核 sends it on down to 承办, who proposes again.
	h.do(casework.ActSendBack, casework.Input{Reason: "补充冷链设施核查意见"}, checker)
	if h.c.PendingLevel() != casework.LevelHandle || h.c.Proposal() != nil {
		t.Fatalf("after 审核 sent back: pending %v, review %+v", h.c.PendingLevel(), h.c.Review)
	}
	wantCode(t, try(h, casework.ActSendBack, validInput(casework.ActSendBack), approver), apperr.Conflict)
	h.do(casework.ActPropose, casework.Input{Outcome: casework.Deny, Reason: "冷链设施不符合要求，拟不予许可"}, handler).
		do(casework.ActCheck, casework.Input{}, checker)
	// The approver may not decide otherwise than proposed: they send back.
	err := try(h, casework.ActDecide, validInput(casework.ActDecide), approver)
	wantField(t, err, "outcome")
	h.do(casework.ActDecide, casework.Input{Confirm: true, Outcome: casework.Deny, Reason: "冷链设施不符合要求", ResultDocument: "不予许可决定书"}, approver)
	if h.c.Outcome != casework.Deny {
		t.Fatalf("outcome = %s", h.c.Outcome)
	}
}

func TestTwoLevels(t *testing.T) {
	h := readyLevels(t, 2)
	if got := h.c.LevelsOf(); !slices.Equal(got, []casework.Level{casework.LevelHandle, casework.LevelApprove}) {
		t.Fatalf("levels = %v", got)
	}
	h.do(casework.ActPropose, validInput(casework.ActPropose), handler)
	wantCode(t, try(h, casework.ActCheck, casework.Input{}, checker), apperr.Conflict)
	h.do(casework.ActSendBack, validInput(casework.ActSendBack), checker)
	if h.c.Proposal() != nil {
		t.Fatal("send-back from 批准 of two levels kept the proposal")
	}
	h.do(casework.ActPropose, validInput(casework.ActPropose), handler).
		do(casework.ActDecide, validInput(casework.ActDecide), checker)
	if h.c.State != casework.Decided {
		t.Fatalf("state = %s", h.c.State)
	}
}

func TestOneLevelAsBefore(t *testing.T) {
	h := readyLevels(t, 1)
	rev := reviewer("SCJG")
	for _, action := range []casework.Action{casework.ActPropose, casework.ActCheck, casework.ActSendBack} {
		wantCode(t, try(h, action, validInput(action), rev), apperr.Conflict)
	}
	wantCode(t, try(h, casework.ActDecide, validInput(casework.ActDecide), deptAdmin("SCJG")), apperr.Conflict)
	h.do(casework.ActDecide, validInput(casework.ActDecide), rev)
	if h.c.State != casework.Decided {
		t.Fatalf("state = %s", h.c.State)
	}
	// A case from before levels (no levels recorded) reads as one level.
	old := readyLevels(t, 1)
	old.c.ReviewLevels = 0
	if old.c.Levels() != 1 || !slices.Contains(casework.Allowed(old.c, rev, env(old.now)), casework.ActDecide) {
		t.Fatal("a case with no levels recorded is not decided by the reviewer")
	}
}

func TestCaseKeepsItsItemVersionsLevels(t *testing.T) {
	it := item(t, promisedItem)
	it.ReviewLevels = 2
	c, _, _, err := casework.NewCase(promisedIntake(), it, intakeClerk, env(at(2026, 3, 2, 9, 0)))
	if err != nil {
		t.Fatal(err)
	}
	it.ReviewLevels = 3 // a later version of the item
	if c.ReviewLevels != 2 {
		t.Fatalf("case levels = %d, want the 2 of its item version", c.ReviewLevels)
	}
	online, _, err := casework.NewOnlineCase(onlineApplication(t, promisedItem), it, applicantUser, env(at(2026, 3, 2, 9, 0)))
	if err != nil {
		t.Fatal(err)
	}
	if online.ReviewLevels != 3 {
		t.Fatalf("online case levels = %d, want 3", online.ReviewLevels)
	}
}

func TestHearingStopsTheClock(t *testing.T) {
	rev := reviewer("SCJG")
	h := readyLevels(t, 1)
	decideBy := h.c.Deadlines.DecideBy
	wantField(t, try(h, casework.ActStartProcedure, casework.Input{Procedure: casework.ProcHearing, Reason: "听证"}, rev), "days")
	wantField(t, try(h, casework.ActStartProcedure, casework.Input{Procedure: "tender", Reason: "招标"}, rev), "procedure")
	start := at(2026, 3, 3, 10, 0) // Tuesday
	h.doAt(start, casework.ActStartProcedure, hearing(), rev)
	if !h.c.Paused() || h.c.Pauses[0].Type != casework.Hearing {
		t.Fatalf("pauses = %+v, want a hearing pause", h.c.Pauses)
	}
	docs := h.docs[len(h.docs)-1]
	if len(docs) != 1 || docs[0].Kind != casework.ProcedureNotice || docs[0].Title != "听证所需时间告知书" {
		t.Fatalf("documents = %+v", docs)
	}
	if d := detailsOf(t, h.events[len(h.events)-1]); d["pause_type"] != "hearing" || d["days"] != float64(5) {
		t.Errorf("start details = %v", d)
	}
	for _, action := range []casework.Action{casework.ActDecide, casework.ActResume, casework.ActStartProcedure} {
		wantCode(t, try(h, action, validInput(action), rev), apperr.Conflict)
	}
	wantField(t, try(h, casework.ActFinishProcedure, casework.Input{}, rev), "conclusion")
	h.doAt(at(2026, 3, 6, 15, 0), casework.ActFinishProcedure, validInput(casework.ActFinishProcedure), rev) // Friday
	if h.c.Paused() || h.c.OpenProcedure() != nil {
		t.Fatalf("after the hearing's finish: paused %v, open %+v", h.c.Paused(), h.c.OpenProcedure())
	}
	if want := cal.AddWorkingDays(decideBy, 3); !h.c.Deadlines.DecideBy.Equal(want) {
		t.Errorf("decide_by = %s, want %s (moved on by the hearing's 3 working days)", h.c.Deadlines.DecideBy, want)
	}
	p := h.c.Procedures[0]
	if p.FinishedBy != "rev-scjg" || len(p.Files) != 1 || p.Conclusion == "" {
		t.Errorf("procedure = %+v", p)
	}
	docs = h.docs[len(h.docs)-1]
	if len(docs) != 1 || docs[0].Kind != casework.ProcedureRecord || docs[0].Title != "听证笔录" {
		t.Fatalf("documents = %+v", docs)
	}
	var data casework.ProcedureData
	if err := json.Unmarshal(docs[0].Data, &data); err != nil || data.PausedDays != 3 || !slices.Equal(data.Files, []string{"现场照片.pdf"}) {
		t.Errorf("record data = %+v (%v)", data, err)
	}
	h.do(casework.ActDecide, validInput(casework.ActDecide), rev)
}

func TestSiteInspectionKeepsTheClock(t *testing.T) {
	rev := reviewer("SCJG")
	h := readyLevels(t, 1)
	decideBy := h.c.Deadlines.DecideBy
	wantField(t, try(h, casework.ActStartProcedure, casework.Input{Procedure: casework.ProcSiteInspection, Reason: "现场勘验", Days: 2}, rev), "days")
	h.do(casework.ActStartProcedure, validInput(casework.ActStartProcedure), rev)
	if h.c.Paused() || len(h.docs[len(h.docs)-1]) != 0 {
		t.Fatalf("site inspection paused the clock (%v) or issued %v", h.c.Paused(), h.docs[len(h.docs)-1])
	}
	if !slices.ContainsFunc(h.c.OpenDeadlines(), func(d casework.Due) bool { return d.Name == "decide_by" }) {
		t.Error("decide_by does not run during a site inspection")
	}
	wantCode(t, try(h, casework.ActDecide, validInput(casework.ActDecide), rev), apperr.Conflict)
	// A pause for another ground may come meanwhile; the finish leaves it.
	h.do(casework.ActPause, casework.Input{PauseType: casework.Testing, Reason: "送检"}, rev)
	h.do(casework.ActFinishProcedure, casework.Input{Conclusion: "场所与申报一致"}, rev)
	if !h.c.Paused() {
		t.Fatal("the site inspection's finish ended a pause it did not start")
	}
	h.do(casework.ActResume, casework.Input{}, rev)
	if h.c.Deadlines.DecideBy.Before(decideBy) {
		t.Errorf("decide_by moved back: %s", h.c.Deadlines.DecideBy)
	}
	if docs := h.docs[len(h.docs)-2]; len(docs) != 1 || docs[0].Title != "现场勘验笔录" {
		t.Fatalf("record = %+v", docs)
	}
	// A clock-stopping procedure does not start while paused otherwise.
	h.do(casework.ActPause, casework.Input{PauseType: casework.Testing, Reason: "送检"}, rev)
	wantField(t, try(h, casework.ActStartProcedure, hearing(), rev), "procedure")
}

func TestProcedureDuringLevels(t *testing.T) {
	h := readyLevels(t, 2).do(casework.ActStartProcedure, casework.Input{Procedure: casework.ProcPublicity, Reason: "批前公示 7 日"}, handler)
	if h.c.Paused() {
		t.Fatal("公示 paused the clock")
	}
	wantCode(t, try(h, casework.ActPropose, validInput(casework.ActPropose), handler), apperr.Conflict)
	h.do(casework.ActFinishProcedure, casework.Input{Conclusion: "公示期满无异议"}, handler).
		do(casework.ActPropose, validInput(casework.ActPropose), handler)
	if docs := h.docs[len(h.docs)-2]; docs[0].Title != "公示情况记录" {
		t.Fatalf("record = %+v", docs)
	}
}
