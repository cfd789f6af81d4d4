package page

import (
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"net/url"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/org"
	"github.com/onewindow/onewindow/internal/service"
)

// The written decisions (受理通知书, 不予受理决定书, 准予/不予决定书) print
// from the kit's own templates (templates/print), so that the staff's case
// page and the applicant's own page print the same document.

// DocumentPage is what a written decision's print template gets: the
// document with its data decoded, the hall and department by name, the two
// codes and, before the decision is taken, the confirmation it waits for.
type DocumentPage struct {
	Doc         casework.Document
	Data        any // *casework.AcceptanceData, *casework.NonAcceptanceData, *casework.DecisionData
	Number      string
	Hall        org.Hall
	Department  string
	Barcode     template.URL
	QR          template.URL
	ProgressURL string
	// Preview is set while the decision waits for its confirmation: the
	// page is what will be printed, with the form that confirms it.
	Preview *Confirmation
}

// Confirmation is the form on a decision's preview: the same fields posted
// again with confirm=1 take the decision; "返回修改" posts them back to the
// case page's form.
type Confirmation struct {
	Post   string // the action's address
	Label  string // the action's name: 作出决定, 不予受理
	Fields []Hidden
}

// Hidden is one form field the confirmation posts again.
type Hidden struct{ Name, Value string }

// ConfirmationOf returns the confirmation of action on case number with
// the fields of form (every one but confirm and edit).
func ConfirmationOf(number string, action casework.Action, form url.Values) *Confirmation {
	c := &Confirmation{Post: "/cases/" + url.PathEscape(number) + "/" + string(action), Label: action.Label()}
	for name, vs := range form {
		if name == "confirm" || name == "edit" {
			continue
		}
		for _, v := range vs {
			c.Fields = append(c.Fields, Hidden{name, v})
		}
	}
	return c
}

// DecodeDocument decodes a written decision's data into the struct of its
// kind; ok is false for the other kinds.
func DecodeDocument(d casework.Document) (v any, ok bool, err error) {
	switch d.Kind {
	case casework.AcceptanceNotice:
		v = &casework.AcceptanceData{}
	case casework.NonAcceptance:
		v = &casework.NonAcceptanceData{}
	case casework.ApprovalDecision, casework.DenialDecision:
		v = &casework.DecisionData{}
	default:
		return nil, false, nil
	}
	if err := json.Unmarshal(d.Data, v); err != nil {
		return nil, true, fmt.Errorf("document %s: %w", d.Kind, err)
	}
	return v, true, nil
}

// DocumentPage gathers a written decision's page: its data, the hall and
// department by name, the case number's barcode and the progress QR code.
func (k *Kit) DocumentPage(r *http.Request, cv *service.CaseView, doc casework.Document) (*DocumentPage, error) {
	data, ok, err := DecodeDocument(doc)
	if err != nil {
		return nil, apperr.Wrap(err, "print document")
	}
	if !ok {
		return nil, apperr.New(apperr.NotFound, "这份文书没有打印样式")
	}
	p := &DocumentPage{Doc: doc, Data: data, Number: cv.Case.Number}
	p.Department = k.DepartmentNames(r.Context())[cv.Case.DepartmentCode]
	halls, err := k.Svc.Halls(r.Context())
	if err != nil {
		return nil, err
	}
	for _, h := range halls {
		if h.Code == cv.Case.HallCode || (p.Hall.Name == "" && h.Level == org.District) {
			p.Hall = h
		}
	}
	p.ProgressURL = ProgressLink(r, p.Number, "")
	if p.Barcode, err = BarcodePNG(p.Number); err != nil {
		return nil, apperr.Wrap(err, "barcode")
	}
	if p.QR, err = QRPNG(p.ProgressURL); err != nil {
		return nil, apperr.Wrap(err, "QR code")
	}
	return p, nil
}
