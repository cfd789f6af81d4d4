package hall

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/problem"
	"github.com/onewindow/onewindow/internal/rating"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/web/page"
)

// The 好差评 pages (issue 5) of the hall: the window's rating pad and the
// online rating of a case. The rectification of bad ratings is in desk
// (rectifications.go), the supervisors' rates in admin (supervision.go).

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
	Levels       []page.LevelChoice
	Tags         []page.TagChoice
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
	v := page.View{Title: "窗口评价器 " + d.Window, Data: d}
	token, err := h.svc.PadPending(r.Context(), d.Hall, d.Window, padKey(r))
	if err != nil {
		h.renderPad(w, r, h.padProblem(r, &v, d, err), v)
		return
	}
	d.Token = token
	if token != "" {
		v.Title = "请您评价 · 窗口 " + d.Window
		d.Levels, d.Tags = page.RatingChoices(nil)
	}
	h.renderPad(w, r, http.StatusOK, v)
}

// padProblem says why the pad cannot work now and returns the status.
func (h *Handlers) padProblem(r *http.Request, v *page.View, d *padData, err error) int {
	status := h.FormError(r, v, err)
	d.Problem, v.Error = v.Error, ""
	d.Setup = status == http.StatusUnauthorized
	return status
}

// renderPad renders the pad's own full-screen document (pad.html's
// "pad-page"), not the workbench layout: the tablet faces the applicant.
func (h *Handlers) renderPad(w http.ResponseWriter, r *http.Request, status int, v page.View) {
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
	v := page.View{Title: "请您评价 · 窗口 " + d.Window, Data: d}
	receipt, err := h.svc.RateOnPad(r.Context(), d.Hall, d.Window, padKey(r), d.Token, page.RatingInput(r.PostForm, rating.Pad))
	if err != nil {
		status := h.FormError(r, &v, err)
		if len(v.Field) == 0 {
			// Not a matter of the form (rated before, expired, not this
			// pad): no form to fill in again.
			d.Token = ""
			h.renderPad(w, r, h.padProblem(r, &v, d, err), v)
			return
		}
		d.Levels, d.Tags = page.RatingChoices(r.PostForm)
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
		v := page.View{Title: "窗口评价器", Data: d}
		h.renderPad(w, r, h.padProblem(r, &v, d, err), v)
		return
	}
	http.Redirect(w, r, padBase(r), http.StatusSeeOther)
}

// padSetupData is the admin's pairing page.
type padSetupData struct {
	Hall, Window, Base string
	HallName           string // "" when the hall is unknown (the pairing refuses it)
}

func newPadSetupData(h *Handlers, r *http.Request) *padSetupData {
	d := &padSetupData{Hall: r.PathValue("hall"), Window: r.PathValue("window"), Base: padBase(r)}
	if hall, err := h.HallNamed(r, d.Hall); err == nil {
		d.HallName = hall.Name
	}
	return d
}

func (h *Handlers) padSetupForm(w http.ResponseWriter, r *http.Request) {
	h.Render(w, r, http.StatusOK, "pad_setup", page.View{Title: "配置窗口评价器", Data: newPadSetupData(h, r)})
}

// padSetup pairs this tablet with the window: the device key goes into
// its cookie, and the admin's session on it ends.
func (h *Handlers) padSetup(w http.ResponseWriter, r *http.Request) {
	d := newPadSetupData(h, r)
	v := page.View{Title: "配置窗口评价器", Data: d}
	key, err := h.svc.PairPad(r.Context(), d.Hall, d.Window)
	if err != nil {
		h.Render(w, r, h.FormError(r, &v, err), "pad_setup", v)
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
	Levels  []page.LevelChoice
	Tags    []page.TagChoice
	Receipt *service.RatingReceipt
	Added   *rating.Rating // after an addition
	AddTags []page.TagChoice
	Rated   bool // the case was rated before: offer the addition
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
	d.Levels, d.Tags = page.RatingChoices(nil)
	_, d.AddTags = page.RatingChoices(nil)
	v := page.View{Title: "办件评价 " + d.Number, Data: d}
	if d.Code != "" {
		p, err := h.svc.Progress(r.Context(), d.Number, d.Code)
		if err != nil {
			status := h.FormError(r, &v, err)
			if apperr.Is(err, apperr.NotFound) {
				v.Field["code"] = v.Error
			}
			d.Code = ""
			h.Render(w, r, status, "rate", v)
			return
		}
		d.Item = p.Item
	}
	h.Render(w, r, http.StatusOK, "rate", v)
}

// rateCase saves the online rating and shows the key, once.
func (h *Handlers) rateCase(w http.ResponseWriter, r *http.Request) {
	publicHeaders(w)
	r.ParseForm()
	d := &rateData{Number: r.PathValue("number"), Code: strings.TrimSpace(r.PostForm.Get("code")), Channel: rating.Channel(r.PostForm.Get("channel"))}
	if d.Channel != rating.QR && d.Channel != rating.Mobile {
		d.Channel = rating.PC
	}
	v := page.View{Title: "办件评价 " + d.Number, Data: d}
	receipt, err := h.svc.RateCase(r.Context(), d.Number, d.Code, page.RatingInput(r.PostForm, d.Channel))
	if err != nil {
		status := h.FormError(r, &v, err)
		switch {
		case apperr.Is(err, apperr.NotFound):
			// Ask for the code again, next to its field.
			v.Field["code"], d.Code = v.Error, ""
		case apperr.Is(err, apperr.Conflict):
			d.Rated = true
		}
		d.Levels, d.Tags = page.RatingChoices(r.PostForm)
		_, d.AddTags = page.RatingChoices(nil)
		h.Render(w, r, status, "rate", v)
		return
	}
	d.Receipt = receipt
	_, d.AddTags = page.RatingChoices(nil)
	v.Title = "评价已提交"
	h.Render(w, r, http.StatusOK, "rate", v)
}

// addToRating records the rater's addition (追加评价), proved with the
// key shown once, or with the case's check code.
func (h *Handlers) addToRating(w http.ResponseWriter, r *http.Request) {
	publicHeaders(w)
	r.ParseForm()
	d := &rateData{Number: r.PathValue("number"), Code: strings.TrimSpace(r.PostForm.Get("code")), Rated: true}
	v := page.View{Title: "追加评价 " + d.Number, Data: d}
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
		status := h.FormError(r, &v, err)
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
		_, d.AddTags = page.RatingChoices(form)
		h.Render(w, r, status, "rate", v)
		return
	}
	v.Title = "追加评价已提交"
	h.Render(w, r, http.StatusOK, "rate", v)
}
