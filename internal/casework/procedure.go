package casework

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/onewindow/onewindow/internal/apperr"
)

// Special procedures (特别程序): the steps the handbook names besides the
// review itself — 现场勘验, 专家评审, 听证, 公示 — each recorded from its
// start (what is to be done, and for how long) to its finish (the
// conclusion, with its attachments), each with its document. The clock
// follows the pause rules already in place: the time of 专家评审 and 听证
// is not counted (行政许可法 art. 45), so starting one pauses the clock as
// a pause of that legal type does, tells the applicant in writing how long
// it is to take, and finishing it resumes the clock; 现场勘验 and 公示 are
// recorded without stopping it. One special procedure runs at a time, and
// none may run when the case is decided.

// ProcedureKind is the kind of a special procedure.
type ProcedureKind string

// The special procedures.
const (
	ProcSiteInspection ProcedureKind = "site_inspection" // 现场勘验
	ProcExpertReview   ProcedureKind = "expert_review"   // 专家评审
	ProcHearing        ProcedureKind = "hearing"         // 听证
	ProcPublicity      ProcedureKind = "publicity"       // 公示
)

// ProcedureKinds lists every special procedure.
var ProcedureKinds = []ProcedureKind{ProcSiteInspection, ProcExpertReview, ProcHearing, ProcPublicity}

// Label returns the procedure's Chinese name.
func (k ProcedureKind) Label() string {
	switch k {
	case ProcSiteInspection:
		return "现场勘验"
	case ProcExpertReview:
		return "专家评审"
	case ProcHearing:
		return "听证"
	case ProcPublicity:
		return "公示"
	}
	return ""
}

// PauseType returns the legal ground on which the procedure stops the
// clock (行政许可法 art. 45), or "" for one whose time is counted.
func (k ProcedureKind) PauseType() PauseType {
	switch k {
	case ProcExpertReview:
		return ExpertReview
	case ProcHearing:
		return Hearing
	}
	return ""
}

// StopsClock reports whether the procedure's time is not counted.
func (k ProcedureKind) StopsClock() bool { return k.PauseType() != "" }

// RecordTitle is the title of the document that records the procedure's
// finish.
func (k ProcedureKind) RecordTitle() string {
	switch k {
	case ProcSiteInspection:
		return "现场勘验笔录"
	case ProcExpertReview:
		return "专家评审意见"
	case ProcHearing:
		return "听证笔录"
	case ProcPublicity:
		return "公示情况记录"
	}
	return "特别程序记录"
}

// The actions of the special procedures.
const (
	ActStartProcedure  Action = "start-procedure"  // procedure, reason (what is to be done), days where the clock stops
	ActFinishProcedure Action = "finish-procedure" // conclusion, attachments
)

// The documents of the special procedures.
const (
	ProcedureNotice DocKind = "procedure_notice" // 特别程序告知书: the time not counted, in writing (art. 45)
	ProcedureRecord DocKind = "procedure_record" // the record of a finished procedure, titled by its kind
)

// MaxAttachments is the most files one procedure's record may carry.
const MaxAttachments = 20

// Procedure is one special procedure of a case.
type Procedure struct {
	Kind      ProcedureKind `json:"kind"`
	Subject   string        `json:"subject"`        // what is to be done: the matter, the place, the people
	Days      int           `json:"days,omitempty"` // the working days it is to take, told to the applicant (clock stopped only)
	StartedAt time.Time     `json:"started_at"`
	StartedBy string        `json:"started_by"`
	// Paused is true when the procedure stopped the clock (the pause with
	// the same start time in Case.Pauses).
	Paused     bool      `json:"paused,omitempty"`
	FinishedAt time.Time `json:"finished_at,omitzero"`
	FinishedBy string    `json:"finished_by,omitempty"`
	Conclusion string    `json:"conclusion,omitempty"`
	Files      []FileRef `json:"files,omitempty"`
}

// Running reports whether the procedure has not finished.
func (p Procedure) Running() bool { return p.FinishedAt.IsZero() }

// OpenProcedure returns the special procedure under way, or nil.
func (c *Case) OpenProcedure() *Procedure {
	if n := len(c.Procedures); n > 0 && c.Procedures[n-1].Running() {
		return &c.Procedures[n-1]
	}
	return nil
}

// ProcedureFiles returns every file the special procedures' records carry.
func (c *Case) ProcedureFiles() []FileRef {
	var out []FileRef
	for _, p := range c.Procedures {
		out = append(out, p.Files...)
	}
	return out
}

// ProcedureData is what a procedure's documents show.
type ProcedureData struct {
	Number     string        `json:"number"`
	Item       string        `json:"item"`
	Department string        `json:"department"`
	Applicant  Party         `json:"applicant"` // masked
	Kind       ProcedureKind `json:"kind"`
	Label      string        `json:"label"`
	Subject    string        `json:"subject"`
	StopsClock bool          `json:"stops_clock"`
	Days       int           `json:"days,omitempty"`
	StartedAt  time.Time     `json:"started_at"`
	StartedBy  string        `json:"started_by"`
	FinishedAt time.Time     `json:"finished_at,omitzero"`
	FinishedBy string        `json:"finished_by,omitempty"`
	Conclusion string        `json:"conclusion,omitempty"`
	Files      []string      `json:"files,omitempty"` // the attachments' names
	PausedDays int           `json:"paused_days,omitempty"`
	DecideBy   time.Time     `json:"decide_by,omitzero"`
}

// guardNoProcedure refuses while a special procedure is under way.
func guardNoProcedure(c *Case, _ Actor, _ time.Time) error {
	if p := c.OpenProcedure(); p != nil {
		return apperr.New(apperr.Conflict, "特别程序「%s」尚未结束，请先登记其结果", p.Kind.Label())
	}
	return nil
}

// guardProcedureOpen lets a special procedure under way be finished.
func guardProcedureOpen(c *Case, _ Actor, _ time.Time) error {
	if c.OpenProcedure() == nil {
		return apperr.New(apperr.Conflict, "没有进行中的特别程序")
	}
	return nil
}

// guardResumeByHand lets the clock be resumed by hand unless a special
// procedure stopped it: its finish resumes it.
func guardResumeByHand(c *Case, a Actor, now time.Time) error {
	if p := c.OpenProcedure(); p != nil && p.Paused {
		return apperr.New(apperr.Conflict, "计时因「%s」暂停，登记%s结果后自动恢复计时", p.Kind.Label(), p.Kind.Label())
	}
	return guardPaused(c, a, now)
}

// startProcedure records a special procedure's start; one whose time is
// not counted stops the clock and issues the written notice of the time
// it is to take.
func (t *transition) startProcedure() error {
	c, k := t.c, t.in.Procedure
	if !slices.Contains(ProcedureKinds, k) {
		return apperr.Field("procedure", "请选择特别程序：现场勘验、专家评审、听证或公示")
	}
	subject := strings.TrimSpace(t.in.Reason)
	if subject == "" || utf8.RuneCountInString(subject) > 1000 {
		return apperr.Field("reason", "请写明特别程序的事项、地点或人员（不超过 1000 个字）")
	}
	p := Procedure{Kind: k, Subject: subject, StartedAt: t.env.Now, StartedBy: t.a.Username}
	t.details["procedure"] = k
	t.details["reason"] = subject
	if k.StopsClock() {
		if c.Paused() {
			return apperr.Field("procedure", "审查计时已暂停，请先恢复计时再启动"+k.Label())
		}
		if t.in.Days < 1 || t.in.Days > 60 {
			return apperr.Field("days", k.Label()+"所需时间须为 1 至 60 个工作日（行政许可法第四十五条：书面告知申请人所需时间）")
		}
		p.Days, p.Paused = t.in.Days, true
		c.Pauses = append(c.Pauses, Pause{Type: k.PauseType(), Reason: subject, From: t.env.Now, ByUser: t.a.Username})
		t.details["pause_type"] = k.PauseType()
		t.details["days"] = p.Days
		notice := newDocument(ProcedureNotice, t.env.Now, t.procedureData(p))
		notice.Title = k.Label() + "所需时间告知书"
		t.docs = append(t.docs, notice)
	} else if t.in.Days != 0 {
		return apperr.Field("days", k.Label()+"的时间计入办理时限，不须填写所需时间")
	}
	c.Procedures = append(slices.Clone(c.Procedures), p)
	return nil
}

// finishProcedure records the conclusion and attachments of the special
// procedure under way, issues its record and, if it stopped the clock,
// resumes it as resume does.
func (t *transition) finishProcedure() error {
	c := t.c
	conclusion := strings.TrimSpace(t.in.Conclusion)
	if conclusion == "" || utf8.RuneCountInString(conclusion) > 2000 {
		return apperr.Field("conclusion", "请填写结论（不超过 2000 个字）")
	}
	if len(t.in.Attachments) > MaxAttachments {
		return apperr.Field("attachments", fmt.Sprintf("附件不超过 %d 个", MaxAttachments))
	}
	c.Procedures = slices.Clone(c.Procedures)
	p := &c.Procedures[len(c.Procedures)-1]
	p.FinishedAt, p.FinishedBy, p.Conclusion = t.env.Now, t.a.Username, conclusion
	p.Files = slices.Clone(t.in.Attachments)
	t.details["procedure"] = p.Kind
	t.details["conclusion"] = conclusion
	if len(p.Files) > 0 {
		names := make([]string, len(p.Files))
		for i, f := range p.Files {
			names[i] = f.Name
		}
		t.details["attachments"] = names
	}
	data := t.procedureData(*p)
	if p.Paused && c.Paused() && c.Pauses[len(c.Pauses)-1].From.Equal(p.StartedAt) {
		if err := t.resume(); err != nil {
			return err
		}
		data.PausedDays, data.DecideBy = c.Pauses[len(c.Pauses)-1].Days, c.Deadlines.DecideBy
	}
	doc := newDocument(ProcedureRecord, t.env.Now, data)
	doc.Title = p.Kind.RecordTitle()
	t.docs = append(t.docs, doc)
	return nil
}

// procedureData is what the procedure's documents show.
func (t *transition) procedureData(p Procedure) ProcedureData {
	c := t.c
	d := ProcedureData{
		Number: c.Number, Item: c.ItemName, Department: c.DepartmentCode, Applicant: c.Applicant.Masked(),
		Kind: p.Kind, Label: p.Kind.Label(), Subject: p.Subject, StopsClock: p.Kind.StopsClock(), Days: p.Days,
		StartedAt: p.StartedAt, StartedBy: p.StartedBy, FinishedAt: p.FinishedAt, FinishedBy: p.FinishedBy,
		Conclusion: p.Conclusion,
	}
	for _, f := range p.Files {
		d.Files = append(d.Files, f.Name)
	}
	return d
}

// describeReview tells the applicant the steps of the review in levels and
// of the special procedures (Describe): the levels are the department's
// own work and are not told ("" leaves them out); a special procedure is,
// with the time it stops the clock for.
func describeReview(ev Event, str func(string) string) (string, bool) {
	switch ev.Type {
	case ActPropose, ActCheck, ActSendBack:
		return "", true
	case ActStartProcedure:
		k := ProcedureKind(str("procedure"))
		if k.StopsClock() {
			return "部门启动" + k.Label() + "程序，审查计时暂停（" + k.Label() + "所需时间依法不计入办理时限，已书面告知）。", true
		}
		return "部门启动" + k.Label() + "程序。", true
	case ActFinishProcedure:
		k := ProcedureKind(str("procedure"))
		if k.StopsClock() {
			return k.Label() + "已结束，审查计时恢复，办结期限相应顺延。", true
		}
		return k.Label() + "已完成。", true
	}
	return "", false
}
