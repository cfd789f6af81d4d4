package e2e

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/catalog"
	"github.com/onewindow/onewindow/internal/demo"
	"github.com/onewindow/onewindow/internal/org"
)

// codeWords are the ASCII values no clerk, applicant or supervisor should
// read: the states, actions, roles, channels and other enum values of the
// domain, and the demo's department and hall codes and usernames. The
// bureau administrator's pages may show codes and usernames (they are
// what is configured there), not enum values.
func codeWords(h *hall) (enums, codes map[string]bool) {
	enums, codes = map[string]bool{}, map[string]bool{}
	for _, s := range casework.States {
		enums[string(s)] = true
	}
	for _, a := range casework.Actions() {
		enums[string(a)] = true
	}
	for _, r := range org.Roles {
		enums[string(r)] = true
	}
	for _, w := range []string{"applicant", "system", "online", "window", "mail", "pickup", "web", "approve", "deny",
		"person", "entity", "visit", "phone", "requested", "approved", "rejected", "provided", "deferred", "supplied", "missing",
		string(catalog.Instant), string(catalog.Promised), string(calendar.WarningRed), string(calendar.WarningYellow), "green"} {
		enums[w] = true
	}
	for _, p := range casework.PauseTypes {
		enums[string(p)] = true
	}
	d := demo.Load()
	for _, x := range d.Departments {
		codes[x.Code] = true
	}
	for _, x := range d.Halls {
		codes[x.Code] = true
	}
	for u := range h.creds {
		codes[u] = true
	}
	return enums, codes
}

// asciiWord is one run of ASCII letters, digits, '_' and '-' in a text:
// an item code (SCJG-XK-001) is one word, not the department code in it.
var asciiWord = regexp.MustCompile(`[A-Za-z0-9_\-]+`)

// leaks returns the code words in the page's visible text.
func leaks(t *testing.T, ctx context.Context, bad map[string]bool) []string {
	t.Helper()
	body, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.innerText`))
	if err != nil {
		t.Fatalf("page text: %v", err)
	}
	var out []string
	for _, w := range asciiWord.FindAllString(body, -1) {
		if bad[w] && !slices.Contains(out, w) {
			out = append(out, w)
		}
	}
	return out
}

// menu returns the signed-in person's menu: the paths of the header's
// links.
func menu(t *testing.T, ctx context.Context) []string {
	t.Helper()
	hrefs, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("header nav a")].map(a => a.getAttribute("href"))`))
	if err != nil {
		t.Fatalf("menu: %v", err)
	}
	return hrefs
}

// TestNoCodesOnThePages walks the demo as each role: every page of its
// menu, and the case page of a case in each state (and sub-state) its
// role may read, and fails on any state, action, role, channel or other
// enum value, department or hall code or username in the visible text
// (the bureau administrator's pages may name codes and usernames).
func TestNoCodesOnThePages(t *testing.T) {
	h := newHall(t)
	ctx := browser(t)
	enums, codes := codeWords(h)
	both := map[string]bool{}
	for w := range enums {
		both[w] = true
	}
	for w := range codes {
		both[w] = true
	}

	// A case in each state a walk meets, all of the market regulator's.
	rev, intake, issue := h.asStaff(t, "shenpi"), h.asStaff(t, "shouli"), h.asStaff(t, "chujian")
	act := func(ctx context.Context, n string, steps ...casework.Action) string {
		t.Helper()
		for _, a := range steps {
			in := casework.Input{}
			switch a {
			case casework.ActReturn:
				in = casework.Input{Reason: "布局图不清晰", Corrections: []string{"M03"}}
			case casework.ActPause:
				in = casework.Input{PauseType: casework.SiteSurvey, Reason: "现场核查"}
			case casework.ActExtend:
				in = casework.Input{Days: 5, Reason: "需补充核查"}
			case casework.ActDecide:
				in = casework.Input{Confirm: true, Outcome: casework.Approve, ResultDocument: "食品经营许可证 JY1"}
			case casework.ActWithdraw:
				in = casework.Input{Reason: "申请人决定暂不经营"}
			case casework.ActRefuseResult:
				in = casework.Input{Reason: "证号有误"}
			case casework.ActMail:
				in = casework.Input{Carrier: "EMS", Tracking: "EA123456789CN"}
			}
			if _, err := h.svc.Act(ctx, n, a, in, 0); err != nil {
				t.Fatalf("%s on %s: %v", a, n, err)
			}
		}
		return n
	}
	newCase := func(mail bool) string {
		in := casework.Intake{ItemCode: "SCJG-XK-002", Channel: casework.AtWindow, Applicant: company, Materials: provided("M01", "M02", "M03", "M04")}
		if mail {
			in.Delivery = &casework.Delivery{Method: casework.Mail, Address: "江川区滨河路66号", Recipient: "李娟", Phone: "13812345678"}
		}
		return h.takeIn(t, in)
	}
	accepted := func(mail bool) string {
		n := newCase(mail)
		act(rev, n, casework.ActAccept, casework.ActHandover)
		return n
	}
	cases := []string{
		newCase(false),
		act(rev, newCase(false), casework.ActReturn),
		accepted(false),
		act(rev, accepted(false), casework.ActPause),
		act(rev, accepted(false), casework.ActExtend),
		act(rev, accepted(false), casework.ActDecide, casework.ActSubmitResult),
		act(issue, act(rev, accepted(false), casework.ActDecide, casework.ActSubmitResult), casework.ActRefuseResult),
		act(issue, act(rev, accepted(false), casework.ActDecide, casework.ActSubmitResult), casework.ActAcceptResult),
		act(issue, act(rev, accepted(true), casework.ActDecide, casework.ActSubmitResult), casework.ActAcceptResult, casework.ActMail),
		act(issue, act(rev, accepted(true), casework.ActDecide, casework.ActSubmitResult), casework.ActAcceptResult, casework.ActMail,
			casework.ActConfirmDelivery, casework.ActArchive),
		act(intake, newCase(false), casework.ActWithdraw),
	}

	for _, user := range []string{"shouli", "shenpi", "chujian", "bumen", "jiandu", "admin"} {
		h.as(t, ctx, user)
		h.open(t, ctx, "/")
		bad := both
		if user == "admin" {
			bad = enums
		}
		pages := append(menu(t, ctx), "/")
		if user != "admin" {
			for _, n := range cases {
				pages = append(pages, "/cases/"+n)
			}
		}
		for _, p := range pages {
			if !strings.HasPrefix(p, "/") {
				continue
			}
			h.open(t, ctx, p)
			if l := leaks(t, ctx, bad); len(l) > 0 {
				t.Errorf("%s as %s shows %v", p, user, l)
			}
		}
	}
	// The public pages: the handbook and an item's guide.
	for _, p := range []string{"/items", "/items/SCJG-XK-001", "/progress"} {
		h.open(t, ctx, p)
		if l := leaks(t, ctx, both); len(l) > 0 {
			t.Errorf("%s shows %v", p, l)
		}
	}
}
