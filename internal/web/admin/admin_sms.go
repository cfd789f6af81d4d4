package admin

import (
	"net/http"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/web/page"
)

// The text messages applicants receive, worded by the bureau admin: one
// template per notice kind, previewed on a sample notice with its length
// in characters and billed messages (70 characters for one, 67 each when
// longer), saved or reset to the default.

type adminSMSData struct {
	adminPage
	Templates []service.SMSTemplateView
	Kind      string              // the template being edited or previewed
	Body      string              // what was typed
	Preview   *service.SMSPreview // the preview asked for
	Fields    string              // the field error of Kind's form
}

// adminSMS lists the templates, each with its form.
func (h *Handlers) adminSMS(w http.ResponseWriter, r *http.Request) {
	d, err := h.adminSMSData(r)
	if err != nil {
		h.refuse(w, r, err)
		return
	}
	h.Render(w, r, http.StatusOK, "admin_sms", page.View{Title: "短信模板", Data: d})
}

func (h *Handlers) adminSMSData(r *http.Request) (adminSMSData, error) {
	ts, err := h.svc.SMSTemplates(r.Context())
	if err != nil {
		return adminSMSData{}, err
	}
	p := h.adminTabs(r)
	p.ActiveTab = "/admin/sms"
	return adminSMSData{adminPage: p, Templates: ts}, nil
}

// saveAdminSMS previews, saves or resets one kind's template, as the
// button pressed says; a preview or a refusal shows the page again with
// what was typed.
func (h *Handlers) saveAdminSMS(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	d, err := h.adminSMSData(r)
	if err != nil {
		h.refuse(w, r, err)
		return
	}
	in := service.SMSTemplateEdit{Kind: r.PostFormValue("kind"), Body: r.PostFormValue("template"), Reset: r.PostFormValue("action") == "reset"}
	d.Kind, d.Body = in.Kind, in.Body
	if r.PostFormValue("action") == "preview" {
		p, err := h.svc.PreviewSMSTemplate(r.Context(), in)
		if err == nil {
			d.Preview = &p
			h.Render(w, r, http.StatusOK, "admin_sms", page.View{Title: "短信模板", Data: d})
			return
		}
		h.smsRefused(w, r, d, err)
		return
	}
	v, err := h.svc.SaveSMSTemplate(r.Context(), in)
	if err != nil {
		h.smsRefused(w, r, d, err)
		return
	}
	msg := "已保存「" + v.Label + "」的短信模板，此后发出的短信按新模板。"
	if in.Reset {
		msg = "「" + v.Label + "」的短信已恢复默认模板。"
	}
	h.Redirect(w, r, "/admin/sms#sms-"+v.Kind, msg)
}

func (h *Handlers) smsRefused(w http.ResponseWriter, r *http.Request, d adminSMSData, err error) {
	v := page.View{Title: "短信模板", Data: &d}
	status := h.FormError(r, &v, err)
	for _, f := range apperr.FieldsOf(err) {
		d.Fields = f.Message
	}
	h.Render(w, r, status, "admin_sms", v)
}
