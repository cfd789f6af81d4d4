package service

import (
	"cmp"
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/org"
	"github.com/onewindow/onewindow/internal/store"
)

// The guidance desk's log (导办, issue 5 item 5): the desk at the hall's
// door records each consultation: the items asked about, what was done,
// and the queue ticket when the applicant took one.
//
// Intake clerks record at their own hall; bureau admins at any hall.
// Supervisors may read every hall's log.

// GuidanceOutcome is what the guidance clerk did about a consultation.
type GuidanceOutcome string

// The outcomes.
const (
	GuidanceAnswered     GuidanceOutcome = "answered"       // 当场解答
	GuidanceSentToWindow GuidanceOutcome = "sent_to_window" // 引导至窗口
	GuidanceNoticeGiven  GuidanceOutcome = "notice_given"   // 一次性告知
	GuidanceOther        GuidanceOutcome = "other"          // 其他
)

// GuidanceOutcomes lists the outcomes in the form's order.
var GuidanceOutcomes = []GuidanceOutcome{GuidanceAnswered, GuidanceSentToWindow, GuidanceNoticeGiven, GuidanceOther}

// Label returns the outcome's Chinese name.
func (o GuidanceOutcome) Label() string {
	switch o {
	case GuidanceAnswered:
		return "当场解答"
	case GuidanceSentToWindow:
		return "引导至窗口"
	case GuidanceNoticeGiven:
		return "一次性告知"
	case GuidanceOther:
		return "其他"
	}
	return string(o)
}

// Limits of a consultation's record.
const (
	GuidanceNoteMax  = 200 // characters of the note
	GuidanceItemsMax = 10  // items asked about in one consultation
)

// GuidanceEntry is what the guidance clerk records.
type GuidanceEntry struct {
	Hall         string // the hall; an intake clerk's own hall when empty
	Items        []string
	Note         string
	TicketNumber string // optional: the day's ticket number, "A001"
	Outcome      GuidanceOutcome
}

// GuidanceRecord is a consultation with the names of its items.
type GuidanceRecord struct {
	store.Consultation
	ItemNames []string // by Items' order; "" for an item since removed
	ClerkName string   // the clerk who guided, by real name
}

// OutcomeLabel returns the Chinese name of the outcome.
func (g GuidanceRecord) OutcomeLabel() string { return GuidanceOutcome(g.Outcome).Label() }

// guidanceHall returns the hall the actor acts at for the log: an intake
// clerk's own hall (any other is forbidden), any known hall for admins,
// and for supervisors when reading only.
func (s *Hall) guidanceHall(ctx context.Context, hall string, reading bool) (*Actor, string, error) {
	roles := []org.Role{org.RoleIntake, org.RoleAdmin}
	verb := "登记"
	if reading {
		roles, verb = append(roles, org.RoleSupervisor), "查看"
	}
	a, err := require(ctx, verb+"导办记录", roles...)
	if err != nil {
		return nil, "", err
	}
	if a.Is(org.RoleIntake) {
		if hall == "" {
			hall = a.User.HallCode
		}
		if hall != a.User.HallCode {
			return nil, "", apperr.New(apperr.Forbidden, "您属于大厅 %s，不能%s大厅 %s 的导办记录", a.User.HallCode, verb, hall)
		}
	}
	if hall == "" {
		return nil, "", apperr.Field("hall", "请选择大厅")
	}
	if err := s.knownHall(ctx, hall); err != nil {
		return nil, "", err
	}
	return a, hall, nil
}

// RecordGuidance records a consultation at the guidance desk, now, by the
// acting clerk. Each item must be a current item of the catalog, the note
// at most GuidanceNoteMax characters, and either an item or a note given.
func (s *Hall) RecordGuidance(ctx context.Context, in GuidanceEntry) (*GuidanceRecord, error) {
	a, hall, err := s.guidanceHall(ctx, in.Hall, false)
	if err != nil {
		return nil, err
	}
	if _, err := s.refresh(ctx); err != nil {
		return nil, err
	}
	var v apperr.Collector
	in.Note = strings.TrimSpace(in.Note)
	in.TicketNumber = strings.ToUpper(strings.TrimSpace(in.TicketNumber))
	var codes, names []string
	seen := map[string]bool{}
	for _, c := range in.Items {
		c = strings.ToUpper(strings.TrimSpace(c))
		if c == "" || seen[c] {
			continue
		}
		seen[c] = true
		it, err := s.currentItem(ctx, c)
		if apperr.Is(err, apperr.NotFound) {
			v.Add("items", "事项目录中没有编码为 "+c+" 的事项")
			continue
		}
		if err != nil {
			return nil, err
		}
		codes, names = append(codes, it.Code), append(names, it.Name)
	}
	v.Check(len(codes) <= GuidanceItemsMax, "items", fmt.Sprintf("一次咨询至多登记 %d 个事项", GuidanceItemsMax))
	v.Check(len(codes) > 0 || in.Note != "" || len(in.Items) > 0, "items", "请填写咨询的事项，或在说明中写明咨询内容")
	v.Check(utf8.RuneCountInString(in.Note) <= GuidanceNoteMax, "note", fmt.Sprintf("说明至多 %d 个字", GuidanceNoteMax))
	known := false
	for _, o := range GuidanceOutcomes {
		known = known || o == in.Outcome
	}
	v.Check(known, "outcome", "请选择处理结果")
	v.Check(in.Outcome != GuidanceOther || in.Note != "", "note", "处理结果为“其他”时请在说明中写明")
	if err := v.Err("导办登记有误"); err != nil {
		return nil, err
	}
	c := store.Consultation{HallCode: hall, Clerk: a.Name(), Items: codes, Note: in.Note, TicketNumber: in.TicketNumber, Outcome: string(in.Outcome)}
	if err := s.store.AddConsultation(ctx, &c); err != nil {
		return nil, err
	}
	return &GuidanceRecord{Consultation: c, ItemNames: names}, nil
}

// GuidanceLog returns a hall's consultations of one day (Beijing time), in
// the order they were recorded.
func (s *Hall) GuidanceLog(ctx context.Context, hall string, day calendar.Date) ([]GuidanceRecord, error) {
	_, hall, err := s.guidanceHall(ctx, hall, true)
	if err != nil {
		return nil, err
	}
	list, err := s.store.Consultations(ctx, hall, day.At(0, 0), day.AddDays(1).At(0, 0))
	if err != nil {
		return nil, err
	}
	if _, err := s.refresh(ctx); err != nil {
		return nil, err
	}
	clerks := make([]string, 0, len(list))
	for _, c := range list {
		clerks = append(clerks, c.Clerk)
	}
	names, err := s.store.UserNames(ctx, clerks)
	if err != nil {
		return nil, err
	}
	out := make([]GuidanceRecord, 0, len(list))
	for _, c := range list {
		g := GuidanceRecord{Consultation: c, ClerkName: cmp.Or(names[c.Clerk], "—")}
		for _, code := range c.Items {
			name := ""
			if it, err := s.currentItem(ctx, code); err == nil {
				name = it.Name
			}
			g.ItemNames = append(g.ItemNames, name)
		}
		out = append(out, g)
	}
	return out, nil
}
