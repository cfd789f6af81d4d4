package desk

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/org"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/web/page"
)

// The staff side of online applications (外网申报), joint applications
// (一件事) and agents (代办员):
//
//   - /dept/prereview: the department's online applications to pre-review
//     (R13), and those passed and waiting for the applicant's paper; the
//     pass and fail forms are on the case page, beside the uploaded files
//     (/cases/{number}/files/{sha256});
//   - /intake/online: the intake desk takes the paper of a passed online
//     application (核验纸质材料收件) and prints its receipt notice;
//   - /intake/bundles: a joint application taken in on one form (一表式);
//   - /bundles: the joint applications of a department, each with its
//     members, their order and their deadlines;
//   - /agent (in online, agent_desk.go): an agent's mandates and cases,
//     and online applications made for the applicants who authorised them.
//
// Every rule (who may act, what a mandate covers, when a member opens) is
// the service's; these pages show its answers.

// deskAllCases reads every page of a work list (at most 1,000 cases).
func (h *Handlers) deskAllCases(r *http.Request, f service.CaseFilter) ([]*service.CaseView, error) {
	var out []*service.CaseView
	for page := 1; page <= 20; page++ {
		f.Page = page
		res, err := h.svc.Cases(r.Context(), f)
		if err != nil {
			return nil, err
		}
		out = append(out, res.Cases...)
		if len(res.Cases) == 0 || len(out) >= res.Total {
			break
		}
	}
	return out, nil
}

// passedOnline reports whether an online application passed pre-review and
// waits for its paper at the hall.
func passedOnline(c *casework.Case) bool {
	return c.State == casework.Submitted && c.PreReview != nil && c.PreReview.Passed
}

// ---- 网上预审 ----

// prereviewData is the pre-review desk: the applications to review, the
// most urgent first, and those passed and waiting for their paper.
type prereviewData struct {
	ToReview    []deskRow
	Passed      []deskRow
	Departments []org.Department // a department to pick, for those outside the departments
	Dept        string
	DeptNames   map[string]string
	Policy      casework.Policy // in force: the pre-review limit the hint states
}

// prereviewDesk lists a department's online applications: those awaiting
// pre-review (red and yellow first, by prereview_by) and those passed and
// waiting for the applicant to bring the paper.
func (h *Handlers) prereviewDesk(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	u := service.UserFrom(ctx)
	d := prereviewData{DeptNames: h.deptNames(ctx), Policy: h.PolicyInForce(ctx)}
	if !u.Role.NeedsDepartment() {
		d.Dept = r.URL.Query().Get("dept")
		ds, err := h.svc.Departments(ctx)
		if err != nil {
			h.DeskError(w, r, "网上预审", err)
			return
		}
		d.Departments = ds
	}
	views, err := h.deskAllCases(r, service.CaseFilter{States: []casework.State{casework.Submitted}, Department: d.Dept})
	if err != nil {
		h.DeskError(w, r, "网上预审", err)
		return
	}
	var toReview, passed []*service.CaseView
	for _, v := range views {
		if passedOnline(v.Case) {
			passed = append(passed, v)
		} else {
			toReview = append(toReview, v)
		}
	}
	slices.SortStableFunc(passed, func(a, b *service.CaseView) int { return a.Case.PreReview.At.Compare(b.Case.PreReview.At) })
	d.ToReview, d.Passed = h.deskRows(toReview, "prereview_by"), h.deskRows(passed, "")
	title := "网上预审"
	if u.Role.NeedsDepartment() {
		title += " · " + d.DeptNames[u.DepartmentCode]
	} else if d.Dept != "" {
		title += " · " + d.DeptNames[d.Dept]
	}
	h.render(w, r, http.StatusOK, "desk_prereview", page.View{Title: title, Data: d})
}

// caseFileDownload sends one uploaded file of a case to whoever may read
// the case, as a download under the name it was uploaded with.
func (h *Handlers) caseFileDownload(w http.ResponseWriter, r *http.Request) {
	rc, f, err := h.svc.CaseFile(r.Context(), r.PathValue("number"), r.PathValue("sha"))
	if err != nil {
		h.DeskError(w, r, "电子材料", err)
		return
	}
	if r.URL.Query().Get("view") == "1" {
		page.PreviewFile(w, r, h.Kit, rc, f) // the preview beside the checklist
		return
	}
	writeFile(w, r, h, rc, f)
}

// ---- 网上申报收件 ----

// onlineIntakeData is the intake desk's box for online applications.
type onlineIntakeData struct {
	Number  string
	V       *service.CaseView
	Ready   bool   // passed and waiting for its paper: it may be taken in here
	Why     string // why it cannot be taken in here
	Waiting []deskRow
}

func (h *Handlers) onlineIntakePage(w http.ResponseWriter, r *http.Request) {
	h.showOnlineIntake(w, r, http.StatusOK, page.View{}, r.URL.Query().Get("number"))
}

// showOnlineIntake renders the box, with the case numbered if any, and the
// passed applications still waiting for their paper.
func (h *Handlers) showOnlineIntake(w http.ResponseWriter, r *http.Request, status int, v page.View, number string) {
	ctx := r.Context()
	d := onlineIntakeData{Number: number}
	if number != "" {
		cv, err := h.svc.Case(ctx, number)
		switch {
		case apperr.Is(err, apperr.NotFound):
			if v.Error == "" {
				v.Error = "没有办件编号为 " + number + " 的办件，请核对后重新输入"
			}
			status = http.StatusNotFound
		case err != nil:
			status = h.FormError(r, &v, err)
		default:
			d.V = cv
			d.Ready = slices.Contains(cv.Allowed, casework.ActCompleteIntake)
			d.Why = onlineIntakeWhy(cv)
		}
	}
	if views, err := h.deskAllCases(r, service.CaseFilter{States: []casework.State{casework.Submitted}}); err == nil {
		var passed []*service.CaseView
		for _, x := range views {
			if passedOnline(x.Case) {
				passed = append(passed, x)
			}
		}
		d.Waiting = h.deskRows(passed, "")
	}
	v.Title, v.Data = "网上申报收件", d
	h.render(w, r, status, "desk_online_intake", v)
}

// onlineIntakeWhy says why a case cannot be taken in at the box, or "".
func onlineIntakeWhy(cv *service.CaseView) string {
	c := cv.Case
	switch {
	case slices.Contains(cv.Allowed, casework.ActCompleteIntake):
		return ""
	case c.Channel != casework.Online:
		return "该办件不是网上申报的，已于 " + page.FmtTime(c.ReceivedAt, "2006-01-02 15:04") + " 在窗口收件。"
	case c.State == casework.Submitted && c.OnlineFull:
		return "该事项全程网办，由部门网上受理，无须到窗口提交纸质材料。"
	case c.State == casework.Submitted && !passedOnline(c):
		return "该网上申请尚在预审中（预审期限 " + page.FmtTime(c.Deadlines.PreReviewBy, "2006-01-02 15:04") + "），预审通过后方可收件。"
	case c.State == casework.RejectedOnline:
		return "该网上申请预审未通过，须申请人在网上修改后重新提交。"
	case c.State == casework.Submitted:
		return "只有综合受理窗口可以核验纸质材料收件。"
	}
	return "该办件已不在待收件状态（" + c.StateLabel() + "，" + c.Awaits() + "）。"
}

// completeOnlineIntake takes the paper of a passed online application: the
// case is received from now on, and its receipt notice is offered for
// printing.
func (h *Handlers) completeOnlineIntake(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		h.showOnlineIntake(w, r, http.StatusBadRequest, page.View{Error: "表单有误，请重试"}, "")
		return
	}
	ctx := r.Context()
	number := r.PostFormValue("number") // the use case refuses one not written as numbers are
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	cv, err := h.svc.Act(h.atDesk(r), number, casework.ActCompleteIntake, casework.Input{}, version)
	if err != nil {
		var v page.View
		status := h.FormError(r, &v, err)
		v.Form = nil
		h.showOnlineIntake(w, r, status, v, number)
		return
	}
	flash := fmt.Sprintf("已收件：%s，办件编号 %s。纸质材料已核验，请打印收件通知书交申请人（见「文书」）。", cv.Case.ItemName, number)
	flash += visitLinked(cv.Visit)
	if full, err := h.svc.Case(ctx, number); err == nil {
		for i := len(full.Documents) - 1; i >= 0; i-- {
			if full.Documents[i].Kind == casework.ReceiptNotice {
				h.sessions.Put(ctx, page.FlashLinkKey, "/cases/"+number+"/print/"+strconv.Itoa(i))
				h.sessions.Put(ctx, page.FlashLinkLabelKey, "打印收件通知书")
				break
			}
		}
	}
	h.Redirect(w, r, "/cases/"+number, flash)
}
