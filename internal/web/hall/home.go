package hall

import (
	"net/http"

	"github.com/onewindow/onewindow/internal/org"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/web/page"
)

// homeData is a person's work: the cases waiting on their desk, red and
// yellow first.
type homeData struct {
	Heading string
	Rows    []page.CaseRow
	Total   int
}

// myWork names what waits on each desk; which cases do is the service's
// (MyWork: what the desk can act on now). Other roles see the district's
// cases near or past a deadline.
func myWork(role org.Role) (heading string, desk bool) {
	switch role {
	case org.RoleIntake:
		return "待补正重新提交、待补齐容缺材料、待当场办结的办件", true
	case org.RoleReviewer:
		return "本部门待预审、待受理、待签收材料、待决定、待提交结果的办件", true
	case org.RoleDeptAdmin:
		return "本部门待审批延期申请的办件", true
	case org.RoleIssuance:
		return "待核验结果、待发证或邮寄、待归档的办件", true
	case org.RoleStreetReviewer:
		return "本街道收件、待委托初审的办件", true
	}
	return "全区临近期限和已超期的办件", false
}

func (h *Handlers) home(w http.ResponseWriter, r *http.Request) {
	u := service.UserFrom(r.Context())
	if u.Role == org.RoleAgent {
		http.Redirect(w, r, "/agent/work", http.StatusSeeOther) // the agent's work list
		return
	}
	if u.Role == org.RoleAgentManager {
		http.Redirect(w, r, "/agent/team", http.StatusSeeOther) // the agents' applicants
		return
	}
	if u.Role == org.RoleHallManager {
		http.Redirect(w, r, "/supervision", http.StatusSeeOther) // no desk: the hall's figures
		return
	}
	heading, desk := myWork(u.Role)
	v := page.View{Title: "我的待办"}
	d := homeData{Heading: heading}
	status := http.StatusOK
	var res *service.CasePage
	var err error
	if desk {
		res, err = h.svc.MyWork(r.Context())
	} else {
		res, err = h.svc.Cases(r.Context(), service.CaseFilter{Warning: "yellow"})
	}
	if err != nil {
		status = h.FormError(r, &v, err)
	} else {
		d.Rows, d.Total = h.Rows(r.Context(), res.Cases), res.Total
	}
	v.Data = d
	h.Render(w, r, status, "home", v)
}
