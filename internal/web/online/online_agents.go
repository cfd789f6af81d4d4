package online

import (
	"cmp"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/applicant"
	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/catalog"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/web/page"
)

// ---- 代办授权 ----

// myMandate is one authorisation as listed.
type myMandate struct {
	A      applicant.Authorisation
	Items  []string // item names; none: every item
	Active bool
	State  string // 有效 / 已撤销 / 已到期
}

// myAgent is an agent the applicant may authorise.
type myAgent struct {
	service.AgentChoice
	Hall string
}

type myAgentsData struct {
	Mandates []myMandate
	Agents   []myAgent
	Items    []catalog.Item
	Complete bool
	Today    string
	Max      string
}

func (h *Handlers) myAgents(w http.ResponseWriter, r *http.Request) {
	h.showAgents(w, r, http.StatusOK, page.View{})
}

func (h *Handlers) showAgents(w http.ResponseWriter, r *http.Request, status int, v page.View) {
	ctx := r.Context()
	now := h.svc.Now()
	today := calendar.DateOf(now)
	d := myAgentsData{Complete: service.AccountFrom(ctx).Complete(), Today: today.String(), Max: today.AddDays(applicant.MaxAuthorisationDays).String()}
	mandates, err := h.svc.Authorisations(ctx)
	if err == nil {
		d.Items, err = h.svc.Items(ctx, service.ItemFilter{})
	}
	var agents []service.AgentChoice
	if err == nil {
		agents, err = h.svc.Agents(ctx)
	}
	if err != nil {
		h.myFail(w, r, "代办授权", err)
		return
	}
	itemNames := map[string]string{}
	for _, it := range d.Items {
		itemNames[it.Code] = it.Name
	}
	halls := map[string]string{}
	if hs, err := h.svc.Halls(ctx); err == nil {
		for _, x := range hs {
			halls[x.Code] = x.Name
		}
	}
	for _, a := range agents {
		d.Agents = append(d.Agents, myAgent{AgentChoice: a, Hall: halls[a.HallCode]})
	}
	for _, m := range mandates {
		mm := myMandate{A: m, Active: m.Active(now), State: "有效"}
		switch {
		case !m.RevokedAt.IsZero() && m.TransferredTo != "":
			mm.State = "已改派给" + m.TransferredName // by the street's agent manager
		case !m.RevokedAt.IsZero():
			mm.State = "已撤销"
		case !mm.Active:
			mm.State = "已到期"
		}
		for _, code := range m.Items {
			mm.Items = append(mm.Items, cmp.Or(itemNames[code], code))
		}
		d.Mandates = append(d.Mandates, mm)
	}
	if v.Form == nil {
		v.Form = url.Values{"scope": {"all"}, "until": {today.AddDays(90).String()}}
	}
	v.Title, v.Data = "代办授权", d
	h.Render(w, r, status, "my_agents", v)
}

func (h *Handlers) myAuthorise(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	f := r.PostForm
	in := service.AuthorisationInput{Agent: f.Get("agent"), Until: strings.TrimSpace(f.Get("until"))}
	if f.Get("scope") == "items" {
		in.Items = f["items"]
		if len(in.Items) == 0 {
			v := page.View{Form: f, Field: map[string]string{"items": "请选择授权的事项，或选择“全部事项”"}}
			h.showAgents(w, r, http.StatusUnprocessableEntity, v)
			return
		}
	}
	a, err := h.svc.Authorise(r.Context(), in)
	if err != nil {
		v := page.View{}
		status := h.FormError(r, &v, err)
		h.showAgents(w, r, status, v)
		return
	}
	h.Redirect(w, r, "/my/agents", fmt.Sprintf("已授权代办员 %s 代为办理，至 %s 止。", a.AgentName, a.Until))
}

func (h *Handlers) myRevoke(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		h.myFail(w, r, "代办授权", apperr.New(apperr.NotFound, "未找到该授权"))
		return
	}
	if err := h.svc.RevokeAuthorisation(r.Context(), id); err != nil {
		h.myFail(w, r, "代办授权", err)
		return
	}
	h.Redirect(w, r, "/my/agents", "授权已撤销，代办员不能再以您的名义申报和领取。")
}
