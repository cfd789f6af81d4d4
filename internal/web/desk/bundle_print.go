package desk

import (
	"encoding/json"
	"html/template"
	"net/http"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/web/page"
)

// bundleReceipt is the one receipt notice of a joint application taken in
// at the window (一件事收件通知书): every member case with its number and
// check code, and the materials once each, as the applicant takes it home.
type bundleReceipt struct {
	Number, Name string
	Hall         string
	Applicant    casework.Party // masked
	Agent        *casework.Party
	ReceivedAt   time.Time
	DueBy        time.Time
	PromisedDays int
	Clerk        string // the intake clerk's real name
	Members      []bundleReceiptMember
	Materials    []bundleReceiptMaterial
	SupplyBy     time.Time // the earliest deferral due date, if any
	Barcode      template.URL
	ProgressPage string
}

type bundleReceiptMember struct {
	Item, Department, Number, CheckCode string
	AcceptBy                            time.Time
	After                               []string
}

type bundleReceiptMaterial struct {
	Name              string
	Originals, Copies int
	Status            string // in words
	For               []string
}

// printBundleReceipt renders the joint application's one receipt notice.
// It reads the bundle and each member case through the service, so only
// those who may read them may print it.
func (h *Handlers) printBundleReceipt(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	v := page.View{Title: "一件事收件通知书"}
	bv, err := h.svc.Bundle(ctx, r.PathValue("number"))
	if err != nil {
		h.render(w, r, h.FormError(r, &v, err), "error", v)
		return
	}
	b := bv.Bundle
	p := &bundleReceipt{Number: b.Number, Name: b.Name, ReceivedAt: b.ReceivedAt, DueBy: b.DueBy,
		PromisedDays: bv.Template.PromisedDays, ProgressPage: page.SiteBase(r) + "/progress"}
	depts := h.deptNames(ctx)
	items := map[string]string{}
	byName := map[string]int{}
	for _, m := range bv.Cases {
		items[m.Case.ItemCode] = m.Case.ItemName
	}
	for _, m := range bv.Cases {
		cv, err := h.svc.Case(ctx, m.Case.Number)
		if err != nil {
			h.render(w, r, h.FormError(r, &v, err), "error", v)
			return
		}
		var rd casework.ReceiptData
		for _, d := range cv.Documents {
			if d.Kind == casework.ReceiptNotice {
				if err := json.Unmarshal(d.Data, &rd); err != nil {
					h.render(w, r, h.FormError(r, &v, apperr.Wrap(err, "receipt notice")), "error", v)
					return
				}
				break
			}
		}
		c := cv.Case
		if p.Clerk == "" {
			p.Applicant, p.Agent, p.Clerk, p.Hall = rd.Applicant, rd.Agent, cv.ReceivedByName, cv.HallName
		}
		member := bundleReceiptMember{Item: c.ItemName, Department: depts[c.DepartmentCode], Number: c.Number,
			CheckCode: rd.CheckCode, AcceptBy: c.Deadlines.AcceptBy}
		for _, tm := range bv.Template.Members {
			if tm.ItemCode == c.ItemCode {
				for _, code := range tm.After {
					member.After = append(member.After, items[code])
				}
			}
		}
		p.Members = append(p.Members, member)
		if sb := c.Deadlines.SupplyBy; !sb.IsZero() && (p.SupplyBy.IsZero() || sb.Before(p.SupplyBy)) {
			p.SupplyBy = sb
		}
		for _, mat := range rd.Materials {
			i, ok := byName[mat.Name]
			if !ok {
				i = len(p.Materials)
				byName[mat.Name] = i
				p.Materials = append(p.Materials, bundleReceiptMaterial{Name: mat.Name, Status: materialWords(mat.Status)})
			}
			bm := &p.Materials[i]
			bm.Originals, bm.Copies = max(bm.Originals, mat.Originals), max(bm.Copies, mat.Copies)
			bm.For = append(bm.For, c.ItemName)
		}
	}
	if p.Barcode, err = page.BarcodePNG(b.Number); err != nil {
		h.render(w, r, h.FormError(r, &v, apperr.Wrap(err, "barcode")), "error", v)
		return
	}
	if p.Hall == "" {
		p.Hall = "政务服务中心"
	}
	v.Title, v.Data = "一件事收件通知书 "+b.Number, p
	h.render(w, r, http.StatusOK, "print/bundle_receipt", v)
}

// materialWords says where a listed material stands, as the receipt
// notice prints it.
func materialWords(status string) string {
	return printPage{}.Status(status)
}
