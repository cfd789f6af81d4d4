package desk

import (
	"context"
	"strconv"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/supervision"
)

// The holding-time bar of the case page (停留时长): who held the case for
// each working hour of its life, from the supervision use case, drawn as
// SVG (the CSP allows no style attribute, so widths are SVG attributes).

// holdColours tells the holders apart, on screen and in print.
var holdColours = map[supervision.Holder]string{
	supervision.LegalPause: "#9aa5b1", supervision.Applicant: "#e08a00", supervision.Issuance: "#1b8a7a",
	supervision.Department: "#1f4e8c", supervision.IntakeDesk: "#4c9a2a",
}

// holdPart is one holder's share of the bar.
type holdPart struct {
	Label, Hours, Colour, X, W string
	Current                    bool // the case is with this holder now
}

// holdingBar is the case's bar.
type holdingBar struct {
	Parts []holdPart
	Total string
	Now   string // who holds it now
}

const holdBarWidth = 600.0

// holding reads the case's bar; nil when the user may not see the
// supervision figures (reviewers, clerks) or the case has no hours yet.
func (h *Handlers) holding(ctx context.Context, number, deptName string) *holdingBar {
	cs, err := h.svc.Supervision().Case(ctx, number)
	if err != nil {
		if c := apperr.CodeOf(err); c != apperr.Forbidden && c != apperr.NotFound {
			h.log.Error("holding bar", "case", number, "err", err)
		}
		return nil
	}
	var total int64
	for _, b := range cs.Bar {
		total += b.Minutes
	}
	bar := &holdingBar{Total: supervision.HoursText(total)}
	label := func(hd supervision.Holder, l string) string {
		if hd == supervision.Department && deptName != "" {
			return l + "（" + deptName + "）"
		}
		return l
	}
	if cs.Holder != "" {
		bar.Now = label(cs.Holder, cs.Holder.Label())
	}
	x := 0.0
	for _, b := range cs.Bar {
		if b.Minutes == 0 {
			continue
		}
		w := 0.0
		if total > 0 {
			w = holdBarWidth * float64(b.Minutes) / float64(total)
		}
		bar.Parts = append(bar.Parts, holdPart{Label: label(b.Holder, b.Label), Hours: supervision.HoursText(b.Minutes),
			Colour: holdColours[b.Holder], X: strconv.FormatFloat(x, 'f', 1, 64), W: strconv.FormatFloat(w, 'f', 1, 64),
			Current: b.Holder == cs.Holder})
		x += w
	}
	return bar
}
