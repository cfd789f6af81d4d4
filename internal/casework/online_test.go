package casework_test

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/catalog"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/org"
)

// Online applications (R13, R14) and bundle waits. The expected times are
// worked out by hand from the State Council's 2026 and 2027 arrangements
// (see deadline_test.go): 09-20 (Sun) and 10-10 (Sat) are working days,
// 09-25 to 09-27 and 10-01 to 10-07 are off, 2027-01-01 to 01-03 are off.

// shanghai shows a time as the hall reads it.
func shanghai(tm time.Time) string { return tm.In(clock.Shanghai).Format("2006-01-02 Mon 15:04") }

// dueNames lists the case's running deadlines by name.
func dueNames(c *casework.Case) []string {
	var out []string
	for _, d := range c.OpenDeadlines() {
		out = append(out, d.Name)
	}
	return out
}

// details decodes an event's details.
func details(t testing.TB, ev *casework.Event) map[string]any {
	t.Helper()
	var out map[string]any
	if err := json.Unmarshal(ev.Details, &out); err != nil {
		t.Fatalf("%s details %s: %v", ev.Type, ev.Details, err)
	}
	return out
}

// stamp is a time as event details carry it.
func stamp(tm time.Time) string { return tm.Format(time.RFC3339) }

// lastEvent returns the history's last event.
func (h *history) lastEvent() *casework.Event { return h.events[len(h.events)-1] }

// electronicApplication is an application for code with a file for every
// material that may be uploaded, by applicant.
func electronicApplication(t testing.TB, code string, applicant casework.Party) casework.OnlineApplication {
	files := map[string][]casework.FileRef{}
	for _, m := range item(t, code).Materials {
		if m.Electronic {
			files[m.Code] = []casework.FileRef{pdfFile(m.Name + ".pdf")}
		}
	}
	return casework.OnlineApplication{ItemCode: code, Applicant: applicant, Files: files}
}

// submitWith makes an online case of in for it at now, by a.
func submitWith(t testing.TB, in casework.OnlineApplication, it *catalog.Item, a casework.Actor, now time.Time) *history {
	t.Helper()
	c, ev, err := casework.NewOnlineCase(in, it, a, env(now))
	if err != nil {
		t.Fatalf("NewOnlineCase of %s at %s: %v", it.Code, now, err)
	}
	c.Number, c.Version = "20260302000009", 1
	return &history{t: t, c: c, now: now, events: []*casework.Event{ev}, docs: [][]casework.Document{nil}}
}

// files returns n PDF files named for a material.
func files(name string, n int) []casework.FileRef {
	out := make([]casework.FileRef, n)
	for i := range out {
		out[i] = pdfFile(name + "-" + string(rune('a'+i)) + ".pdf")
	}
	return out
}

func TestNewOnlineCase(t *testing.T) {
	tests := []struct {
		name             string
		now, prereviewBy time.Time
	}{
		{"Monday morning", at(2026, 3, 2, 9, 0), at(2026, 3, 4, 17, 0)},
		{"Monday 11:59", at(2026, 3, 2, 11, 59), at(2026, 3, 4, 17, 0)},
		{"Monday 12:00: the split is for paper only", at(2026, 3, 2, 12, 0), at(2026, 3, 4, 17, 0)},
		{"Monday night", at(2026, 3, 2, 22, 0), at(2026, 3, 4, 17, 0)},
		{"Friday afternoon", at(2026, 3, 6, 15, 30), at(2026, 3, 10, 17, 0)},
		{"Saturday", at(2026, 3, 7, 10, 0), at(2026, 3, 10, 17, 0)},
		{"the day before Mid-Autumn", at(2026, 9, 24, 10, 0), at(2026, 9, 29, 17, 0)},
		{"the last working day before National Day", at(2026, 9, 30, 16, 0), at(2026, 10, 9, 17, 0)},
		{"during National Day", at(2026, 10, 3, 10, 0), at(2026, 10, 9, 17, 0)},
		{"the working Sunday 09-20", at(2026, 9, 20, 10, 0), at(2026, 9, 22, 17, 0)},
		{"the working Saturday 10-10", at(2026, 10, 10, 10, 0), at(2026, 10, 13, 17, 0)},
		{"the Friday before the working Saturday", at(2026, 10, 9, 15, 0), at(2026, 10, 12, 17, 0)},
		{"New Year's Eve", at(2026, 12, 31, 15, 0), at(2027, 1, 5, 17, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, ev, err := casework.NewOnlineCase(onlineApplication(t, promisedItem), item(t, promisedItem), applicantUser, env(tt.now))
			if err != nil {
				t.Fatal(err)
			}
			if got := c.Deadlines.PreReviewBy; !got.Equal(tt.prereviewBy) || shanghai(got) != shanghai(tt.prereviewBy) {
				t.Errorf("prereview_by %s, want %s", shanghai(got), shanghai(tt.prereviewBy))
			}
			if c.State != casework.Submitted || c.Channel != casework.Online || c.AccountID != applicantUser.AccountID ||
				!c.SubmittedAt.Equal(tt.now) || !c.ReceivedAt.Equal(tt.now) || c.ReceivedBy != applicantUser.Username ||
				c.AgentUser != "" || c.OnlineFull || c.PreReview != nil || c.Kind != catalog.Promised || c.PromisedDays != 5 || c.DepartmentCode != "SCJG" {
				t.Errorf("new online case = %+v", c)
			}
			d := c.Deadlines
			if !d.AcceptBy.IsZero() || !d.HandoverBy.IsZero() || !d.SupplyBy.IsZero() || !d.DecideBy.IsZero() {
				t.Errorf("deadlines of later steps are set at submission: %+v", d)
			}
			if got := dueNames(c); !slices.Equal(got, []string{"prereview_by"}) {
				t.Errorf("running deadlines %v, want prereview_by only", got)
			}
			if ev.Type != casework.ActSubmit || ev.From != "" || ev.To != casework.Submitted || ev.Actor != applicantUser.Username ||
				ev.Role != string(org.RoleApplicant) || ev.Desk != applicantUser.Desk || !ev.At.Equal(tt.now) {
				t.Errorf("event = %+v", ev)
			}
			det := details(t, ev)
			if det["prereview_by"] != stamp(tt.prereviewBy) || det["files"] != float64(6) || det["channel"] != "online" || det["item_code"] != promisedItem {
				t.Errorf("details = %v", det)
			}
			if strings.Contains(string(ev.Details), companyCode) {
				t.Errorf("details %s carry the credit code", ev.Details)
			}
			for _, m := range c.Materials {
				if m.Status != casework.Provided || len(m.Files) != 1 || !m.Paper {
					t.Errorf("material %s: %s, %d files, paper %v", m.Code, m.Status, len(m.Files), m.Paper)
				}
			}
		})
	}
}

func TestNewOnlineCaseByAgentAndOptions(t *testing.T) {
	now := at(2026, 3, 2, 9, 0)
	in := onlineApplication(t, promisedItem)
	delete(in.Files, "M06") // optional: 授权委托书
	in.Files["M03"] = files("布局图", casework.MaxFilesPerMaterial)
	in.Delivery = mailTo()
	in.Form = map[string]string{"shop_name": "味香小馆"}
	c, ev, err := casework.NewOnlineCase(in, item(t, promisedItem), agentActor, env(now))
	if err != nil {
		t.Fatal(err)
	}
	if c.AccountID != agentActor.AccountID || c.AgentUser != agentActor.Username || c.ReceivedBy != agentActor.Username {
		t.Errorf("agent's case: account %d agent %q received by %q", c.AccountID, c.AgentUser, c.ReceivedBy)
	}
	if c.Delivery.Method != casework.Mail || c.Delivery.Recipient != "李娟" || c.Form["shop_name"] != "味香小馆" {
		t.Errorf("delivery %+v form %v", c.Delivery, c.Form)
	}
	status := map[string]casework.MaterialStatus{}
	for _, m := range c.Materials {
		status[m.Code] = m.Status
		if m.Code == "M03" && len(m.Files) != casework.MaxFilesPerMaterial {
			t.Errorf("M03 has %d files, want %d", len(m.Files), casework.MaxFilesPerMaterial)
		}
	}
	if status["M06"] != casework.Missing || status["M01"] != casework.Provided {
		t.Errorf("statuses %v: M06 missing, M01 provided wanted", status)
	}
	det := details(t, ev)
	if det["on_behalf_of"] != agentActor.OnBehalfOf || det["files"] != float64(4+casework.MaxFilesPerMaterial) || ev.Role != string(org.RoleAgent) {
		t.Errorf("agent's event %+v details %v", ev, det)
	}
}

func TestNewOnlineCaseRefusals(t *testing.T) {
	instantApp := electronicApplication(t, instantItem, person())
	paperApp := onlineApplication(t, "SCJG-XK-002") // a file for every material, M02 too
	tests := []struct {
		name   string
		code   string
		change func(in *casework.OnlineApplication, it *catalog.Item)
		by     casework.Actor
		want   apperr.Code
		field  string
		says   []string
	}{
		{"an item without online service", promisedItem, func(_ *casework.OnlineApplication, it *catalog.Item) {
			it.OnlineLevel = catalog.OnlineNone
		}, applicantUser, apperr.Invalid, "item_code", []string{"暂不支持网上申报"}},
		{"an item with no online level", promisedItem, func(_ *casework.OnlineApplication, it *catalog.Item) {
			it.OnlineLevel = ""
		}, applicantUser, apperr.Invalid, "item_code", nil},
		{"an instant item", instantItem, func(in *casework.OnlineApplication, _ *catalog.Item) {
			*in = instantApp
		}, applicantUser, apperr.Invalid, "item_code", []string{"即办件"}},
		{"a required file missing", promisedItem, func(in *casework.OnlineApplication, _ *catalog.Item) {
			delete(in.Files, "M01")
		}, applicantUser, apperr.Invalid, "files", []string{"食品经营许可申请书"}},
		{"a required material with an empty list", promisedItem, func(in *casework.OnlineApplication, _ *catalog.Item) {
			in.Files["M03"] = nil
		}, applicantUser, apperr.Invalid, "files", []string{"与食品经营相适应的主要设备设施"}},
		{"two required files missing, both named", promisedItem, func(in *casework.OnlineApplication, _ *catalog.Item) {
			delete(in.Files, "M01")
			delete(in.Files, "M05")
		}, applicantUser, apperr.Invalid, "files", []string{"食品经营许可申请书", "食品安全管理人员任命文件及培训考核证明"}},
		{"a deferrable material is not deferred online", promisedItem, func(in *casework.OnlineApplication, _ *catalog.Item) {
			delete(in.Files, "M04")
		}, applicantUser, apperr.Invalid, "files", []string{"规章制度目录清单"}},
		{"a material the handbook does not list (R15)", promisedItem, func(in *casework.OnlineApplication, _ *catalog.Item) {
			in.Files["M99"] = []casework.FileRef{pdfFile("其他.pdf")}
		}, applicantUser, apperr.Invalid, "files", []string{"M99"}},
		{"a file for a paper-only material", "SCJG-XK-002", func(in *casework.OnlineApplication, _ *catalog.Item) {
			*in = paperApp
		}, applicantUser, apperr.Invalid, "files", []string{"原《食品经营许可证》正副本", "纸质"}},
		{"eleven files for one material", promisedItem, func(in *casework.OnlineApplication, _ *catalog.Item) {
			in.Files["M03"] = files("布局图", casework.MaxFilesPerMaterial+1)
		}, applicantUser, apperr.Invalid, "files", []string{"10"}},
		{"a person for an item of organisations", promisedItem, func(in *casework.OnlineApplication, _ *catalog.Item) {
			in.Applicant = person()
		}, applicantUser, apperr.Invalid, "applicant.kind", nil},
		{"a wrong credit code", promisedItem, func(in *casework.OnlineApplication, _ *catalog.Item) {
			in.Applicant.IDNumber = "91320120MA1XK5T2QE"
		}, applicantUser, apperr.Invalid, "applicant.id_number", nil},
		{"mail without an address", promisedItem, func(in *casework.OnlineApplication, _ *catalog.Item) {
			in.Delivery = &casework.Delivery{Method: casework.Mail}
		}, applicantUser, apperr.Invalid, "delivery.address", nil},
		{"the intake clerk", promisedItem, func(*casework.OnlineApplication, *catalog.Item) {}, intakeClerk, apperr.Forbidden, "", nil},
		{"a reviewer", promisedItem, func(*casework.OnlineApplication, *catalog.Item) {}, reviewer("SCJG"), apperr.Forbidden, "", nil},
		{"the system", promisedItem, func(*casework.OnlineApplication, *catalog.Item) {}, systemActor, apperr.Forbidden, "", nil},
		{"the intake clerk, even for a bad application", promisedItem, func(in *casework.OnlineApplication, _ *catalog.Item) {
			in.Files = nil
		}, intakeClerk, apperr.Forbidden, "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in, it := onlineApplication(t, tt.code), item(t, tt.code)
			tt.change(&in, it)
			c, ev, err := casework.NewOnlineCase(in, it, tt.by, env(at(2026, 3, 2, 9, 0)))
			if c != nil || ev != nil {
				t.Errorf("a refused application made a case %v or an event %v", c, ev)
			}
			if tt.field != "" {
				wantField(t, err, tt.field)
			} else {
				wantCode(t, err, tt.want)
			}
			for _, s := range tt.says {
				if !strings.Contains(apperr.MessageOf(err), s) {
					t.Errorf("message %q does not say %q", apperr.MessageOf(err), s)
				}
			}
		})
	}
	// The paper-only material is simply not uploaded: it is brought later.
	h := submitWith(t, electronicApplication(t, "SCJG-XK-002", company()), item(t, "SCJG-XK-002"), applicantUser, at(2026, 3, 2, 9, 0))
	for _, m := range h.c.Materials {
		if m.Code == "M02" && (m.Status != casework.Missing || len(m.Files) != 0 || !m.Paper || !m.Required) {
			t.Errorf("paper-only M02 = %+v", m)
		}
	}
}

func TestPassPreReview(t *testing.T) {
	rev := reviewer("SCJG")
	t0 := at(2026, 3, 2, 9, 0) // prereview_by 2026-03-04 17:00
	newCase := func() *history {
		in := onlineApplication(t, promisedItem)
		delete(in.Files, "M06") // the optional power of attorney is not brought
		return submitWith(t, in, item(t, promisedItem), applicantUser, t0)
	}
	for _, tt := range []struct {
		name   string
		at     time.Time
		onTime bool
	}{
		{"the next day", at(2026, 3, 3, 10, 0), true},
		{"at prereview_by", at(2026, 3, 4, 17, 0), true},
		{"a minute after prereview_by", at(2026, 3, 4, 17, 1), false},
		{"the day after", at(2026, 3, 5, 9, 0), false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h := newCase().doAt(tt.at, casework.ActPassPreReview, casework.Input{Reason: " 材料齐全 "}, rev)
			c, ev := h.c, h.lastEvent()
			if c.State != casework.Submitted || ev.From != casework.Submitted || ev.To != casework.Submitted {
				t.Errorf("pass-prereview moved the case: %s (event %s→%s)", c.State, ev.From, ev.To)
			}
			p := c.PreReview
			if p == nil || !p.Passed || p.Reason != "材料齐全" || !p.At.Equal(tt.at) || p.By != rev.Username {
				t.Fatalf("pre-review = %+v", p)
			}
			wantBring := []string{"M01", "M02", "M03", "M04", "M05"}
			if got := codesOf(p.Bring); !slices.Equal(got, wantBring) {
				t.Errorf("bring %v, want %v", got, wantBring)
			}
			if got := codesOf(c.PaperToBring()); !slices.Equal(got, wantBring) {
				t.Errorf("PaperToBring %v, want %v", got, wantBring)
			}
			if got := dueNames(c); len(got) != 0 {
				t.Errorf("running deadlines after the pass: %v", got)
			}
			det := details(t, ev)
			if det["on_time"] != tt.onTime || det["reason"] != "材料齐全" || !reflect.DeepEqual(det["bring"], []any{"M01", "M02", "M03", "M04", "M05"}) {
				t.Errorf("details = %v, want on_time %v", det, tt.onTime)
			}
		})
	}

	// Passed once, it is not pre-reviewed again.
	h := newCase().doAt(at(2026, 3, 3, 10, 0), casework.ActPassPreReview, casework.Input{}, rev)
	if h.c.PreReview.Reason != "" {
		t.Errorf("a pass without a reason has reason %q", h.c.PreReview.Reason)
	}
	before := cloneCase(h.c)
	for _, tt := range []struct {
		action casework.Action
		by     casework.Actor
		want   apperr.Code
	}{
		{casework.ActPassPreReview, rev, apperr.Conflict},
		{casework.ActFailPreReview, rev, apperr.Conflict},
		{casework.ActAccept, rev, apperr.Conflict}, // the paper comes first
		{casework.ActPassPreReview, reviewer("WSJK"), apperr.Forbidden},
		{casework.ActPassPreReview, intakeClerk, apperr.Forbidden},
		{casework.ActCompleteIntake, rev, apperr.Forbidden},
		{casework.ActCompleteIntake, applicantUser, apperr.Forbidden},
	} {
		_, _, err := casework.Apply(h.c, tt.action, validInput(tt.action), tt.by, env(at(2026, 3, 3, 11, 0)))
		if apperr.CodeOf(err) != tt.want {
			t.Errorf("%s by %s after the pass: %v, want %s", tt.action, actorName(tt.by), err, tt.want)
		}
	}
	if !reflect.DeepEqual(h.c, before) {
		t.Error("a refused action changed the case")
	}
	// A paper-only material, never uploaded, is on the list to bring.
	p := submitWith(t, electronicApplication(t, "SCJG-XK-002", company()), item(t, "SCJG-XK-002"), applicantUser, t0).
		doAt(at(2026, 3, 3, 10, 0), casework.ActPassPreReview, casework.Input{}, rev)
	if got := codesOf(p.c.PreReview.Bring); !slices.Equal(got, []string{"M01", "M02", "M03", "M04", "M05"}) {
		t.Errorf("bring %v, want every paper uploaded and the paper-only M02", got)
	}
	// Before the pass the intake desk cannot take the paper.
	_, _, err := casework.Apply(newCase().c, casework.ActCompleteIntake, casework.Input{}, intakeClerk, env(at(2026, 3, 3, 11, 0)))
	wantCode(t, err, apperr.Conflict)
}

func TestCompleteIntake(t *testing.T) {
	tests := []struct {
		name                   string
		submit, pass, intake   time.Time
		acceptBy, handoverBy   time.Time
		paperOnlyItem, waiting bool
	}{
		{"Wednesday morning", at(2026, 3, 2, 9, 0), at(2026, 3, 3, 10, 0), at(2026, 3, 4, 10, 0),
			at(2026, 3, 6, 17, 0), at(2026, 3, 4, 15, 0), false, false},
		{"Wednesday 11:59", at(2026, 3, 2, 9, 0), at(2026, 3, 3, 10, 0), at(2026, 3, 4, 11, 59),
			at(2026, 3, 6, 17, 0), at(2026, 3, 4, 15, 0), false, false},
		{"Wednesday 12:00 is afternoon", at(2026, 3, 2, 9, 0), at(2026, 3, 3, 10, 0), at(2026, 3, 4, 12, 0),
			at(2026, 3, 6, 17, 0), at(2026, 3, 5, 10, 0), false, false},
		{"Friday afternoon", at(2026, 3, 2, 9, 0), at(2026, 3, 3, 10, 0), at(2026, 3, 6, 14, 0),
			at(2026, 3, 10, 17, 0), at(2026, 3, 9, 10, 0), false, false},
		{"the eve of National Day, afternoon", at(2026, 9, 28, 9, 0), at(2026, 9, 29, 10, 0), at(2026, 9, 30, 14, 0),
			at(2026, 10, 9, 17, 0), at(2026, 10, 8, 10, 0), false, false},
		{"the working Saturday, morning", at(2026, 10, 8, 9, 0), at(2026, 10, 9, 10, 0), at(2026, 10, 10, 9, 30),
			at(2026, 10, 13, 17, 0), at(2026, 10, 10, 15, 0), false, false},
		{"the Friday before the working Saturday, afternoon", at(2026, 10, 8, 9, 0), at(2026, 10, 8, 15, 0), at(2026, 10, 9, 15, 0),
			at(2026, 10, 12, 17, 0), at(2026, 10, 10, 10, 0), false, false},
		{"New Year's Eve, afternoon", at(2026, 12, 29, 9, 0), at(2026, 12, 30, 10, 0), at(2026, 12, 31, 14, 0),
			at(2027, 1, 5, 17, 0), at(2027, 1, 4, 10, 0), false, false},
		{"a paper-only material brought", at(2026, 3, 2, 9, 0), at(2026, 3, 3, 10, 0), at(2026, 3, 4, 10, 0),
			at(2026, 3, 6, 17, 0), at(2026, 3, 4, 15, 0), true, false},
		{"a bundle member waiting: no accept_by yet", at(2026, 3, 2, 9, 0), at(2026, 3, 3, 10, 0), at(2026, 3, 4, 10, 0),
			time.Time{}, at(2026, 3, 4, 15, 0), false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, in := promisedItem, onlineApplication(t, promisedItem)
			if tt.paperOnlyItem {
				code, in = "SCJG-XK-002", electronicApplication(t, "SCJG-XK-002", company())
			}
			h := submitWith(t, in, item(t, code), applicantUser, tt.submit)
			h.c.CheckCode = "Q7K2M9XA"
			if tt.waiting {
				waiting(h)
			}
			h.doAt(tt.pass, casework.ActPassPreReview, casework.Input{}, reviewer("SCJG"))
			h.doAt(tt.intake, casework.ActCompleteIntake, casework.Input{}, intakeClerk)
			c, ev, docs := h.c, h.lastEvent(), h.docs[len(h.docs)-1]
			d := c.Deadlines
			if !d.AcceptBy.Equal(tt.acceptBy) || !d.HandoverBy.Equal(tt.handoverBy) {
				t.Errorf("accept_by %s handover_by %s, want %s and %s", shanghai(d.AcceptBy), shanghai(d.HandoverBy), shanghai(tt.acceptBy), shanghai(tt.handoverBy))
			}
			if c.State != casework.Received || c.ReceivedBy != intakeClerk.Username || c.HallCode != intakeClerk.HallCode || !c.PaperPending() {
				t.Errorf("after complete-intake: %s received by %s at hall %q, paper pending %v", c.State, c.ReceivedBy, c.HallCode, c.PaperPending())
			}
			wantDue := []string{"accept_by", "handover_by"}
			if tt.waiting {
				wantDue = []string{"handover_by"}
			}
			if got := dueNames(c); !slices.Equal(got, wantDue) {
				t.Errorf("running deadlines %v, want %v", got, wantDue)
			}
			for _, m := range c.Materials {
				if m.Paper && m.Required && m.Status != casework.Provided {
					t.Errorf("required paper %s is %s after the clerk's check", m.Code, m.Status)
				}
			}
			if ev.Type != casework.ActCompleteIntake || ev.From != casework.Submitted || ev.To != casework.Received || ev.Actor != intakeClerk.Username {
				t.Errorf("event = %+v", ev)
			}
			det := details(t, ev)
			if (tt.acceptBy.IsZero() && det["accept_by"] != "0001-01-01T00:00:00Z") || (!tt.acceptBy.IsZero() && det["accept_by"] != stamp(tt.acceptBy)) ||
				det["handover_by"] != stamp(tt.handoverBy) {
				t.Errorf("details = %v", det)
			}
			// The receipt notice of the window, for the store to number.
			if len(docs) != 1 || docs[0].Kind != casework.ReceiptNotice || docs[0].EventSeq != 0 || !docs[0].CreatedAt.Equal(tt.intake) {
				t.Fatalf("documents = %+v, want one receipt notice made at %s", docs, tt.intake)
			}
			var r casework.ReceiptData
			docData(t, docs[0], &r)
			if r.Number != c.Number || r.Channel != casework.Online || r.ReceivedBy != intakeClerk.Username || !r.AcceptBy.Equal(tt.acceptBy) ||
				r.Applicant.IDNumber == companyCode || r.Kind != "承诺件" || len(r.Materials) == 0 {
				t.Errorf("receipt notice = %+v", r)
			}
			// The receipt's received_at is left unasserted: complete-intake
			// keeps the online submission time there (see the report).
		})
	}
}

// TestCompleteIntakePaperOnly: an item whose uploads are electronic only
// and whose one paper material is paper-only. The paper the clerk takes in
// must go to the department by the R6 cut-off like any other.
func TestCompleteIntakePaperOnly(t *testing.T) {
	it := item(t, "SCJG-XK-002")
	for i := range it.Materials {
		it.Materials[i].Paper = !it.Materials[i].Electronic // M02 on paper only, the rest uploaded only
	}
	in := casework.OnlineApplication{ItemCode: it.Code, Applicant: company(), Files: map[string][]casework.FileRef{}}
	for _, m := range it.Materials {
		if m.Electronic {
			in.Files[m.Code] = []casework.FileRef{pdfFile(m.Name + ".pdf")}
		}
	}
	h := submitWith(t, in, it, applicantUser, at(2026, 3, 2, 9, 0))
	h.doAt(at(2026, 3, 3, 10, 0), casework.ActPassPreReview, casework.Input{}, reviewer("SCJG"))
	if got := codesOf(h.c.PreReview.Bring); !slices.Equal(got, []string{"M02"}) {
		t.Fatalf("bring %v, want the paper-only M02", got)
	}
	intake := at(2026, 3, 4, 10, 0)
	h.doAt(intake, casework.ActCompleteIntake, casework.Input{}, intakeClerk)
	// BUG: completeIntake (online.go) computes hasPaper() before it marks
	// the required paper materials provided, so a case whose only paper is
	// a paper-only material gets no handover_by and its paper is never
	// signed for by the department.
	if want := at(2026, 3, 4, 15, 0); !h.c.Deadlines.HandoverBy.Equal(want) || !h.c.PaperPending() {
		t.Errorf("handover_by %s (paper pending %v), want %s: the paper-only M02 was taken in", shanghai(h.c.Deadlines.HandoverBy), h.c.PaperPending(), shanghai(want))
	}
}

func TestFailPreReview(t *testing.T) {
	rev := reviewer("SCJG")
	t0 := at(2026, 3, 2, 9, 0) // prereview_by 2026-03-04 17:00
	refusals := []struct {
		name  string
		in    casework.Input
		field string
	}{
		{"nothing", casework.Input{}, "reason"},
		{"a blank reason", casework.Input{Reason: "   "}, "reason"},
		{"blank per-material reasons only", casework.Input{CorrectionReasons: map[string]string{"M03": "  "}}, "reason"},
		{"a reason too long", casework.Input{Reason: strings.Repeat("错", 1001)}, "reason"},
		{"a material the handbook does not list", casework.Input{CorrectionReasons: map[string]string{"M99": "不清晰"}}, "correction_reasons"},
		{"a material's reason too long", casework.Input{CorrectionReasons: map[string]string{"M03": strings.Repeat("错", 201)}}, "correction_reasons"},
	}
	for _, tt := range refusals {
		h := submitOnline(t, promisedItem, t0)
		before := cloneCase(h.c)
		_, _, err := casework.Apply(h.c, casework.ActFailPreReview, tt.in, rev, env(at(2026, 3, 3, 10, 0)))
		if err == nil {
			t.Errorf("%s: fail-prereview accepted", tt.name)
			continue
		}
		wantField(t, err, tt.field)
		if !reflect.DeepEqual(h.c, before) {
			t.Errorf("%s: a refused fail-prereview changed the case", tt.name)
		}
	}

	for _, tt := range []struct {
		name    string
		in      casework.Input
		at      time.Time
		reason  string
		reasons map[string]string
		onTime  bool
	}{
		{"a reason", casework.Input{Reason: " 营业执照扫描件不清晰 "}, at(2026, 3, 3, 10, 0), "营业执照扫描件不清晰", map[string]string{}, true},
		{"per material only", casework.Input{CorrectionReasons: map[string]string{"M03": " 布局图不清晰 ", "M02": ""}}, at(2026, 3, 4, 17, 0),
			"", map[string]string{"M03": "布局图不清晰"}, true},
		{"both, late", casework.Input{Reason: "请补正", CorrectionReasons: map[string]string{"M01": "未盖章"}}, at(2026, 3, 5, 9, 0),
			"请补正", map[string]string{"M01": "未盖章"}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h := submitOnline(t, promisedItem, t0).doAt(tt.at, casework.ActFailPreReview, tt.in, rev)
			c, ev := h.c, h.lastEvent()
			if c.State != casework.RejectedOnline || ev.To != casework.RejectedOnline || c.State.Closed() {
				t.Errorf("state %s, event to %s", c.State, ev.To)
			}
			p := c.PreReview
			if p == nil || p.Passed || p.Reason != tt.reason || !reflect.DeepEqual(p.Reasons, tt.reasons) || !p.At.Equal(tt.at) || p.By != rev.Username || p.Bring != nil {
				t.Errorf("pre-review = %+v, want reason %q reasons %v", p, tt.reason, tt.reasons)
			}
			if got := dueNames(c); len(got) != 0 {
				t.Errorf("running deadlines while the applicant corrects: %v", got)
			}
			if det := details(t, ev); det["on_time"] != tt.onTime {
				t.Errorf("details %v, want on_time %v", det, tt.onTime)
			}
		})
	}
}

func TestResubmitOnline(t *testing.T) {
	rev := reviewer("SCJG")
	rejected := func() *history {
		return submitOnline(t, promisedItem, at(2026, 3, 2, 9, 0)).
			doAt(at(2026, 3, 3, 10, 0), casework.ActFailPreReview, casework.Input{CorrectionReasons: map[string]string{"M03": "布局图不清晰"}}, rev)
	}
	newLayout := map[string][]casework.FileRef{"M03": {pdfFile("布局图-重传.pdf"), pdfFile("设备布局图.pdf")}}

	for _, tt := range []struct {
		name        string
		by          casework.Actor
		at          time.Time
		prereviewBy time.Time
	}{
		{"by the applicant on a Friday", applicantUser, at(2026, 3, 6, 15, 0), at(2026, 3, 10, 17, 0)},
		{"by the agent for the same account", agentActor, at(2026, 3, 4, 9, 0), at(2026, 3, 6, 17, 0)},
		{"on the eve of National Day", applicantUser, at(2026, 9, 30, 16, 0), at(2026, 10, 9, 17, 0)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h := rejected()
			m01 := slices.Clone(h.c.Materials[0].Files)
			h.doAt(tt.at, casework.ActResubmitOnline, casework.Input{Files: newLayout}, tt.by)
			c, ev := h.c, h.lastEvent()
			if c.State != casework.Submitted || c.Resubmits != 1 || c.PreReview != nil || !c.Deadlines.PreReviewBy.Equal(tt.prereviewBy) {
				t.Errorf("resubmitted: %s, %d resubmits, pre-review %+v, prereview_by %s (want %s)",
					c.State, c.Resubmits, c.PreReview, shanghai(c.Deadlines.PreReviewBy), shanghai(tt.prereviewBy))
			}
			if !reflect.DeepEqual(c.Materials[2].Files, newLayout["M03"]) || c.Materials[2].Status != casework.Provided {
				t.Errorf("M03 = %+v, want the new files", c.Materials[2])
			}
			if !reflect.DeepEqual(c.Materials[0].Files, m01) {
				t.Errorf("M01's files changed: %v", c.Materials[0].Files)
			}
			if got := dueNames(c); !slices.Equal(got, []string{"prereview_by"}) {
				t.Errorf("running deadlines %v", got)
			}
			det := details(t, ev)
			if ev.From != casework.RejectedOnline || ev.To != casework.Submitted || ev.Actor != tt.by.Username ||
				!reflect.DeepEqual(det["materials"], []any{"M03"}) || det["prereview_by"] != stamp(tt.prereviewBy) {
				t.Errorf("event %+v details %v", ev, det)
			}
			if tt.by.Role == org.RoleAgent && det["on_behalf_of"] != agentActor.OnBehalfOf {
				t.Errorf("the agent's resubmission does not say for whom: %v", det)
			}
		})
	}

	// Whose application it is decides who may resubmit.
	otherApplicant := applicantUser
	otherApplicant.Username, otherApplicant.AccountID = "app:8", 8
	otherAgent := agentActor
	otherAgent.AccountID = 8
	for _, tt := range []struct {
		name  string
		by    casework.Actor
		in    casework.Input
		want  apperr.Code
		field string
	}{
		{"an applicant of another account", otherApplicant, casework.Input{Files: newLayout}, apperr.Forbidden, ""},
		{"an agent for another account", otherAgent, casework.Input{Files: newLayout}, apperr.Forbidden, ""},
		{"the intake clerk", intakeClerk, casework.Input{Files: newLayout}, apperr.Forbidden, ""},
		{"the reviewer", rev, casework.Input{Files: newLayout}, apperr.Forbidden, ""},
		{"no files", applicantUser, casework.Input{}, apperr.Invalid, "files"},
		{"a material the handbook does not list", applicantUser, casework.Input{Files: map[string][]casework.FileRef{"M99": {pdfFile("x.pdf")}}}, apperr.Invalid, "files"},
		{"every file of a required material removed", applicantUser, casework.Input{Files: map[string][]casework.FileRef{"M01": {}}}, apperr.Invalid, "files"},
		{"eleven files", applicantUser, casework.Input{Files: map[string][]casework.FileRef{"M03": files("布局图", 11)}}, apperr.Invalid, "files"},
	} {
		h := rejected()
		before := cloneCase(h.c)
		_, _, err := casework.Apply(h.c, casework.ActResubmitOnline, tt.in, tt.by, env(at(2026, 3, 4, 9, 0)))
		if tt.field != "" {
			wantField(t, err, tt.field)
		} else if apperr.CodeOf(err) != tt.want {
			t.Errorf("%s: %v, want %s", tt.name, err, tt.want)
		}
		if !reflect.DeepEqual(h.c, before) {
			t.Errorf("%s: a refused resubmission changed the case", tt.name)
		}
	}

	// An optional material's files may be withdrawn.
	h := rejected().doAt(at(2026, 3, 4, 9, 0), casework.ActResubmitOnline, casework.Input{Files: map[string][]casework.FileRef{"M06": nil, "M03": newLayout["M03"]}}, applicantUser)
	if m := h.c.Materials[5]; m.Code != "M06" || m.Status != casework.Missing || len(m.Files) != 0 {
		t.Errorf("M06 = %+v, want missing", m)
	}
	if det := details(t, h.lastEvent()); !reflect.DeepEqual(det["materials"], []any{"M03", "M06"}) {
		t.Errorf("materials %v, want M03 and M06 sorted", det["materials"])
	}
	// Round two: the resubmission is pre-reviewed again and may fail again.
	h.doAt(at(2026, 3, 5, 9, 0), casework.ActFailPreReview, validInput(casework.ActFailPreReview), rev).
		doAt(at(2026, 3, 5, 10, 0), casework.ActResubmitOnline, validInput(casework.ActResubmitOnline), applicantUser).
		doAt(at(2026, 3, 6, 10, 0), casework.ActPassPreReview, casework.Input{}, rev)
	if h.c.Resubmits != 2 || h.c.State != casework.Submitted || !h.c.PreReview.Passed {
		t.Errorf("after a second round: %d resubmits, %s, pre-review %+v", h.c.Resubmits, h.c.State, h.c.PreReview)
	}
	// Resubmission is for a rejected application only.
	_, _, err := casework.Apply(h.c, casework.ActResubmitOnline, validInput(casework.ActResubmitOnline), applicantUser, env(at(2026, 3, 6, 11, 0)))
	wantCode(t, err, apperr.Conflict)
	// The applicant may withdraw a rejected application instead.
	w := rejected().do(casework.ActWithdraw, validInput(casework.ActWithdraw), applicantUser)
	if w.c.State != casework.Withdrawn || w.c.ClosedAt.IsZero() {
		t.Errorf("withdrawn: %s closed at %s", w.c.State, w.c.ClosedAt)
	}

	t.Run("a file for a paper-only material", func(t *testing.T) {
		// A paper-only material is refused on resubmission as on submission.
		h := submitWith(t, electronicApplication(t, "SCJG-XK-002", company()), item(t, "SCJG-XK-002"), applicantUser, at(2026, 3, 2, 9, 0)).
			doAt(at(2026, 3, 3, 10, 0), casework.ActFailPreReview, validInput(casework.ActFailPreReview), rev)
		_, _, err := casework.Apply(h.c, casework.ActResubmitOnline, casework.Input{Files: map[string][]casework.FileRef{"M02": {pdfFile("原证.pdf")}}}, applicantUser, env(at(2026, 3, 4, 9, 0)))
		wantField(t, err, "files")
	})
}

func TestFullyOnline(t *testing.T) {
	rev := reviewer("CGJ")
	for _, tt := range []struct {
		name           string
		submit, accept time.Time
		decideBy       time.Time
		onTime         bool
	}{
		{"the next day", at(2026, 3, 2, 9, 0), at(2026, 3, 3, 10, 0), at(2026, 3, 6, 17, 0), true},
		{"after prereview_by", at(2026, 3, 2, 9, 0), at(2026, 3, 5, 10, 0), at(2026, 3, 10, 17, 0), false},
		{"on the eve of National Day", at(2026, 9, 29, 9, 0), at(2026, 9, 30, 10, 0), at(2026, 10, 10, 17, 0), true},
		{"on New Year's Eve", at(2026, 12, 30, 9, 0), at(2026, 12, 31, 16, 0), at(2027, 1, 6, 17, 0), true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h := submitOnline(t, fullyOnlineItem, tt.submit)
			c := h.c
			if !c.OnlineFull || c.PromisedDays != 3 {
				t.Fatalf("online_full %v promised %d", c.OnlineFull, c.PromisedDays)
			}
			for _, m := range c.Materials {
				if m.Paper {
					t.Errorf("material %s of a fully online case is on paper", m.Code)
				}
			}
			if len(c.PaperToBring()) != 0 {
				t.Errorf("paper to bring %v", c.PaperToBring())
			}
			// Neither the pass for paper nor the window's intake applies.
			before := cloneCase(c)
			_, _, err := casework.Apply(c, casework.ActPassPreReview, casework.Input{}, rev, env(tt.accept))
			wantCode(t, err, apperr.Conflict)
			if !strings.Contains(apperr.MessageOf(err), "全程网办") {
				t.Errorf("pass-prereview refused with %q", apperr.MessageOf(err))
			}
			_, _, err = casework.Apply(c, casework.ActCompleteIntake, casework.Input{}, intakeClerk, env(tt.accept))
			wantCode(t, err, apperr.Conflict)
			_, _, err = casework.Apply(c, casework.ActAccept, casework.Input{}, reviewer("SCJG"), env(tt.accept))
			wantCode(t, err, apperr.Forbidden)
			if !reflect.DeepEqual(c, before) {
				t.Fatal("a refused action changed the case")
			}

			h.doAt(tt.accept, casework.ActAccept, casework.Input{}, rev)
			c = h.c
			if c.State != casework.Accepted || !c.AcceptedAt.Equal(tt.accept) || !c.Deadlines.DecideBy.Equal(tt.decideBy) {
				t.Errorf("accepted: %s at %s, decide_by %s (want %s)", c.State, c.AcceptedAt, shanghai(c.Deadlines.DecideBy), shanghai(tt.decideBy))
			}
			if c.PreReview == nil || !c.PreReview.Passed || c.PreReview.By != rev.Username {
				t.Errorf("pre-review = %+v", c.PreReview)
			}
			if got := dueNames(c); !slices.Equal(got, []string{"decide_by"}) || c.PaperPending() {
				t.Errorf("running deadlines %v, paper pending %v", got, c.PaperPending())
			}
			ev := h.lastEvent()
			if det := details(t, ev); ev.From != casework.Submitted || ev.To != casework.Accepted || det["on_time"] != tt.onTime || det["decide_by"] != stamp(tt.decideBy) {
				t.Errorf("event %+v details %v", ev, det)
			}
			// No paper to sign for: the decision may follow at once.
			h.do(casework.ActDecide, validInput(casework.ActDecide), rev)
			if h.c.State != casework.Decided {
				t.Errorf("decided: %s", h.c.State)
			}
		})
	}
}

func TestBundleWait(t *testing.T) {
	rev := reviewer("SCJG")
	const prerequisite = "SCJG-XK-003"

	t.Run("accept waits for the prerequisite", func(t *testing.T) {
		h := waiting(takeIn(t, promisedIntake(), at(2026, 3, 2, 10, 0)))
		c := h.c
		if !c.Waiting() || !c.Deadlines.AcceptBy.IsZero() {
			t.Fatalf("waiting %v, accept_by %s", c.Waiting(), c.Deadlines.AcceptBy)
		}
		if got := dueNames(c); !slices.Equal(got, []string{"handover_by", "supply_by"}) {
			t.Errorf("running deadlines %v, want no accept_by", got)
		}
		if slices.Contains(casework.Allowed(c, rev, env(h.now)), casework.ActAccept) {
			t.Error("accept is allowed while waiting")
		}
		before := cloneCase(c)
		_, _, err := casework.Apply(c, casework.ActAccept, casework.Input{}, rev, env(at(2026, 3, 2, 11, 0)))
		wantCode(t, err, apperr.Conflict)
		if !strings.Contains(apperr.MessageOf(err), prerequisite) || stateError(err) == nil {
			t.Errorf("accept refused with %v, want a state error naming %s", err, prerequisite)
		}
		for _, tt := range []struct {
			name string
			in   casework.Input
			by   casework.Actor
			want apperr.Code
		}{
			{"open by a reviewer", casework.Input{Prerequisite: prerequisite}, rev, apperr.Forbidden},
			{"open by the intake clerk", casework.Input{Prerequisite: prerequisite}, intakeClerk, apperr.Forbidden},
			{"open with an unknown prerequisite", casework.Input{Prerequisite: "CGJ-XK-002"}, systemActor, apperr.Invalid},
			{"open without a prerequisite", casework.Input{}, systemActor, apperr.Invalid},
		} {
			_, _, err := casework.Apply(c, casework.ActOpen, tt.in, tt.by, env(at(2026, 3, 2, 11, 0)))
			if apperr.CodeOf(err) != tt.want {
				t.Errorf("%s: %v, want %s", tt.name, err, tt.want)
			}
			if tt.want == apperr.Invalid {
				wantField(t, err, "prerequisite")
			}
		}
		if !reflect.DeepEqual(c, before) {
			t.Fatal("a refused action changed the case")
		}

		opened := at(2026, 3, 4, 15, 0)
		h.doAt(opened, casework.ActOpen, casework.Input{Prerequisite: prerequisite}, systemActor)
		ev := h.lastEvent()
		if c.Waiting() || c.WaitingFor != nil || c.State != casework.Received || !c.Deadlines.AcceptBy.Equal(at(2026, 3, 6, 17, 0)) {
			t.Errorf("opened: waiting for %v, %s, accept_by %s", c.WaitingFor, c.State, shanghai(c.Deadlines.AcceptBy))
		}
		if det := details(t, ev); ev.Actor != "system" || ev.Role != "system" || det["prerequisite"] != prerequisite || det["accept_by"] != stamp(at(2026, 3, 6, 17, 0)) {
			t.Errorf("event %+v details %v", ev, det)
		}
		if got := dueNames(c); !slices.Contains(got, "accept_by") {
			t.Errorf("running deadlines %v, want accept_by", got)
		}
		_, _, err = casework.Apply(c, casework.ActOpen, casework.Input{Prerequisite: prerequisite}, systemActor, env(opened))
		wantCode(t, err, apperr.Conflict)
		h.do(casework.ActAccept, casework.Input{}, rev)
		if c.State != casework.Accepted {
			t.Errorf("accept after opening: %s", c.State)
		}
	})

	t.Run("two prerequisites, opened over National Day", func(t *testing.T) {
		h := takeIn(t, promisedIntake(), at(2026, 9, 28, 10, 0))
		h.c.Wait([]string{prerequisite, "CGJ-XK-002"})
		h.doAt(at(2026, 9, 29, 10, 0), casework.ActOpen, casework.Input{Prerequisite: prerequisite}, systemActor)
		if !slices.Equal(h.c.WaitingFor, []string{"CGJ-XK-002"}) || !h.c.Deadlines.AcceptBy.IsZero() {
			t.Errorf("one opened: waiting for %v, accept_by %s", h.c.WaitingFor, h.c.Deadlines.AcceptBy)
		}
		if _, ok := details(t, h.lastEvent())["accept_by"]; ok {
			t.Error("accept_by recorded while still waiting")
		}
		h.doAt(at(2026, 9, 30, 16, 0), casework.ActOpen, casework.Input{Prerequisite: "CGJ-XK-002"}, systemActor)
		if h.c.Waiting() || !h.c.Deadlines.AcceptBy.Equal(at(2026, 10, 9, 17, 0)) {
			t.Errorf("both opened: waiting for %v, accept_by %s", h.c.WaitingFor, shanghai(h.c.Deadlines.AcceptBy))
		}
	})

	t.Run("an online member opened before its paper arrives", func(t *testing.T) {
		h := waiting(submitOnline(t, promisedItem, at(2026, 3, 2, 9, 0)))
		h.doAt(at(2026, 3, 2, 15, 0), casework.ActOpen, casework.Input{Prerequisite: prerequisite}, systemActor)
		if h.c.Waiting() || h.c.State != casework.Submitted || !h.c.Deadlines.AcceptBy.IsZero() {
			t.Errorf("opened online: %s waiting %v accept_by %s", h.c.State, h.c.WaitingFor, h.c.Deadlines.AcceptBy)
		}
		h.doAt(at(2026, 3, 3, 10, 0), casework.ActPassPreReview, casework.Input{}, rev).
			doAt(at(2026, 3, 4, 10, 0), casework.ActCompleteIntake, casework.Input{}, intakeClerk)
		if !h.c.Deadlines.AcceptBy.Equal(at(2026, 3, 6, 17, 0)) {
			t.Errorf("accept_by %s, want 2026-03-06 17:00", shanghai(h.c.Deadlines.AcceptBy))
		}
	})

	t.Run("an online member taken in while waiting, then opened", func(t *testing.T) {
		h := waiting(submitOnline(t, promisedItem, at(2026, 3, 2, 9, 0))).
			doAt(at(2026, 3, 3, 10, 0), casework.ActPassPreReview, casework.Input{}, rev).
			doAt(at(2026, 3, 4, 10, 0), casework.ActCompleteIntake, casework.Input{}, intakeClerk)
		if !h.c.Deadlines.AcceptBy.IsZero() {
			t.Fatalf("accept_by %s while waiting", h.c.Deadlines.AcceptBy)
		}
		h.doAt(at(2026, 3, 6, 14, 0), casework.ActOpen, casework.Input{Prerequisite: prerequisite}, systemActor)
		if !h.c.Deadlines.AcceptBy.Equal(at(2026, 3, 10, 17, 0)) {
			t.Errorf("accept_by %s, want 2026-03-10 17:00", shanghai(h.c.Deadlines.AcceptBy))
		}
	})

	terminate := casework.Input{Reason: "前置事项「个体工商户设立登记」未获准予，本事项终止办理", Prerequisite: prerequisite}
	for _, tt := range []struct {
		name string
		h    func() *history
	}{
		{"received", func() *history { return waiting(takeIn(t, promisedIntake(), at(2026, 3, 2, 10, 0))) }},
		{"submitted online", func() *history { return waiting(submitOnline(t, promisedItem, at(2026, 3, 2, 9, 0))) }},
		{"rejected online", func() *history {
			return waiting(submitOnline(t, promisedItem, at(2026, 3, 2, 9, 0))).
				do(casework.ActFailPreReview, validInput(casework.ActFailPreReview), rev)
		}},
		{"returned", func() *history {
			return waiting(takeIn(t, promisedIntake(), at(2026, 3, 2, 10, 0))).
				do(casework.ActReturn, validInput(casework.ActReturn), rev)
		}},
	} {
		t.Run("the system terminates a waiting case, "+tt.name, func(t *testing.T) {
			h := tt.h()
			before := cloneCase(h.c)
			_, _, err := casework.Apply(h.c, casework.ActTerminate, casework.Input{Prerequisite: prerequisite}, systemActor, env(h.now))
			wantField(t, err, "reason")
			if !reflect.DeepEqual(h.c, before) {
				t.Fatal("a refused terminate changed the case")
			}
			h.do(casework.ActTerminate, terminate, systemActor)
			c, ev := h.c, h.lastEvent()
			if c.State != casework.Terminated || c.CloseReason != terminate.Reason || !c.ClosedAt.Equal(h.now) || len(c.OpenDeadlines()) != 0 {
				t.Errorf("terminated: %s reason %q closed %s deadlines %v", c.State, c.CloseReason, c.ClosedAt, c.OpenDeadlines())
			}
			if det := details(t, ev); ev.Actor != "system" || det["prerequisite"] != prerequisite || det["reason"] != terminate.Reason {
				t.Errorf("event %+v details %v", ev, det)
			}
		})
	}

	// The system ends only waiting cases.
	h := takeIn(t, promisedIntake(), at(2026, 3, 2, 10, 0))
	_, _, err := casework.Apply(h.c, casework.ActTerminate, terminate, systemActor, env(h.now))
	wantCode(t, err, apperr.Conflict)
	_, _, err = casework.Apply(h.c, casework.ActOpen, casework.Input{Prerequisite: prerequisite}, systemActor, env(h.now))
	wantCode(t, err, apperr.Conflict)
	// A fully online member waits too.
	f := waiting(submitOnline(t, fullyOnlineItem, at(2026, 3, 2, 9, 0)))
	_, _, err = casework.Apply(f.c, casework.ActAccept, casework.Input{}, reviewer("CGJ"), env(at(2026, 3, 3, 10, 0)))
	wantCode(t, err, apperr.Conflict)
	if !strings.Contains(apperr.MessageOf(err), prerequisite) {
		t.Errorf("fully online accept refused with %q, want the prerequisite named", apperr.MessageOf(err))
	}
}

func TestNoticeFor(t *testing.T) {
	rev := reviewer("SCJG")
	const checkCode = "Q7K2M9XA"
	type sent struct {
		name string
		c    *casework.Case
		ev   *casework.Event
	}
	var all []sent
	// record keeps the case as it is after the history's last event.
	record := func(name string, h *history) {
		all = append(all, sent{name, cloneCase(h.c), h.lastEvent()})
	}
	coded := func(h *history) *history { h.c.CheckCode = checkCode; return h }

	online := coded(submitOnline(t, promisedItem, at(2026, 3, 2, 9, 0)))
	record("submit", online)
	online.doAt(at(2026, 3, 3, 10, 0), casework.ActPassPreReview, casework.Input{}, rev)
	record("pass", online)
	online.doAt(at(2026, 3, 4, 10, 0), casework.ActCompleteIntake, casework.Input{}, intakeClerk)
	record("complete-intake", online)
	online.do(casework.ActHandover, casework.Input{}, rev)
	record("handover", online)

	rejected := coded(submitOnline(t, promisedItem, at(2026, 3, 2, 9, 0))).do(casework.ActFailPreReview, validInput(casework.ActFailPreReview), rev)
	record("fail", rejected)
	rejected.do(casework.ActResubmitOnline, validInput(casework.ActResubmitOnline), applicantUser)
	record("resubmit-online", rejected)

	window := coded(takeIn(t, promisedIntake(), at(2026, 3, 2, 9, 30)))
	record("intake", window)
	window.doAt(at(2026, 3, 2, 10, 0), casework.ActAccept, casework.Input{}, rev)
	record("accept", window)

	returned := coded(takeIn(t, promisedIntake(), at(2026, 3, 2, 9, 30))).do(casework.ActReturn, validInput(casework.ActReturn), rev)
	record("return", returned)
	returned.do(casework.ActTerminate, casework.Input{Reason: "申请人不具备经营场所。"}, rev)
	record("terminate", returned)

	lapsed := coded(takeIn(t, promisedIntake(), at(2026, 3, 2, 9, 30))).doAt(at(2026, 3, 6, 9, 0), casework.ActLapse, casework.Input{}, systemActor)
	record("lapse", lapsed)

	waited := coded(waiting(takeIn(t, promisedIntake(), at(2026, 3, 2, 9, 30)))).do(casework.ActOpen, validInput(casework.ActOpen), systemActor)
	record("open", waited)

	approved := coded(ready(t, at(2026, 3, 2, 10, 0))).do(casework.ActDecide, validInput(casework.ActDecide), rev)
	record("decide approve", approved)
	approved.do(casework.ActSubmitResult, casework.Input{}, rev)
	record("submit-result", approved)
	approved.do(casework.ActAcceptResult, casework.Input{}, issuanceClerk)
	record("accept-result pickup", approved)
	approved.do(casework.ActDeliver, validInput(casework.ActDeliver), issuanceClerk)
	record("deliver", approved)

	denied := coded(ready(t, at(2026, 3, 2, 10, 0))).
		do(casework.ActDecide, casework.Input{Confirm: true, Outcome: casework.Deny, Reason: "经营场所不符合要求", ResultDocument: "不予许可决定书 第3号"}, rev)
	record("decide deny", denied)

	mailIn := promisedIntake()
	mailIn.Delivery = mailTo()
	mailed := coded(takeIn(t, mailIn, at(2026, 3, 2, 9, 30))).
		do(casework.ActAccept, casework.Input{}, rev).
		do(casework.ActSupply, validInput(casework.ActSupply), intakeClerk).
		do(casework.ActHandover, casework.Input{}, rev).
		do(casework.ActDecide, validInput(casework.ActDecide), rev).
		do(casework.ActSubmitResult, casework.Input{}, rev).
		do(casework.ActAcceptResult, casework.Input{}, issuanceClerk)
	record("accept-result mail", mailed)
	mailed.do(casework.ActMail, validInput(casework.ActMail), issuanceClerk)
	record("mail", mailed)

	instant := coded(takeIn(t, instantIntake(instantItem), at(2026, 3, 2, 9, 30)))
	record("instant intake", instant)
	instant.do(casework.ActDecide, validInput(casework.ActDecide), intakeClerk)
	record("instant decide", instant)

	want := map[string]struct {
		subject string
		says    []string
	}{
		"submit":               {"网上申报已提交", []string{"2026年3月4日 17:00", "预审"}},
		"pass":                 {"预审通过", []string{"请携带以下纸质材料", "食品经营许可申请书", "营业执照或者其他主体资格证明文件", "授权委托书及委托代理人身份证明"}},
		"complete-intake":      {"已收件", []string{"2026年3月6日 17:00", "受理"}},
		"fail":                 {"预审未通过", []string{"重新提交"}},
		"intake":               {"已收件", []string{"查询码"}},
		"accept":               {"已受理", []string{"2026年3月9日 17:00"}},
		"return":               {"退回补正", []string{"补正"}},
		"terminate":            {"办件已终止", []string{"已终止办理：申请人不具备经营场所。"}},
		"lapse":                {"办件已终止", []string{"容缺材料逾期未补齐"}},
		"decide approve":       {"已作出决定", []string{"准予"}},
		"decide deny":          {"已作出决定", []string{"不予"}},
		"accept-result pickup": {"办理结果可领取", []string{"领取", "身份证件"}},
		"accept-result mail":   {"办理结果待寄出", []string{"邮寄"}},
		"mail":                 {"办理结果已邮寄", []string{"EMS", "EA123456789CN"}},
	}
	for _, s := range all {
		n, ok := casework.NoticeFor(s.c, s.ev)
		w, wanted := want[s.name]
		if ok != wanted {
			t.Errorf("%s: notice sent %v, want %v (%+v)", s.name, ok, wanted, n)
			continue
		}
		if !ok {
			if n != (casework.Notice{}) {
				t.Errorf("%s: no notice, but %+v", s.name, n)
			}
			continue
		}
		if n.Subject != w.subject {
			t.Errorf("%s: subject %q, want %q", s.name, n.Subject, w.subject)
		}
		for _, x := range append(w.says, s.c.Number, "「"+s.c.ItemName+"」") {
			if !strings.Contains(n.Body, x) {
				t.Errorf("%s: body %q does not say %q", s.name, n.Body, x)
			}
		}
		text := n.Subject + n.Body
		for _, secret := range []string{checkCode, companyCode, personID, agentID} {
			if strings.Contains(text, secret) {
				t.Errorf("%s: notice %q carries %s", s.name, text, secret)
			}
		}
		if strings.Contains(n.Body, "。。") {
			t.Errorf("%s: body %q doubles its full stop", s.name, n.Body)
		}
	}
	// Every notice the test expects was produced by some event.
	for name := range want {
		if !slices.ContainsFunc(all, func(s sent) bool { return s.name == name }) {
			t.Errorf("no event recorded for %s", name)
		}
	}
	// The pass names no paper when there is none to bring.
	c := cloneCase(online.c)
	for i := range c.Materials {
		c.Materials[i].Paper = false
	}
	if n, _ := casework.NoticeFor(c, &casework.Event{Type: casework.ActPassPreReview}); strings.Contains(n.Body, "纸质材料") {
		t.Errorf("pass without paper: %q", n.Body)
	}
}

// TestSharedMaterialNeedNotBeUploaded: a required material the hall
// obtains itself through data sharing (营业执照 from 电子证照库) need not be
// uploaded online, nor brought on paper after the pre-review; a required
// material that is not shared still must be.
func TestSharedMaterialNeedNotBeUploaded(t *testing.T) {
	it := item(t, promisedItem)
	m02, ok := it.Material("M02")
	if !ok || !m02.Required || m02.Shared == "" {
		t.Fatalf("the test wants SCJG-XK-001's M02 required and shared: %+v", m02)
	}
	in := onlineApplication(t, promisedItem)
	delete(in.Files, "M02")
	now := at(2026, 3, 2, 9, 0)
	h := submitWith(t, in, it, applicantUser, now)
	h.doAt(at(2026, 3, 2, 10, 0), casework.ActPassPreReview, casework.Input{}, reviewer("SCJG"))
	for _, m := range h.c.PaperToBring() {
		if m.Code == "M02" {
			t.Errorf("the shared licence is among the paper to bring: %+v", h.c.PaperToBring())
		}
	}
	missing := onlineApplication(t, promisedItem)
	delete(missing.Files, "M01")
	if _, _, err := casework.NewOnlineCase(missing, it, applicantUser, env(now)); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("an application without its (unshared) application form: %v", err)
	}
}
