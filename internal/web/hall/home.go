package hall

import (
	"net/http"

	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/org"
	"github.com/onewindow/onewindow/internal/service"
)

// homeData is a person's work: the cases waiting on their desk, red and
// yellow first.
type homeData struct {
	Heading string
	Rows    []caseRow
	Total   int
}

// myWork is what waits on each desk.
func myWork(role org.Role) (heading string, states []casework.State) {
	switch role {
	case org.RoleIntake:
		return "待告知补正、待补齐容缺材料、待当场办结的办件", []casework.State{casework.Returned, casework.Received, casework.Accepted, casework.Decided, casework.Delivered}
	case org.RoleReviewer, org.RoleDeptAdmin:
		return "本部门待受理、待交接、待决定、待送结果的办件", []casework.State{casework.Received, casework.Accepted, casework.Decided}
	case org.RoleIssuance:
		return "待核验结果、待发证、待归档的办件", []casework.State{casework.Decided, casework.ResultReady, casework.Delivered}
	}
	return "全区临近期限和已超期的办件", nil
}

func (h *Handlers) home(w http.ResponseWriter, r *http.Request) {
	u := service.UserFrom(r.Context())
	heading, states := myWork(u.Role)
	f := service.CaseFilter{States: states}
	if states == nil {
		f.Warning = "yellow"
	}
	v := view{Title: "我的待办"}
	d := homeData{Heading: heading}
	status := http.StatusOK
	if u.Role == org.RoleAgent {
		http.Redirect(w, r, "/agent", http.StatusSeeOther) // the agent's desk
		return
	} else if u.Role == org.RoleHallManager {
		http.Redirect(w, r, "/supervision", http.StatusSeeOther) // no desk: the hall's figures
		return
	} else if res, err := h.svc.Cases(r.Context(), f); err != nil {
		status = h.formError(r, &v, err)
	} else {
		d.Rows, d.Total = h.rows(r.Context(), res.Cases), res.Total
	}
	v.Data = d
	h.render(w, r, status, "home", v)
}
