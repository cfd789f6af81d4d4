package online

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/org"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/web/page"
)

// ---- The agents' network (issue 15 item 5) ----

// agentWork is the agent's work list (代办工作台): service.AgentWorkList,
// as the API's GET /agent/worklist gives it.
func (h *Handlers) agentWork(w http.ResponseWriter, r *http.Request) {
	wl, err := h.svc.AgentWorkList(r.Context())
	if err != nil {
		h.DeskError(w, r, "代办工作台", err)
		return
	}
	h.Render(w, r, http.StatusOK, "desk_agent_work", page.View{Title: "代办工作台", Data: wl})
}

// agentApplicantData is one applicant's page: mandates, service log and
// hand-overs, and whether the reader may write to the log.
type agentApplicantData struct {
	A        *service.AgentApplicant
	MayWrite bool
	Today    string
}

func (h *Handlers) agentApplicant(w http.ResponseWriter, r *http.Request) {
	h.showAgentApplicant(w, r, http.StatusOK, page.View{})
}

// showAgentApplicant renders the applicant's page with v's form and
// messages (a refused log entry shown again).
func (h *Handlers) showAgentApplicant(w http.ResponseWriter, r *http.Request, status int, v page.View) {
	id, err := strconv.ParseInt(r.PathValue("account"), 10, 64)
	if err != nil {
		h.DeskError(w, r, "代办记录", apperr.New(apperr.NotFound, "没有找到您承办的这位申请人"))
		return
	}
	a, err := h.svc.AgentApplicant(r.Context(), id)
	if err != nil {
		h.DeskError(w, r, "代办记录", err)
		return
	}
	u := service.UserFrom(r.Context())
	d := agentApplicantData{A: a, MayWrite: u != nil && u.Role == org.RoleAgent, Today: h.svc.Now().Format("2006-01-02")}
	v.Title, v.Data = "代办记录 · "+a.Name, d
	h.Render(w, r, status, "desk_agent_applicant", v)
}

func (h *Handlers) agentAddLog(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	f := r.PostForm
	id, _ := strconv.ParseInt(r.PathValue("account"), 10, 64)
	_, err := h.svc.AddAgentLog(r.Context(), id, service.AgentLogInput{Day: f.Get("day"), CaseNumber: f.Get("case_number"), Text: f.Get("text")})
	if err != nil {
		v := page.View{}
		status := h.FormError(r, &v, err)
		v.Form = f
		h.showAgentApplicant(w, r, status, v)
		return
	}
	h.Redirect(w, r, fmt.Sprintf("/agent/applicants/%d", id), "已记入代办记录。")
}

// agentTeam is the agent manager's page (代办分派): service.AgentTeam.
func (h *Handlers) agentTeam(w http.ResponseWriter, r *http.Request) {
	h.showAgentTeam(w, r, http.StatusOK, page.View{})
}

func (h *Handlers) showAgentTeam(w http.ResponseWriter, r *http.Request, status int, v page.View) {
	t, err := h.svc.AgentTeam(r.Context())
	if err != nil {
		h.DeskError(w, r, "代办分派", err)
		return
	}
	v.Title, v.Data = "代办分派 · "+t.HallName, t
	h.Render(w, r, status, "desk_agent_team", v)
}

func (h *Handlers) agentAssign(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	f := r.PostForm
	id, _ := strconv.ParseInt(f.Get("account_id"), 10, 64)
	as, err := h.svc.AssignApplicant(r.Context(), service.AssignInput{AccountID: id, Agent: f.Get("agent"), Reason: f.Get("reason")})
	if err != nil {
		v := page.View{}
		status := h.FormError(r, &v, err)
		v.Form = f
		h.showAgentTeam(w, r, status, v)
		return
	}
	h.Redirect(w, r, "/agent/team", fmt.Sprintf("已将 %s 改派给代办员 %s 承办（原由 %s 承办）。", as.Applicant, as.ToName, as.FromName))
}
