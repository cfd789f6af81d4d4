package web

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/problem"
	"github.com/onewindow/onewindow/internal/rating"
	"github.com/onewindow/onewindow/internal/service"
)

// registerRatingPages mounts the 好差评 pages (issue 5): the window's
// rating pad, the online rating of a case, the rectification of bad
// ratings and the supervisors' rates.
func (h *Handlers) registerRatingPages(mux *http.ServeMux) {
	mux.HandleFunc("GET /pad/{hall}/{window}", h.pad)
	mux.HandleFunc("GET /pad/{hall}/{window}/pending", h.padPending)
	mux.HandleFunc("POST /pad/{hall}/{window}/rate", h.padRate)
	mux.HandleFunc("POST /pad/{hall}/{window}/skip", h.padSkip)
	mux.HandleFunc("GET /pad/{hall}/{window}/setup", h.signedIn(h.padSetupForm))
	mux.HandleFunc("POST /pad/{hall}/{window}/setup", h.signedIn(h.padSetup))
	mux.HandleFunc("GET /rate/{number}", h.rateForm)
	mux.HandleFunc("POST /rate/{number}", h.rateCase)
	mux.HandleFunc("POST /rate/{number}/add", h.addToRating)
	mux.HandleFunc("GET /rectifications", h.signedIn(h.rectifications))
	mux.HandleFunc("GET /rectifications/{id}", h.signedIn(h.rectification))
	mux.HandleFunc("POST /rectifications/{id}/{action}", h.signedIn(h.actOnRectification))
	mux.HandleFunc("GET /supervision", h.signedIn(h.supervision))
}

// The choices a rating form offers, with what was chosen: templates get
// them ready-made, checked or not.

// levelChoice is one of the five levels as a big button.
type levelChoice struct {
	Value   int
	Label   string
	Face    string // the face drawn on the pad's button
	Checked bool
}

// tagChoice is one fixed tag as a check box.
type tagChoice struct {
	Tag     rating.Tag
	Bad     bool
	Checked bool
}

var levelFaces = map[rating.Level]string{
	rating.VerySatisfied: "😄", rating.Satisfied: "🙂", rating.FairlySatisfied: "😐",
	rating.Dissatisfied: "🙁", rating.VeryDissatisfied: "😣",
}

// ratingChoices returns the levels and tags with those in form checked.
func ratingChoices(form url.Values) ([]levelChoice, []tagChoice) {
	var levels []levelChoice
	for _, l := range rating.Levels {
		levels = append(levels, levelChoice{Value: int(l), Label: l.Label(), Face: levelFaces[l],
			Checked: form.Get("level") == strconv.Itoa(int(l))})
	}
	var tags []tagChoice
	for _, t := range rating.Tags() {
		tags = append(tags, tagChoice{Tag: t, Bad: slices.Contains(rating.BadTags, t), Checked: slices.Contains(form["tags"], string(t))})
	}
	return levels, tags
}

// ratingInput reads a rating form. A level that is not a number reads as
// 0, which Validate refuses next to the field.
func ratingInput(form url.Values, ch rating.Channel) rating.Input {
	level, _ := strconv.Atoi(form.Get("level"))
	in := rating.Input{Level: rating.Level(level), Text: form.Get("text"), Channel: ch,
		RealName: form.Get("real_name") == "1", Name: form.Get("name"), Phone: form.Get("phone")}
	for _, t := range form["tags"] {
		in.Tags = append(in.Tags, rating.Tag(t))
	}
	return in
}

// ---- The rating pad (评价器) ----
//
// The tablet is nobody's account. An admin pairs it once: signed in on the
// tablet, they open /pad/{hall}/{window}/setup and confirm; the tablet gets
// the device key in a cookie scoped to its pad's path, and the admin's
// session on it ends there and then (a rating is never given with a staff
// account signed in). A kiosk browser that cannot keep cookies may open
// /pad/{hall}/{window}?key=… once instead; the key is moved into the cookie
// and out of the address at once.

// padCookie is the name of the cookie holding a pad's device key.
const padCookie = "onewindow_pad"

// padData is the pad page: waiting, asking for a rating, or thanking.
type padData struct {
	Hall, Window string
	Base         string // /pad/{hall}/{window}
	Token        string // the visit waiting for its rating; "" while waiting
	Levels       []levelChoice
	Tags         []tagChoice
	Thanks       *service.RatingReceipt
	Problem      string // why the pad cannot work (not paired, signed in)
	Setup        bool   // the problem is one an admin fixes by pairing
}

func padBase(r *http.Request) string {
	return "/pad/" + url.PathEscape(r.PathValue("hall")) + "/" + url.PathEscape(r.PathValue("window"))
}

// padKey returns the device key the tablet presents.
func padKey(r *http.Request) string {
	if c, err := r.Cookie(padCookie); err == nil {
		return c.Value
	}
	return ""
}

func setPadCookie(w http.ResponseWriter, r *http.Request, key string) {
	http.SetCookie(w, &http.Cookie{Name: padCookie, Value: key, Path: padBase(r), MaxAge: 5 * 366 * 24 * 3600,
		HttpOnly: true, Secure: r.TLS != nil, SameSite: http.SameSiteStrictMode})
}

// pad answers GET /pad/{hall}/{window}: the rating form while a visit
// waits for its rating, else the waiting screen, which polls.
func (h *Handlers) pad(w http.ResponseWriter, r *http.Request) {
	if key := r.URL.Query().Get("key"); key != "" {
		setPadCookie(w, r, key)
		http.Redirect(w, r, padBase(r), http.StatusSeeOther)
		return
	}
	d := &padData{Hall: r.PathValue("hall"), Window: r.PathValue("window"), Base: padBase(r)}
	v := view{Title: "窗口评价器 " + d.Window, Data: d}
	token, err := h.svc.PadPending(r.Context(), d.Hall, d.Window, padKey(r))
	if err != nil {
		h.renderPad(w, r, h.padProblem(r, &v, d, err), v)
		return
	}
	d.Token = token
	if token != "" {
		v.Title = "请您评价 · 窗口 " + d.Window
		d.Levels, d.Tags = ratingChoices(nil)
	}
	h.renderPad(w, r, http.StatusOK, v)
}

// padProblem says why the pad cannot work now and returns the status.
func (h *Handlers) padProblem(r *http.Request, v *view, d *padData, err error) int {
	status := h.formError(r, v, err)
	d.Problem, v.Error = v.Error, ""
	d.Setup = status == http.StatusUnauthorized
	return status
}

// renderPad renders the pad's own full-screen document (pad.html's
// "pad-page"), not the workbench layout: the tablet faces the applicant.
func (h *Handlers) renderPad(w http.ResponseWriter, r *http.Request, status int, v view) {
	v.Now = h.svc.Now()
	var buf bytes.Buffer
	if err := h.pages["pad"].ExecuteTemplate(&buf, "pad-page", v); err != nil {
		h.log.Error("render pad", "err", err, "request_id", service.RequestFrom(r.Context()).ID)
		http.Error(w, "页面出错，请稍后重试", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// padPending answers the pad's poll, every 2 seconds while it waits:
// {"pending": true} once a finished visit waits for its rating. The token
// itself never travels here; the page reloads to get its form.
func (h *Handlers) padPending(w http.ResponseWriter, r *http.Request) {
	token, err := h.svc.PadPending(r.Context(), r.PathValue("hall"), r.PathValue("window"), padKey(r))
	body := map[string]any{"pending": token != ""}
	status := http.StatusOK
	if err != nil {
		p := problem.From(err)
		if p.Code == apperr.Internal {
			h.log.Error("pad poll", "err", err, "request_id", service.RequestFrom(r.Context()).ID)
		}
		status, body = p.Status, map[string]any{"pending": false, "error": p.Detail}
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(body)
}

// padRate saves the applicant's rating and thanks them; the thanks page
// goes back to waiting by itself.
func (h *Handlers) padRate(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	d := &padData{Hall: r.PathValue("hall"), Window: r.PathValue("window"), Base: padBase(r), Token: r.PostForm.Get("token")}
	v := view{Title: "请您评价 · 窗口 " + d.Window, Data: d}
	receipt, err := h.svc.RateOnPad(r.Context(), d.Hall, d.Window, padKey(r), d.Token, ratingInput(r.PostForm, rating.Pad))
	if err != nil {
		status := h.formError(r, &v, err)
		if len(v.Field) == 0 {
			// Not a matter of the form (rated before, expired, not this
			// pad): no form to fill in again.
			d.Token = ""
			h.renderPad(w, r, h.padProblem(r, &v, d, err), v)
			return
		}
		d.Levels, d.Tags = ratingChoices(r.PostForm)
		h.renderPad(w, r, status, v)
		return
	}
	d.Token, d.Thanks = "", receipt
	v.Title = "感谢您的评价"
	h.renderPad(w, r, http.StatusOK, v)
}

// padSkip takes the visit off the pad unrated: rating is voluntary.
func (h *Handlers) padSkip(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	if err := h.svc.SkipPad(r.Context(), r.PathValue("hall"), r.PathValue("window"), padKey(r), r.PostForm.Get("token")); err != nil {
		d := &padData{Hall: r.PathValue("hall"), Window: r.PathValue("window"), Base: padBase(r)}
		v := view{Title: "窗口评价器", Data: d}
		h.renderPad(w, r, h.padProblem(r, &v, d, err), v)
		return
	}
	http.Redirect(w, r, padBase(r), http.StatusSeeOther)
}

// padSetupData is the admin's pairing page.
type padSetupData struct {
	Hall, Window, Base string
}

func (h *Handlers) padSetupForm(w http.ResponseWriter, r *http.Request) {
	d := &padSetupData{Hall: r.PathValue("hall"), Window: r.PathValue("window"), Base: padBase(r)}
	h.render(w, r, http.StatusOK, "pad_setup", view{Title: "配置窗口评价器", Data: d})
}

// padSetup pairs this tablet with the window: the device key goes into
// its cookie, and the admin's session on it ends.
func (h *Handlers) padSetup(w http.ResponseWriter, r *http.Request) {
	d := &padSetupData{Hall: r.PathValue("hall"), Window: r.PathValue("window"), Base: padBase(r)}
	v := view{Title: "配置窗口评价器", Data: d}
	key, err := h.svc.PairPad(r.Context(), d.Hall, d.Window)
	if err != nil {
		h.render(w, r, h.formError(r, &v, err), "pad_setup", v)
		return
	}
	if err := h.sessions.Destroy(r.Context()); err != nil {
		h.log.Error("pad setup: end session", "err", err, "request_id", service.RequestFrom(r.Context()).ID)
	}
	setPadCookie(w, r, key)
	http.Redirect(w, r, d.Base, http.StatusSeeOther)
}

// ---- The online rating of a case (/rate/{number}) ----

// rateData is the online rating page of a case.
type rateData struct {
	Number  string
	Code    string // the check code, from the QR code or typed
	Channel rating.Channel
	Item    string // the case's item, once the code matched
	Levels  []levelChoice
	Tags    []tagChoice
	Receipt *service.RatingReceipt
	Added   *rating.Rating // after an addition
	AddTags []tagChoice
	Rated   bool // the case was rated before: offer the addition
}

// ratingLink is a case's online rating page, with its check code: what the
// delivery receipt's QR code holds.
func ratingLink(r *http.Request, number, code string) string {
	link := siteBase(r) + "/rate/" + url.PathEscape(number)
	if code != "" {
		link += "?code=" + url.QueryEscape(code)
	}
	return link
}

func publicHeaders(w http.ResponseWriter) {
	// The check code travels in the URL: keep it out of Referer headers
	// and search engines.
	w.Header().Set("Referrer-Policy", "no-referrer")
	w.Header().Set("X-Robots-Tag", "noindex, nofollow")
}

// rateForm answers GET /rate/{number}: with the check code (from the
// delivery receipt's QR code) the code is checked and the form shown;
// without it, the form asks for it.
func (h *Handlers) rateForm(w http.ResponseWriter, r *http.Request) {
	publicHeaders(w)
	q := r.URL.Query()
	d := &rateData{Number: r.PathValue("number"), Code: strings.TrimSpace(q.Get("code")), Channel: rating.PC}
	if d.Code != "" {
		d.Channel = rating.QR
	}
	d.Levels, d.Tags = ratingChoices(nil)
	_, d.AddTags = ratingChoices(nil)
	v := view{Title: "办件评价 " + d.Number, Data: d}
	if d.Code != "" {
		p, err := h.svc.Progress(r.Context(), d.Number, d.Code)
		if err != nil {
			status := h.formError(r, &v, err)
			if apperr.Is(err, apperr.NotFound) {
				v.Field["code"] = v.Error
			}
			d.Code = ""
			h.render(w, r, status, "rate", v)
			return
		}
		d.Item = p.Item
	}
	h.render(w, r, http.StatusOK, "rate", v)
}

// rateCase saves the online rating and shows the key, once.
func (h *Handlers) rateCase(w http.ResponseWriter, r *http.Request) {
	publicHeaders(w)
	r.ParseForm()
	d := &rateData{Number: r.PathValue("number"), Code: strings.TrimSpace(r.PostForm.Get("code")), Channel: rating.Channel(r.PostForm.Get("channel"))}
	if d.Channel != rating.QR && d.Channel != rating.Mobile {
		d.Channel = rating.PC
	}
	v := view{Title: "办件评价 " + d.Number, Data: d}
	receipt, err := h.svc.RateCase(r.Context(), d.Number, d.Code, ratingInput(r.PostForm, d.Channel))
	if err != nil {
		status := h.formError(r, &v, err)
		switch {
		case apperr.Is(err, apperr.NotFound):
			// Ask for the code again, next to its field.
			v.Field["code"], d.Code = v.Error, ""
		case apperr.Is(err, apperr.Conflict):
			d.Rated = true
		}
		d.Levels, d.Tags = ratingChoices(r.PostForm)
		_, d.AddTags = ratingChoices(nil)
		h.render(w, r, status, "rate", v)
		return
	}
	d.Receipt = receipt
	_, d.AddTags = ratingChoices(nil)
	v.Title = "评价已提交"
	h.render(w, r, http.StatusOK, "rate", v)
}

// addToRating records the rater's addition (追加评价), proved with the
// key shown once, or with the case's check code.
func (h *Handlers) addToRating(w http.ResponseWriter, r *http.Request) {
	publicHeaders(w)
	r.ParseForm()
	d := &rateData{Number: r.PathValue("number"), Code: strings.TrimSpace(r.PostForm.Get("code")), Rated: true}
	v := view{Title: "追加评价 " + d.Number, Data: d}
	id, _ := strconv.ParseInt(strings.TrimSpace(r.PostForm.Get("rating_id")), 10, 64)
	in := rating.AdditionInput{Text: r.PostForm.Get("add_text")}
	for _, t := range r.PostForm["add_tags"] {
		in.Tags = append(in.Tags, rating.Tag(t))
	}
	var err error
	if id <= 0 {
		err = apperr.Field("rating_id", "请填写评价编号")
	} else {
		d.Added, err = h.svc.AddToRating(r.Context(), id, r.PostForm.Get("key"), d.Code, in)
	}
	if err != nil {
		status := h.formError(r, &v, err)
		// The addition's own fields carry the add_ prefix on this page.
		for _, f := range []string{"tags", "text"} {
			if m, ok := v.Field[f]; ok {
				v.Field["add_"+f] = m
			}
		}
		if apperr.Is(err, apperr.NotFound) {
			v.Field["key"] = v.Error
		}
		form := url.Values{"tags": r.PostForm["add_tags"]}
		_, d.AddTags = ratingChoices(form)
		h.render(w, r, status, "rate", v)
		return
	}
	v.Title = "追加评价已提交"
	h.render(w, r, http.StatusOK, "rate", v)
}

// ---- Rectification (差评整改) ----

// rectRow is one rectification as listed, its deadline in words.
type rectRow struct {
	*service.RectificationView
}

// rectListData is the rectification list with its filter.
type rectListData struct {
	State  string
	States []stateChoice
	Rows   []rectRow
}

// stateChoice is one option of the state filter.
type stateChoice struct {
	Value, Label string
	Selected     bool
}

// rectifications lists the rectifications the user may see: red, then
// yellow, then the rest, each by deadline.
func (h *Handlers) rectifications(w http.ResponseWriter, r *http.Request) {
	d := &rectListData{State: r.URL.Query().Get("state")}
	for _, st := range append(slices.Clone(rating.States), rating.Overdue) {
		d.States = append(d.States, stateChoice{Value: string(st), Label: st.Label(), Selected: string(st) == d.State})
	}
	v := view{Title: "差评整改", Data: d}
	list, err := h.svc.Rectifications(r.Context(), service.RectificationFilter{State: rating.State(d.State)})
	if err != nil {
		status := h.formError(r, &v, err)
		if status == http.StatusForbidden {
			h.render(w, r, status, "error", v)
			return
		}
		h.render(w, r, status, "rectifications", v)
		return
	}
	for _, x := range list {
		d.Rows = append(d.Rows, rectRow{RectificationView: x})
	}
	slices.SortStableFunc(d.Rows, func(a, b rectRow) int { return calendar.RedFirst(a.Warning, b.Warning) })
	h.render(w, r, http.StatusOK, "rectifications", v)
}

// rectActionForm is one action's form on the rectification page.
type rectActionForm struct {
	Action   rating.Action
	Label    string
	FollowUp bool // asks how the applicant was followed up
	Failed   bool // the form just refused: its messages and typed text show
}

// rectData is one rectification's page.
type rectData struct {
	V       *service.RectificationView
	Words   string
	Forms   []rectActionForm
	Failed  string // the action whose form was refused
	Version int
}

// rectPage renders rectification id; failed names a refused action.
func (h *Handlers) rectPage(w http.ResponseWriter, r *http.Request, status int, v view, failed rating.Action) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	d := &rectData{Failed: string(failed)}
	v.Data = d
	x, err := h.svc.Rectification(r.Context(), id)
	if err != nil {
		h.render(w, r, h.formError(r, &v, err), "error", v)
		return
	}
	d.V, d.Version, d.Words = x, x.Rectification.Version, x.Words
	for _, a := range x.Allowed {
		f := rectActionForm{Action: a, Label: a.Label(), FollowUp: a == rating.ActRectify || a == rating.ActExplain, Failed: a == failed}
		d.Forms = append(d.Forms, f)
	}
	if v.Title == "" {
		v.Title = fmt.Sprintf("差评整改 %d", x.Rectification.ID)
	}
	h.render(w, r, status, "rectification", v)
}

func (h *Handlers) rectification(w http.ResponseWriter, r *http.Request) {
	h.rectPage(w, r, http.StatusOK, view{}, "")
}

// actOnRectification takes one action; a refused form comes back with its
// messages next to its fields and what was typed.
func (h *Handlers) actOnRectification(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	action := rating.Action(r.PathValue("action"))
	version, _ := strconv.Atoi(r.PostForm.Get("version"))
	in := rating.StepInput{Note: r.PostForm.Get("note"), FollowUp: rating.FollowUpMethod(r.PostForm.Get("follow_up")),
		FollowUpResult: r.PostForm.Get("follow_up_result")}
	x, err := h.svc.ActOnRectification(r.Context(), id, action, in, version)
	if err != nil {
		var v view
		status := h.formError(r, &v, err)
		h.rectPage(w, r, status, v, action)
		return
	}
	h.redirect(w, r, fmt.Sprintf("/rectifications/%d", id), "已办理："+action.Label()+"，整改单现为“"+x.Status.Label()+"”")
}

// ---- Supervision (监督统计) ----

// rateRow is one group's rates, ready to show.
type rateRow struct {
	rating.Rate
	Name          string
	Satisfaction  string // "—" when there are no ratings
	Rectification string // "—" when there are no real-name bad ratings
	Short         bool   // the rectification rate is below 100%
}

// rateTable is one grouping's table.
type rateTable struct {
	Group rating.GroupBy
	Title string
	Key   string // the heading of the key column
	Rows  []rateRow
}

// supervisionData is the supervision page.
type supervisionData struct {
	From, To string // the period as typed, both days included
	Tables   []rateTable
}

func percent(rate float64, ok bool) string {
	if !ok {
		return "—"
	}
	return strconv.FormatFloat(rate*100, 'f', 1, 64) + "%"
}

// supervision shows the rates of a period (this month unless asked) per
// department, window, clerk and hall.
func (h *Handlers) supervision(w http.ResponseWriter, r *http.Request) {
	now := h.svc.Now().In(clock.Shanghai)
	first := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, clock.Shanghai)
	d := &supervisionData{From: first.Format(time.DateOnly), To: first.AddDate(0, 1, -1).Format(time.DateOnly)}
	q := r.URL.Query()
	if s := strings.TrimSpace(q.Get("from")); s != "" {
		d.From = s
	}
	if s := strings.TrimSpace(q.Get("to")); s != "" {
		d.To = s
	}
	v := view{Title: "监督统计", Data: d}
	from, ferr := time.ParseInLocation(time.DateOnly, d.From, clock.Shanghai)
	to, terr := time.ParseInLocation(time.DateOnly, d.To, clock.Shanghai)
	var errs apperr.Collector
	errs.Check(ferr == nil, "from", "开始日期格式为 2026-01-01")
	errs.Check(terr == nil, "to", "结束日期格式为 2026-01-31")
	errs.Check(ferr != nil || terr != nil || !to.Before(from), "to", "结束日期不能早于开始日期")
	if err := errs.Err("统计期间有误"); err != nil {
		h.render(w, r, h.formError(r, &v, err), "supervision", v)
		return
	}
	names, err := h.orgNames(r)
	if err != nil {
		h.render(w, r, h.formError(r, &v, err), "error", v)
		return
	}
	for _, t := range []rateTable{
		{Group: rating.ByDepartment, Title: "按部门", Key: "部门"},
		{Group: rating.ByWindow, Title: "按窗口", Key: "窗口"},
		{Group: rating.ByClerk, Title: "按工作人员", Key: "工作人员"},
		{Group: rating.ByHall, Title: "按大厅", Key: "大厅"},
	} {
		rates, err := h.svc.Rates(r.Context(), from, to.AddDate(0, 0, 1), t.Group)
		if err != nil {
			status := h.formError(r, &v, err)
			page := "supervision"
			if status == http.StatusForbidden || status == http.StatusUnauthorized {
				page = "error"
			}
			h.render(w, r, status, page, v)
			return
		}
		for _, x := range rates {
			row := rateRow{Rate: x, Name: names.of(t.Group, x)}
			row.Satisfaction = percent(x.Satisfaction())
			rect, ok := x.Rectification()
			row.Rectification, row.Short = percent(rect, ok), ok && rect < 1
			t.Rows = append(t.Rows, row)
		}
		d.Tables = append(d.Tables, t)
	}
	h.render(w, r, http.StatusOK, "supervision", v)
}

// orgNames names departments and halls by code for the rate tables.
type orgNames struct{ dept, hall map[string]string }

func (h *Handlers) orgNames(r *http.Request) (orgNames, error) {
	n := orgNames{dept: map[string]string{}, hall: map[string]string{}}
	depts, err := h.svc.Departments(r.Context())
	if err != nil {
		return n, err
	}
	for _, d := range depts {
		n.dept[d.Code] = d.Name
	}
	halls, err := h.svc.Halls(r.Context())
	if err != nil {
		return n, err
	}
	for _, x := range halls {
		n.hall[x.Code] = x.Name
	}
	return n, nil
}

func (n orgNames) of(g rating.GroupBy, x rating.Rate) string {
	switch g {
	case rating.ByDepartment:
		if x.Key == "" {
			return "行政审批局（综合窗口）"
		}
		return cmp.Or(n.dept[x.Key], x.Key)
	case rating.ByWindow:
		return cmp.Or(n.hall[x.Hall], x.Hall) + " " + cmp.Or(x.Key, "（网上评价，无窗口）")
	case rating.ByHall:
		return cmp.Or(n.hall[x.Key], x.Key, "（未指明大厅）")
	}
	return cmp.Or(x.Key, "（未指明）")
}
