package e2e

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/onewindow/onewindow/internal/service"
)

// pdfPages counts the pages of a PDF chromium printed: one page object
// each (its page tree's /Type /Pages is not one).
var pdfPages = regexp.MustCompile(`/Type\s*/Page[^s]`)

// printedPages prints the open page to PDF as the browser's print dialog
// would on A4 (the page's own @page size and margins) and counts the pages.
func printedPages(t *testing.T, ctx context.Context) int {
	t.Helper()
	yes := true
	res, err := chromedp.Call(ctx, page.PrintToPDF, page.PrintToPDFParams{PreferCSSPageSize: &yes, PrintBackground: &yes})
	if err != nil {
		t.Fatalf("print to PDF: %v", err)
	}
	return len(pdfPages.FindAll(res.Data, -1))
}

// TestOneTimeNoticeOnOnePage: the one-time notice of an applicant who
// brought nothing of the 食品经营许可 (every material to bring listed, a
// note, the handbook's long conditions) prints on one A4 page, with no
// second page holding only its foot; and the business licence, which the
// hall obtains from the electronic licence library, is listed once, as
// exempt, never as a material to bring.
func TestOneTimeNoticeOnOnePage(t *testing.T) {
	h := newHall(t)
	ctx := browser(t)
	at, err := h.svc.RecordIncomplete(h.asStaff(t, "shouli"), service.IncompleteIntake{ItemCode: "SCJG-XK-001",
		Applicant: company, Note: "请携带单位公章，由法定代表人本人办理或者出具授权委托书。"})
	if err != nil {
		t.Fatal(err)
	}
	h.as(t, ctx, "shouli")
	h.open(t, ctx, fmt.Sprintf("/intake/notices/%d/print", at.ID))
	shot(t, ctx, "print-one-time-notice")
	toBring, exempt := text(t, ctx, "table.materials"), text(t, ctx, "#exempt")
	if strings.Contains(toBring, "营业执照") || !strings.Contains(toBring, "食品经营许可申请书") {
		t.Errorf("the materials to bring:\n%s", toBring)
	}
	if !strings.Contains(exempt, "营业执照") || !strings.Contains(exempt, "电子证照库") || strings.Count(text(t, ctx, "article"), "营业执照") != 1 {
		t.Errorf("the business licence is not listed once, as exempt: %q", exempt)
	}
	if n := printedPages(t, ctx); n != 1 {
		t.Errorf("the one-time notice prints on %d A4 pages, want 1", n)
	}
}
