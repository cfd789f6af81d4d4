package e2e

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/onewindow/onewindow/internal/idcard"
	"github.com/onewindow/onewindow/internal/server"
)

// TestIDCardReaderFillsTheApplicant: with the reader bridge configured the
// intake form offers 读身份证; with no card on the reader it says so, and
// with a card it fills the applicant's kind, name, ID and address from it.
func TestIDCardReaderFillsTheApplicant(t *testing.T) {
	sim := idcard.NewSimulator("*")
	bridge := httptest.NewServer(sim)
	t.Cleanup(bridge.Close)
	h := newHallWith(t, server.Config{Version: "e2e", IDCardBridge: bridge.URL})
	ctx := browser(t)
	h.as(t, ctx, "shouli")
	h.open(t, ctx, "/intake/RSJ-GG-001")
	do(t, ctx, "read with no card", chromedp.WaitVisible(chromedp.CSS("#read-idcard")), chromedp.Click(chromedp.CSS("#read-idcard")),
		chromedp.Poll[chromedp.Void](`document.getElementById('idcard-status').textContent.indexOf('请将身份证放在读卡器上') >= 0`))

	sim.Place(&idcard.Card{Name: "李秀英", Sex: "女", Nation: "汉", Birth: "1949-12-31", Address: "江川区柳荫路8号",
		IDNumber: "11010519491231002X", Issuer: "江川市公安局江川分局", ValidFrom: "2019-06-01", ValidTo: "2039-06-01"})
	do(t, ctx, "read the card", chromedp.Click(chromedp.CSS("#read-idcard")),
		chromedp.Poll[chromedp.Void](`document.getElementById('idcard-status').textContent.indexOf('已读取') >= 0`))
	for sel, want := range map[string]string{"#applicant-name": "李秀英", "#applicant-id_number": "11010519491231002X", "#applicant-id_type": "resident_id", "#applicant-address": "江川区柳荫路8号"} {
		got, err := chromedp.Run(ctx, chromedp.Value(chromedp.CSS(sel)))
		if err != nil || strings.TrimSpace(got) != want {
			t.Errorf("%s = %q (%v), want %q", sel, got, err, want)
		}
	}
	person, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector('input[name="applicant.kind"][value=person]').checked`))
	if err != nil || !person {
		t.Errorf("the applicant is not marked a person (%v)", err)
	}
}
