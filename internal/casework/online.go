package casework

import (
	"encoding/json"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/catalog"
	"github.com/onewindow/onewindow/internal/org"
)

// OnlineApplication is an application made on the web (外网申报): the
// handbook's materials as uploaded electronic files.
type OnlineApplication struct {
	ItemCode  string               `json:"item_code"`
	Applicant Party                `json:"applicant"`
	Files     map[string][]FileRef `json:"files"` // by material code
	Delivery  *Delivery            `json:"delivery,omitempty"`
	Form      map[string]string    `json:"form,omitempty"` // a bundle's shared fields
	WaitFor   []string             `json:"-"`              // a bundle's prerequisite items, see Intake.WaitFor
	// PickupHall is the hall where the result is to be collected, set by
	// the service: the applicant's choice, or the hall that issues a fully
	// online case's results. "" for a case whose paper is yet to be taken
	// in: it collects at the hall that takes it in (complete-intake).
	PickupHall string `json:"-"`
}

// OnlineRefusal says why item may not be applied for online (外网申报), or
// "" when it may: only promised items (承诺件) with online service (网上预审
// or 全程网办); an instant item is done at the window in one visit. The
// one home of the rule: the online hall's item list and forms, the agent's
// desk and NewOnlineCase all ask it.
func OnlineRefusal(item *catalog.Item) string {
	switch {
	case item.OnlineLevel != catalog.OnlinePre && item.OnlineLevel != catalog.OnlineFull:
		return "该事项暂不支持网上申报，请到大厅综合受理窗口办理"
	case item.Kind != catalog.Promised:
		return "即办件须到窗口当场办理"
	}
	return ""
}

// OnlineApplicable reports whether item may be applied for online (see
// OnlineRefusal).
func OnlineApplicable(item *catalog.Item) bool { return OnlineRefusal(item) == "" }

// MaxFilesPerMaterial bounds the files one material may have.
const MaxFilesPerMaterial = 10

// NewOnlineCase checks an online application against the handbook and
// returns the new case in state submitted with its pre-review deadline
// (R13: 2 working days under the default policy), and its event. Only
// items with online service may be applied for online; every required
// material needs a file; no material outside the handbook is taken (R15).
// Deferral is a window matter: online, every required material is
// uploaded. The case keeps the deadline policy in force (env.Policy) for
// all its deadlines.
func NewOnlineCase(in OnlineApplication, item *catalog.Item, a Actor, env Env) (*Case, *Event, error) {
	if a.System || (a.Role != org.RoleApplicant && a.Role != org.RoleAgent) {
		return nil, nil, apperr.New(apperr.Forbidden, "网上申报须由申请人或其授权的代办员提交")
	}
	var errs apperr.Collector
	if why := OnlineRefusal(item); why != "" {
		errs.Add("item_code", why)
	}
	applicant := checkParty(&errs, "applicant", in.Applicant)
	if applicant.Kind == Person && !hasKind(item, catalog.NaturalPerson) {
		errs.Add("applicant.kind", "该事项的申请人须为法人或其他组织")
	}
	if applicant.Kind == Entity && !hasNonPerson(item) {
		errs.Add("applicant.kind", "该事项的申请人须为自然人")
	}
	materials := onlineMaterials(&errs, item, in.Files, true)
	delivery := checkDelivery(&errs, item, in.Delivery, applicant)
	if err := errs.Err("网上申报信息有误，未提交"); err != nil {
		return nil, nil, err
	}
	now := env.Now
	c := &Case{
		ItemCode: item.Code, ItemVersion: item.Version, ItemName: item.Name, ItemType: item.Type, DepartmentCode: item.DepartmentCode,
		Kind: item.Kind, PromisedDays: item.PromisedDays, State: Submitted, Channel: Online, HallCode: a.HallCode, PickupHall: in.PickupHall,
		Applicant: applicant, Delivery: delivery, Materials: materials,
		ReceivedAt: now, SubmittedAt: now, ReceivedBy: a.Username, CollectItems: item.CollectAtIssuance,
		AccountID: a.AccountID, OnlineFull: item.OnlineLevel == catalog.OnlineFull, Form: in.Form,
	}
	c.ReviewLevels = item.Levels()
	if a.Role == org.RoleAgent {
		c.AgentUser = a.Username
	}
	if c.OnlineFull {
		// Nothing on paper travels: the department reviews the files.
		for i := range c.Materials {
			c.Materials[i].Paper = false
		}
	}
	c.Policy = env.Policy.orDefault()
	c.Deadlines.PreReviewBy = env.Cal.AddWorkingDays(now, c.Policy.PreReviewDays)
	c.Wait(in.WaitFor)
	details := map[string]any{
		"item_code": item.Code, "item_version": item.Version, "channel": Online,
		"applicant": applicant.Masked().Name, "prereview_by": c.Deadlines.PreReviewBy, "files": fileCount(materials),
	}
	if a.OnBehalfOf != "" {
		details["on_behalf_of"] = a.OnBehalfOf
	}
	b, _ := json.Marshal(details)
	ev := &Event{Type: ActSubmit, Actor: a.Username, Role: string(a.Role), Desk: a.Desk, At: now, To: Submitted, Details: b}
	return c, ev, nil
}

// onlineMaterials matches the uploaded files to the handbook. With
// requireAll every required material must have a file.
func onlineMaterials(errs *apperr.Collector, item *catalog.Item, files map[string][]FileRef, requireAll bool) []CaseMaterial {
	for code, fs := range files {
		spec, ok := item.Material(code)
		switch {
		case !ok:
			errs.Add("files", "办事指南未列明该材料，不能收取："+code)
		case !spec.Electronic && len(fs) > 0:
			errs.Add("files", "「"+spec.Name+"」只收纸质材料，请在预审通过后带到大厅")
		}
		if len(fs) > MaxFilesPerMaterial {
			errs.Add("files", "每项材料最多上传 10 个文件")
		}
	}
	var out []CaseMaterial
	var missing []string
	for _, spec := range item.Materials {
		fs := files[spec.Code]
		status := Provided
		if len(fs) == 0 {
			status = Missing
			if spec.ToBring() && spec.Electronic && requireAll {
				missing = append(missing, spec.Name)
			}
		}
		out = append(out, CaseMaterial{Code: spec.Code, Name: spec.Name, Required: spec.Required, Paper: spec.Paper,
			Electronic: spec.Electronic, PaperOnly: !spec.Electronic,
			Originals: spec.Originals, Copies: spec.Copies, Status: status, Files: slices.Clone(fs), Shared: spec.Shared})
	}
	if len(missing) > 0 {
		errs.Add("files", "请上传："+strings.Join(missing, "、"))
	}
	return out
}

func fileCount(ms []CaseMaterial) int {
	n := 0
	for _, m := range ms {
		n += len(m.Files)
	}
	return n
}

// PaperToBring lists the paper originals and copies a passed online case
// still needs at the hall.
func (c *Case) PaperToBring() []MaterialLine {
	var out []MaterialLine
	for _, m := range c.Materials {
		if m.Paper && (m.Status != Missing || m.Required && m.Shared == "") {
			out = append(out, m.line())
		}
	}
	return out
}

func (t *transition) passPreReview() error {
	c := t.c
	reason, err := t.reason(false)
	if err != nil {
		return err
	}
	t.details["on_time"] = t.onTime(c.Deadlines.PreReviewBy)
	bring := c.PaperToBring()
	c.PreReview = &PreReview{Passed: true, Reason: reason, Bring: bring, At: t.env.Now, By: t.a.name()}
	codes := make([]string, len(bring))
	for i, l := range bring {
		codes[i] = l.Code
	}
	t.details["bring"] = codes
	return nil
}

func (t *transition) failPreReview() error {
	c := t.c
	reasons := map[string]string{}
	for code, why := range t.in.CorrectionReasons {
		why = strings.TrimSpace(why)
		if why == "" {
			continue
		}
		if c.material(code) < 0 {
			return apperr.Field("correction_reasons", "办事指南未列明该材料："+code)
		}
		if utf8.RuneCountInString(why) > 200 {
			return apperr.Field("correction_reasons", "每项材料的原因不超过 200 个字")
		}
		reasons[code] = why
	}
	reason, err := t.reason(len(reasons) == 0)
	if err != nil {
		return err
	}
	t.details["on_time"] = t.onTime(c.Deadlines.PreReviewBy)
	if len(reasons) > 0 {
		t.details["correction_reasons"] = reasons
	}
	c.PreReview = &PreReview{Passed: false, Reason: reason, Reasons: reasons, At: t.env.Now, By: t.a.name()}
	return nil
}

func (t *transition) resubmitOnline() error {
	c := t.c
	if len(t.in.Files) == 0 {
		return apperr.Field("files", "请上传补正后的材料")
	}
	var changed []string
	for code, fs := range t.in.Files {
		i := c.material(code)
		if i < 0 {
			return apperr.Field("files", "办事指南未列明该材料："+code)
		}
		if len(fs) > MaxFilesPerMaterial {
			return apperr.Field("files", "每项材料最多上传 10 个文件")
		}
		if c.Materials[i].PaperOnly && len(fs) > 0 {
			return apperr.Field("files", "「"+c.Materials[i].Name+"」只收纸质材料，请在预审通过后带到大厅")
		}
		c.Materials[i].Files = slices.Clone(fs)
		c.Materials[i].Status = Provided
		if len(fs) == 0 {
			c.Materials[i].Status = Missing
			if c.Materials[i].Required && c.Materials[i].Shared == "" {
				return apperr.Field("files", "「"+c.Materials[i].Name+"」为必需材料，不能删除全部文件")
			}
		}
		changed = append(changed, code)
	}
	slices.Sort(changed)
	t.details["materials"] = changed
	c.Resubmits++
	c.PreReview = nil
	c.Deadlines.PreReviewBy = t.env.Cal.AddWorkingDays(t.env.Now, c.DeadlinePolicy().PreReviewDays)
	t.details["prereview_by"] = c.Deadlines.PreReviewBy
	return nil
}

// completeIntake takes the paper of a passed online case at the intake
// desk: from here the case runs as one taken in at the window (R5, R6).
func (t *transition) completeIntake() error {
	c := t.c
	now := t.env.Now
	// The case is taken in now, at this desk: the receipt and the R5/R6
	// deadlines count from here; SubmittedAt keeps the online arrival.
	c.ReceivedAt, c.ReceivedBy, c.HallCode = now, t.a.Username, t.a.HallCode
	if c.PickupHall == "" {
		c.PickupHall = c.HallCode // collected where the paper was taken in, unless chosen online
	}
	for i, m := range c.Materials {
		if m.Paper && m.Required {
			c.Materials[i].Status = Provided // the clerk has checked the paper
		}
	}
	if !c.Waiting() {
		c.Deadlines.AcceptBy = t.env.Cal.AddWorkingDays(now, c.DeadlinePolicy().AcceptDays)
	}
	switch {
	case c.hasPaper() && t.env.PaperTo != "":
		c.startTrip(c.HallCode, t.env.PaperTo, now) // R6 runs from the batch's arrival
		t.details["paper_travels"] = true
	case c.hasPaper():
		c.Deadlines.HandoverBy = c.DeadlinePolicy().HandoverBy(t.env.Cal, now)
	}
	t.details["accept_by"], t.details["handover_by"] = c.Deadlines.AcceptBy, c.Deadlines.HandoverBy
	docs := IntakeDocuments(c)
	for i := range docs {
		docs[i].EventSeq, docs[i].CreatedAt = 0, now
	}
	t.docs = append(t.docs, docs...)
	return nil
}

// open removes a decided prerequisite from the case's wait; once none is
// left, a case taken in starts its acceptance deadline now.
func (t *transition) open() error {
	c := t.c
	i := slices.Index(c.WaitingFor, t.in.Prerequisite)
	if i < 0 {
		return apperr.Field("prerequisite", "该办件不在等待此前置事项："+t.in.Prerequisite)
	}
	c.WaitingFor = slices.Delete(c.WaitingFor, i, i+1)
	t.details["prerequisite"] = t.in.Prerequisite
	if len(c.WaitingFor) == 0 {
		c.WaitingFor = nil
		if c.State == Received {
			c.Deadlines.AcceptBy = t.env.Cal.AddWorkingDays(t.env.Now, c.DeadlinePolicy().AcceptDays)
			t.details["accept_by"] = c.Deadlines.AcceptBy
		}
	}
	return nil
}

// preReviewRunning reports whether the department's pre-review is due.
func (c *Case) preReviewRunning() bool {
	return c.State == Submitted && (c.PreReview == nil || !c.PreReview.Passed)
}
