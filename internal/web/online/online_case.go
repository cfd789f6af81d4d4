package online

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/rating"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/web/page"
)

// ---- One case: timeline, correction, withdrawal, rating ----

// myEntry is one line of the timeline.
type myEntry struct {
	service.TimelineEntry
}

// myCaseMaterial is one material of the case with its files and what the
// pre-review said of it.
type myCaseMaterial struct {
	casework.CaseMaterial
	Files  []myFile
	Reason string // the failed pre-review's reason for it
	Error  string // why a corrected file was refused
}

type myCaseData struct {
	T          *service.Timeline
	C          *casework.Case
	Warning    calendar.Warning
	Department string
	Progress   *service.Progress // state in words and what to do next
	Entries    []myEntry
	Materials  []myCaseMaterial
	Resubmit   bool
	Withdraw   bool
	Rate       bool
	Levels     []page.LevelChoice
	Tags       []page.TagChoice
	Realname   string // the account holder's name, for a real-name rating
	Documents  []myDocument
}

// myDocument is one document issued to the applicant, with where to open
// it when it prints online (the written decisions).
type myDocument struct {
	casework.Document
	Href string // "" when it does not print online
}

// Mail reports whether the result is to be mailed.
func (d myCaseData) Mail() bool { return d.C.Delivery.Method == casework.Mail }

func (h *Handlers) myCase(w http.ResponseWriter, r *http.Request) {
	h.showMyCase(w, r, http.StatusOK, page.View{})
}

// showMyCase renders the case page, with a refused action's messages in v.
func (h *Handlers) showMyCase(w http.ResponseWriter, r *http.Request, status int, v page.View) {
	ctx := r.Context()
	number := r.PathValue("number")
	t, err := h.svc.CaseTimeline(ctx, number)
	if err != nil {
		h.myFail(w, r, "办件 "+number, err)
		return
	}
	names, err := h.departmentNames(r)
	if err != nil {
		h.myFail(w, r, "办件 "+number, err)
		return
	}
	c := t.View.Case
	d := myCaseData{T: t, C: c, Warning: t.View.Warning, Department: names[c.DepartmentCode],
		Resubmit: slices.Contains(t.View.Allowed, casework.ActResubmitOnline),
		Withdraw: slices.Contains(t.View.Allowed, casework.ActWithdraw),
		Rate:     t.Rateable && !t.Rated, Realname: service.AccountFrom(ctx).Name}
	if p, err := h.svc.Progress(ctx, c.Number, t.CheckCode); err == nil {
		d.Progress = p
	}
	for _, e := range t.Entries {
		d.Entries = append(d.Entries, myEntry{TimelineEntry: e})
	}
	d.Documents = h.myDocuments(c.Number, t.View.Documents) // online_documents.go
	base := "/my/files/cases/" + url.PathEscape(c.Number) + "/"
	for _, m := range c.Materials {
		cm := myCaseMaterial{CaseMaterial: m, Files: myFiles(m.Files, base), Error: v.Field["file."+m.Code]}
		if c.PreReview != nil && !c.PreReview.Passed {
			cm.Reason = c.PreReview.Reasons[m.Code]
		}
		d.Materials = append(d.Materials, cm)
	}
	if d.Rate {
		form := v.Form
		if r.Method == http.MethodGet || !strings.HasSuffix(r.URL.Path, "/rate") {
			form = nil
		}
		d.Levels, d.Tags = page.RatingChoices(form)
	}
	v.Title, v.Data = "办件 "+c.Number, d
	h.Render(w, r, status, "my_case", v)
}

// caseFailed shows the case page again with err's messages.
func (h *Handlers) caseFailed(w http.ResponseWriter, r *http.Request, form url.Values, err error) {
	v := page.View{}
	status := h.FormError(r, &v, err)
	v.Form = form
	h.showMyCase(w, r, status, v)
}

// myResubmit sends the corrected files after a failed pre-review: one
// multipart form with a file input per material ("file.<code>"). The files
// given replace the material's files; any refused file stops the whole
// resubmission.
func (h *Handlers) myResubmit(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	number := r.PathValue("number")
	cv, err := h.svc.Case(ctx, number)
	if err != nil {
		h.myFail(w, r, "办件 "+number, err)
		return
	}
	count := map[string]int{}
	values, files, readErr := h.readUploads(r, func(field string, _ url.Values) error {
		code, ok := strings.CutPrefix(field, "file.")
		i := slices.IndexFunc(cv.Case.Materials, func(m casework.CaseMaterial) bool { return m.Code == code })
		switch {
		case !ok || i < 0:
			return apperr.Field("file", "办事指南未列明该材料，不能上传："+code)
		case cv.Case.Materials[i].PaperOnly:
			return apperr.Field("file", "「"+cv.Case.Materials[i].Name+"」只收纸质材料，预审通过后携带纸质材料到大厅")
		case count[code] >= casework.MaxFilesPerMaterial:
			return apperr.Field("file", fmt.Sprintf("每项材料最多上传 %d 个文件", casework.MaxFilesPerMaterial))
		}
		count[code]++
		return nil
	})
	fields := map[string]string{}
	corrected := map[string][]casework.FileRef{}
	for _, u := range files {
		key := u.Field
		if u.Err != nil {
			if prev := fields[key]; prev != "" {
				fields[key] = prev + "；" + h.message(r, u.Err)
			} else {
				fields[key] = h.message(r, u.Err)
			}
			continue
		}
		code := strings.TrimPrefix(u.Field, "file.")
		corrected[code] = append(corrected[code], u.Ref)
	}
	if readErr != nil {
		fields["files"] = h.message(r, readErr)
	}
	if len(fields) > 0 {
		v := page.View{Field: fields, Form: values, Error: "补正材料未提交，请按提示重新选择文件。"}
		h.showMyCase(w, r, http.StatusUnprocessableEntity, v)
		return
	}
	version, _ := strconv.Atoi(values.Get("version"))
	cv, err = h.svc.ResubmitOnline(ctx, number, corrected, version)
	if err != nil {
		h.caseFailed(w, r, values, err)
		return
	}
	h.Redirect(w, r, "/my/cases/"+number, fmt.Sprintf("补正材料已重新提交，部门将在 %d 个工作日内重新预审。", cv.Case.DeadlinePolicy().PreReviewDays))
}

func (h *Handlers) myWithdraw(w http.ResponseWriter, r *http.Request) {
	number := r.PathValue("number")
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	if _, err := h.svc.Act(r.Context(), number, casework.ActWithdraw, casework.Input{Reason: r.PostFormValue("reason")}, version); err != nil {
		h.caseFailed(w, r, r.PostForm, err)
		return
	}
	h.Redirect(w, r, "/my/cases/"+number, "申请已撤回。")
}

// myRate rates the service of a case that has ended, with the case's own
// check code (the owner's); a real-name rating carries the account's name
// and phone.
func (h *Handlers) myRate(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	number := r.PathValue("number")
	r.ParseForm()
	t, err := h.svc.CaseTimeline(ctx, number)
	if err != nil {
		h.myFail(w, r, "办件 "+number, err)
		return
	}
	in := page.RatingInput(r.PostForm, rating.PC)
	if in.RealName {
		acc := service.AccountFrom(ctx)
		in.Name, in.Phone = acc.Name, acc.Phone
	}
	receipt, err := h.svc.RateCase(ctx, number, t.CheckCode, in)
	if err != nil {
		h.caseFailed(w, r, r.PostForm, err)
		return
	}
	flash := "感谢您的评价：" + receipt.Rating.Level.Label() + "。"
	if !receipt.RectifyBy.IsZero() {
		flash += "相关部门将在 " + page.FmtTime(receipt.RectifyBy, "1月2日") + " 前核实整改。"
	}
	h.Redirect(w, r, "/my/cases/"+number, flash)
}
