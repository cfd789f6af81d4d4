package desk

import (
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"strconv"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/org"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/web/page"
)

// The printable documents: each document a case's
// transitions made, as an A4 page in the print layout.

// printPage is what every printed document's template gets: the document
// with its data decoded by kind, the hall and department by name, and the
// two codes.
type printPage struct {
	Doc          casework.Document
	Data         any // *casework.ReceiptData, *casework.PledgeData, …
	Number       string
	Hall         org.Hall // the hall that took the case in; its name heads the page
	Department   string   // the deciding department's name
	Barcode      template.URL
	QR           template.URL
	ProgressURL  string       // what the QR code holds
	ProgressPage string       // the progress page's address, printed for typing in
	CheckCode    string       // on the receipt notice only
	RatingQR     template.URL // on the delivery receipt only: the QR code of RatingURL
	RatingURL    string       // the case's online rating page (the check code is typed in)
	// VerifyQR is the QR code of VerifyURL, the public verification page
	// of the electronic result the document hands over (with its code);
	// VerifyPage is that page's address without the code, for typing in.
	VerifyQR   template.URL
	VerifyURL  string
	VerifyPage string
	// Policy is the deadline policy the case runs under: the limits and
	// handover times the forms state.
	Policy casework.Policy
	// Preview is set on a written decision waiting for its confirmation
	// (the kit's print templates, decisions.go).
	Preview *page.Confirmation
	// Case is the case the document belongs to, its people by real name
	// (Name).
	Case *service.CaseView
}

// Name returns a person the document names by their real name.
func (p printPage) Name(username string) string { return p.Case.Name(username) }

// documentData decodes a document's data into the struct of its kind.
func documentData(d casework.Document) (any, error) {
	var v any
	switch d.Kind {
	case casework.ReceiptNotice:
		v = &casework.ReceiptData{}
	case casework.DeferralPledge:
		v = &casework.PledgeData{}
	case casework.CorrectionNotice:
		v = &casework.CorrectionData{}
	case casework.HandoverSheet:
		v = &casework.HandoverData{}
	case casework.ResultSheet:
		v = &casework.ResultSheetData{}
	case casework.DeliveryReceipt:
		v = &casework.ReceiptOfDelivery{}
	case casework.ProcedureNotice, casework.ProcedureRecord:
		v = &casework.ProcedureData{}
	default:
		// The written decisions: the kit's (decisions.go).
		if v, ok, err := page.DecodeDocument(d); ok {
			return v, err
		}
		return nil, fmt.Errorf("no printed form for document kind %q", d.Kind)
	}
	if err := json.Unmarshal(d.Data, v); err != nil {
		return nil, fmt.Errorf("document %s: %w", d.Kind, err)
	}
	return v, nil
}

// printDocument renders document {index} of case {number} (as listed on
// the case page). The case is read through the service, so only those
// who may read the case may print it; its ID numbers are already masked
// in the document's data.
func (h *Handlers) printDocument(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	v := page.View{Title: "打印文书"}
	cv, err := h.svc.Case(ctx, r.PathValue("number"))
	if err != nil {
		h.render(w, r, h.FormError(r, &v, err), "error", v)
		return
	}
	i, err := strconv.Atoi(r.PathValue("index"))
	if err != nil || i < 0 || i >= len(cv.Documents) {
		err = apperr.New(apperr.NotFound, "办件 %s 没有第 %s 份文书", cv.Case.Number, r.PathValue("index"))
		h.render(w, r, h.FormError(r, &v, err), "error", v)
		return
	}
	p, err := h.printPage(r, cv, cv.Documents[i])
	if err != nil {
		h.render(w, r, h.FormError(r, &v, err), "error", v)
		return
	}
	page := "print/" + string(p.Doc.Kind)
	if _, ok := h.pages[page]; !ok {
		h.log.Error("no print template", "kind", p.Doc.Kind)
		h.render(w, r, h.FormError(r, &v, apperr.New(apperr.NotFound, "这份文书没有打印样式")), "error", v)
		return
	}
	v.Title, v.Data = p.Doc.Title+" "+p.Number, p
	h.render(w, r, http.StatusOK, page, v)
}

// printPage gathers a document's page: its data, the names it refers to by
// code, and its barcode and QR code.
func (h *Handlers) printPage(r *http.Request, cv *service.CaseView, doc casework.Document) (*printPage, error) {
	data, err := documentData(doc)
	if err != nil {
		return nil, apperr.Wrap(err, "print document")
	}
	p := &printPage{Doc: doc, Data: data, Number: cv.Case.Number, Department: cv.Case.DepartmentCode, Policy: cv.Case.DeadlinePolicy()}
	p.Case = cv
	if rd, ok := data.(*casework.ReceiptData); ok {
		p.CheckCode = rd.CheckCode
	}
	halls, err := h.svc.Halls(r.Context())
	if err != nil {
		return nil, err
	}
	for _, hall := range halls {
		if hall.Code == cv.Case.HallCode {
			p.Hall = hall
		}
	}
	// A case taken in elsewhere than a known hall is headed by the
	// district's hall, listed first.
	if p.Hall.Name == "" && len(halls) > 0 {
		p.Hall = halls[0]
	}
	if p.Hall.Name == "" {
		p.Hall.Name = "政务服务中心"
	}
	depts, err := h.svc.Departments(r.Context())
	if err != nil {
		return nil, err
	}
	for _, d := range depts {
		if d.Code == cv.Case.DepartmentCode {
			p.Department = d.Name
		}
	}
	p.ProgressURL = page.ProgressLink(r, p.Number, p.CheckCode)
	p.ProgressPage = page.SiteBase(r) + "/progress"
	if p.Barcode, err = page.BarcodePNG(p.Number); err != nil {
		return nil, apperr.Wrap(err, "barcode")
	}
	if p.QR, err = page.QRPNG(p.ProgressURL); err != nil {
		return nil, apperr.Wrap(err, "QR code")
	}
	if e := printedResult(data); e != nil {
		p.VerifyURL = page.VerifyLink(r, p.Number, e.Code)
		p.VerifyPage = page.SiteBase(r) + "/verify/" + p.Number
		if p.VerifyQR, err = page.QRPNG(p.VerifyURL); err != nil {
			return nil, apperr.Wrap(err, "verification QR code")
		}
	}
	// The delivery receipt's second QR code opens the case's online rating
	// (好差评). The receipt goes back to the department for archiving, so
	// it carries no check code: the applicant types the one printed on the
	// receipt notice.
	if doc.Kind == casework.DeliveryReceipt {
		p.RatingURL = page.RatingLink(r, p.Number, "")
		if p.RatingQR, err = page.QRPNG(p.RatingURL); err != nil {
			return nil, apperr.Wrap(err, "rating QR code")
		}
	}
	return p, nil
}

// printedResult is the electronic result a result handover sheet or a
// delivery receipt hands over, nil for none.
func printedResult(data any) *casework.PrintedResult {
	switch d := data.(type) {
	case *casework.ResultSheetData:
		return d.Electronic
	case *casework.ReceiptOfDelivery:
		return d.Electronic
	}
	return nil
}

// The words the printed forms fill in; methods, so every print template
// can use them without functions of its own.

// Status says where a listed material stands.
func (printPage) Status(s string) string {
	switch casework.MaterialStatus(s) {
	case casework.Provided:
		return "已提交"
	case casework.Deferred:
		return "容缺后补"
	case casework.Supplied:
		return "已补齐"
	case casework.Missing:
		return "未提交"
	}
	return s
}

// Channel says how the application arrived.
func (printPage) Channel(c casework.Channel) string {
	switch c {
	case casework.ByMail:
		return "邮寄"
	case casework.Online:
		return "网上申报"
	}
	return "窗口递交"
}

// Outcome says what was decided.
func (printPage) Outcome(o casework.Outcome) string {
	switch o {
	case casework.Approve:
		return "准予"
	case casework.Deny:
		return "不予"
	}
	return "—"
}

// Method says how the result reaches the applicant.
func (printPage) Method(m string) string {
	if m == string(casework.Mail) {
		return "邮寄送达"
	}
	return "窗口领取"
}

// Party says whether a party is a person or an organisation.
func (printPage) Party(k casework.PartyKind) string {
	if k == casework.Entity {
		return "法人或其他组织"
	}
	return "自然人"
}
