package desk_test

import (
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/casework"
)

// TestHearingDocumentsPrint: a hearing's start prints the written notice
// of the time it is to take (行政许可法 art. 45) and its finish the
// hearing's record, both naming the reviewer by real name; the case page
// shows the procedure and names the record's people.
func TestHearingDocumentsPrint(t *testing.T) {
	eachHall(t, start, func(t *testing.T, h *hall) {
		v, err := h.svc.Intake(h.as["shouli"], foodLicence())
		if err != nil {
			t.Fatal(err)
		}
		n := v.Case.Number
		h.act(t, "shenpi", n, casework.ActHandover, casework.Input{})
		h.act(t, "shenpi", n, casework.ActAccept, casework.Input{})
		h.act(t, "shenpi", n, casework.ActStartProcedure, casework.Input{Procedure: casework.ProcHearing, Reason: "利害关系人申请听证", Days: 5})
		h.clk.Set(time.Date(2026, 10, 13, 10, 0, 0, 0, start.Location())) // after the National Day holidays
		h.act(t, "shenpi", n, casework.ActFinishProcedure, casework.Input{Conclusion: "听证结束，未提出新的事实"})
		cv, err := h.svc.Case(h.as["shenpi"], n)
		if err != nil {
			t.Fatal(err)
		}
		reviewer := h.signIn(t, "shenpi")
		found := 0
		for i, d := range cv.Documents {
			var want []string
			switch d.Kind {
			case casework.ProcedureNotice:
				want = []string{"<h1>听证所需时间告知书</h1>", "第四十五条", "不计入办理时限", "利害关系人申请听证", "经办人：王建国"}
			case casework.ProcedureRecord:
				want = []string{"<h1>听证笔录</h1>", "听证结束，未提出新的事实", "记录人：王建国", "顺延至"}
			default:
				continue
			}
			found++
			p := open(t, reviewer, "/cases/"+n+"/print/"+strconv.Itoa(i))
			if p.status != http.StatusOK {
				t.Fatalf("%s: %d %s", d.Kind, p.status, p.body)
			}
			p.has(t, string(d.Kind), want...)
			p.hasNot(t, string(d.Kind), "shenpi")
		}
		if found != 2 {
			t.Fatalf("%d procedure documents, want 2", found)
		}
		page := open(t, reviewer, "/cases/"+n)
		page.has(t, "case page", `id="procedures"`, "听证", "利害关系人申请听证", "听证结束，未提出新的事实", "不计入办理时限", "王建国")
	})
}
