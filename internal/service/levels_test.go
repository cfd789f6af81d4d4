package service_test

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/blob"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/org"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/store"
	"github.com/onewindow/onewindow/internal/store/storetest"
)

// levelsHall is the demo hall with SCJG-XK-001 in three review levels (a
// new version saved by the department's admin) and a second SCJG
// reviewer, 审核 孙丽 (shenhe).
func levelsHall(t *testing.T, st *store.Store, levels int) (*service.Service, map[string]context.Context) {
	t.Helper()
	svc, as := hall(t, st, clock.At(start))
	u := &org.User{Username: "shenhe", Name: "孙丽", Role: org.RoleReviewer, DepartmentCode: "SCJG"}
	if err := svc.AddUser(as["bumen"], u, "shenhe-password-1"); err != nil {
		t.Fatalf("add reviewer: %v", err)
	}
	acc, err := svc.Login(context.Background(), "shenhe", "shenhe-password-1")
	if err != nil {
		t.Fatal(err)
	}
	as["shenhe"] = service.WithUser(context.Background(), acc)
	it, err := svc.Item(as["bumen"], "SCJG-XK-001", 0)
	if err != nil {
		t.Fatal(err)
	}
	it.ReviewLevels = levels
	if err := svc.SaveItem(as["bumen"], it, it.Version); err != nil {
		t.Fatalf("save item with %d levels: %v", levels, err)
	}
	return svc, as
}

// acceptedCase takes in SCJG-XK-001 and has the department accept it and
// sign for its papers.
func acceptedCase(t *testing.T, svc *service.Service, as map[string]context.Context) string {
	t.Helper()
	v, err := svc.Intake(as["shouli"], foodApplication(casework.Pickup))
	if err != nil {
		t.Fatal(err)
	}
	n := v.Case.Number
	for _, action := range []casework.Action{casework.ActAccept, casework.ActHandover} {
		if _, err := svc.Act(as["shenpi"], n, action, casework.Input{}, 0); err != nil {
			t.Fatalf("%s: %v", action, err)
		}
	}
	return n
}

func TestReviewInThreeLevels(t *testing.T) {
	storetest.Each(t, clock.At(start), func(t *testing.T, st *store.Store) {
		svc, as := levelsHall(t, st, 3)
		it, err := svc.Item(as["bumen"], "SCJG-XK-001", 0)
		if err != nil || it.ReviewLevels != 3 {
			t.Fatalf("item version: %+v %v", it, err)
		}
		n := acceptedCase(t, svc, as)
		act := func(who string, action casework.Action, in casework.Input) (*service.CaseView, error) {
			return svc.Act(as[who], n, action, in, 0)
		}
		// 批准 before 承办 and 审核: refused, nothing changed.
		if _, err := act("bumen", casework.ActDecide, casework.Input{Confirm: true, Outcome: casework.Approve, ResultDocument: "许可证"}); !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("decide before the lower levels: %v", err)
		}
		if _, err := act("shenpi", casework.ActPropose, casework.Input{Outcome: casework.Approve, Reason: "符合条件，拟准予"}); err != nil {
			t.Fatal(err)
		}
		// The same person may not check their own proposal.
		_, err = act("shenpi", casework.ActCheck, casework.Input{})
		if !apperr.Is(err, apperr.Forbidden) || !strings.Contains(apperr.MessageOf(err), "不同人员") {
			t.Fatalf("check by the proposer: %v", err)
		}
		if _, err := act("shenhe", casework.ActCheck, casework.Input{Reason: "同意"}); err != nil {
			t.Fatal(err)
		}
		if _, err := act("shenhe", casework.ActDecide, casework.Input{Confirm: true, Outcome: casework.Approve, ResultDocument: "许可证"}); !apperr.Is(err, apperr.Forbidden) {
			t.Fatalf("decide by the checker: %v", err)
		}
		// 批准 sends back to 审核 with a reason; 审核 checks again.
		if _, err := act("bumen", casework.ActSendBack, casework.Input{}); !apperr.Is(err, apperr.Invalid) {
			t.Fatalf("send-back without a reason: %v", err)
		}
		v, err := act("bumen", casework.ActSendBack, casework.Input{Reason: "请核实冷链设施"})
		if err != nil || v.Case.PendingLevel() != casework.LevelCheck {
			t.Fatalf("send-back: %v, pending %v", err, v.Case.PendingLevel())
		}
		if _, err := act("shenhe", casework.ActCheck, casework.Input{Reason: "已核实"}); err != nil {
			t.Fatal(err)
		}
		v, err = act("bumen", casework.ActDecide, casework.Input{Confirm: true, Outcome: casework.Approve, ResultDocument: "食品经营许可证 JY001"})
		if err != nil || v.Case.State != casework.Decided {
			t.Fatalf("批准: %v", err)
		}

		cv, err := svc.Case(as["jiandu"], n)
		if err != nil {
			t.Fatal(err)
		}
		var record []string
		for _, ev := range cv.Events {
			switch ev.Type {
			case casework.ActPropose, casework.ActCheck, casework.ActSendBack, casework.ActDecide:
				record = append(record, string(ev.Type)+":"+cv.Name(ev.Actor))
			}
		}
		want := "propose:王建国 check:孙丽 send-back:陈丽华 check:孙丽 decide:陈丽华"
		if got := strings.Join(record, " "); got != want {
			t.Errorf("record = %s, want %s", got, want)
		}
		report, err := svc.VerifyAudit(as["system"])
		if err != nil || len(report.Breaks) != 0 {
			t.Fatalf("audit: %v %+v", err, report)
		}
	})
}

func TestCaseKeepsTheLevelsItWasTakenInUnder(t *testing.T) {
	storetest.Each(t, clock.At(start), func(t *testing.T, st *store.Store) {
		svc, as := levelsHall(t, st, 2)
		n := acceptedCase(t, svc, as)
		it, err := svc.Item(as["bumen"], "SCJG-XK-001", 0)
		if err != nil {
			t.Fatal(err)
		}
		it.ReviewLevels = 1
		if err := svc.SaveItem(as["bumen"], it, it.Version); err != nil {
			t.Fatal(err)
		}
		// The earlier case still needs 承办 before the decision.
		if _, err := svc.Act(as["shenpi"], n, casework.ActDecide, casework.Input{Confirm: true, Outcome: casework.Approve, ResultDocument: "许可证"}, 0); !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("decide on a two-level case without 承办: %v", err)
		}
		v, err := svc.Case(as["shenpi"], n)
		if err != nil || v.Case.ReviewLevels != 2 {
			t.Fatalf("case levels: %v %v", v.Case.ReviewLevels, err)
		}
		// A case taken in under the new version is decided at once.
		n2 := acceptedCase(t, svc, as)
		if _, err := svc.Act(as["shenpi"], n2, casework.ActDecide, casework.Input{Confirm: true, Outcome: casework.Approve, ResultDocument: "许可证"}, 0); err != nil {
			t.Fatalf("decide on a one-level case: %v", err)
		}
		// A bad number of levels is refused.
		it.ReviewLevels = 4
		if err := svc.SaveItem(as["bumen"], it, it.Version); !apperr.Is(err, apperr.Invalid) {
			t.Fatalf("four levels: %v", err)
		}
	})
}

func TestHearingWithAttachments(t *testing.T) {
	storetest.Each(t, clock.At(start), func(t *testing.T, st *store.Store) {
		svc, as := hall(t, st, clock.At(start))
		files, err := blob.NewDir(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		svc.Use(files, nil)
		n := acceptedCase(t, svc, as)
		pdf := []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
		if _, err := svc.UploadAttachment(as["shenpi"], n, "听证笔录.pdf", bytes.NewReader(pdf)); !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("upload with no procedure under way: %v", err)
		}
		v, err := svc.Act(as["shenpi"], n, casework.ActStartProcedure, casework.Input{Procedure: casework.ProcHearing, Reason: "申请人申请听证", Days: 5}, 0)
		if err != nil || !v.Case.Paused() {
			t.Fatalf("start hearing: %v, paused %v", err, v.Case.Paused())
		}
		if _, err := svc.UploadAttachment(as["shouli"], n, "听证笔录.pdf", bytes.NewReader(pdf)); !apperr.Is(err, apperr.Forbidden) {
			t.Fatalf("upload by the intake desk: %v", err)
		}
		ref, err := svc.UploadAttachment(as["shenpi"], n, "听证笔录.pdf", bytes.NewReader(pdf))
		if err != nil {
			t.Fatal(err)
		}
		forged := ref
		forged.Size++
		if _, err := svc.Act(as["shenpi"], n, casework.ActFinishProcedure, casework.Input{Conclusion: "听证结束", Attachments: []casework.FileRef{forged}}, 0); !apperr.Is(err, apperr.Invalid) {
			t.Fatalf("finish with a forged attachment: %v", err)
		}
		v, err = svc.Act(as["shenpi"], n, casework.ActFinishProcedure, casework.Input{Conclusion: "听证结束，无新的事实", Attachments: []casework.FileRef{ref}}, 0)
		if err != nil || v.Case.Paused() {
			t.Fatalf("finish hearing: %v", err)
		}
		cv, err := svc.Case(as["shenpi"], n)
		if err != nil {
			t.Fatal(err)
		}
		var titles []string
		for _, d := range cv.Documents {
			titles = append(titles, d.Title)
		}
		if got := strings.Join(titles, "、"); !strings.Contains(got, "听证所需时间告知书") || !strings.Contains(got, "听证笔录") {
			t.Errorf("documents = %s", got)
		}
		rc, f, err := svc.CaseFile(as["shenpi"], n, ref.SHA256)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		if f.Name != "听证笔录.pdf" || !bytes.Equal(b, pdf) {
			t.Errorf("attachment %+v reads %q", f, b)
		}
		// The applicant's timeline tells of the hearing and the clock.
		tl := casework.Describe(cv.Case, cv.Events[len(cv.Events)-2])
		if !strings.Contains(tl, "听证") || !strings.Contains(tl, "不计入办理时限") {
			t.Errorf("timeline: %q", tl)
		}
	})
}
