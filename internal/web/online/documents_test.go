package online_test

import (
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/onewindow/onewindow/internal/casework"
)

// TestOnlineDecisionDocuments: the applicant's case page lists the
// documents issued to them and opens the written decisions to print; no
// one else may open them.
func TestOnlineDecisionDocuments(t *testing.T) {
	eachHall(t, start, func(t *testing.T, h *hall) {
		h.withFiles(t)
		b := h.company(t, "13800000031")
		draft := "new"
		for _, m := range []string{"M01", "M02", "M03", "M04"} {
			draft = b.uploadTo(t, draft, "SCJG-DJ-001", m)
		}
		p := b.post("/my/drafts/"+draft+"/submit", url.Values{"delivery.method": {"pickup"}})
		m := caseLink.FindStringSubmatch(p.location)
		if m == nil {
			t.Fatalf("submit: %d → %q\n%s", p.status, p.location, p.body)
		}
		number := m[1]
		h.act(t, "shenpi", number, casework.ActAccept, casework.Input{})
		h.act(t, "shenpi", number, casework.ActDecide, casework.Input{Confirm: true, Outcome: casework.Deny, Reason: "拟变更的经营范围含禁止经营的项目"})
		cv, err := h.svc.Case(h.as["shenpi"], number)
		if err != nil {
			t.Fatal(err)
		}
		var decision, title string
		for i, d := range cv.Documents {
			if d.Kind == casework.DenialDecision {
				decision, title = "/my/cases/"+number+"/documents/"+strconv.Itoa(i), d.Title
			}
		}
		if decision == "" {
			t.Fatalf("documents %+v", cv.Documents)
		}
		open(t, b, "/my/cases/"+number).want(t, http.StatusOK, `id="my-documents"`, "受理通知书", "江川受字〔2026〕", title,
			"江川不准字〔2026〕", `href="`+decision+`"`)
		open(t, b, decision).want(t, http.StatusOK, "<h1>"+title+"</h1>", "拟变更的经营范围含禁止经营的项目",
			"六十日内向江川区人民政府申请行政复议", "六个月内依法向人民法院提起行政诉讼", "本机关决定不予", "print.css", "data-print")
		// Someone else's case is not there for another applicant.
		other := h.otherCompany(t, "13800000032", 32)
		if p := other.get(decision); p.status != http.StatusNotFound {
			t.Errorf("another applicant opens the decision: %d", p.status)
		}
		if p := b.get("/my/cases/" + number + "/documents/99"); p.status != http.StatusNotFound {
			t.Errorf("past the end: %d", p.status)
		}
	})
}
