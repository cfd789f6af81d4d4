package casework

import (
	"encoding/json"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
)

// Delegated initial review (委托初审, issue 15 item 4). For an item the
// bureau marks so (catalog.Item.InitialReviewDays), a promised case taken
// in at a street centre is first reviewed there by the street's reviewer
// (org.RoleStreetReviewer): the materials complete and in legal form. The
// review is due the item's working days after intake (initial_review_by);
// until it passes the department may neither accept, return nor refuse to
// accept. 初审通过 records the reviewer and the opinion; 初审退回 returns
// the case with a correction notice, as the department's return does. A
// corrected resubmission at the street is reviewed again. The applicant's
// own deadline for acceptance (R5, accept_by) still runs from intake and
// never moves for the initial review; the department's acceptance records
// both people: 初审：<reviewer>（<street>）；受理：<reviewer>.

// The initial review's actions.
const (
	ActPassInitialReview   Action = "pass-initial-review"   // 初审通过
	ActReturnInitialReview Action = "return-initial-review" // 初审退回
)

// InitialReview is the street's initial review of a case.
type InitialReview struct {
	Hall     string    `json:"hall" doc:"初审的街道为民服务中心（编码）：收件大厅"`
	HallName string    `json:"hall_name,omitempty" doc:"初审的街道为民服务中心"`
	Days     int       `json:"days" doc:"初审期限：收件（或补正后重新提交）后的工作日数，按收件时的事项版本"`
	Round    int       `json:"round" doc:"第几轮初审：补正后重新提交的，重新初审"`
	Since    time.Time `json:"since" doc:"本轮初审自何时起算（收件或重新提交）"`
	PassedAt time.Time `json:"passed_at,omitzero" doc:"初审通过的时间；未通过为空"`
	By       string    `json:"by,omitempty" doc:"初审通过人员（用户名）"`
	ByName   string    `json:"by_name,omitempty" doc:"初审通过人员姓名"`
	Opinion  string    `json:"opinion,omitempty" doc:"初审意见"`
	Returns  int       `json:"returns,omitempty" doc:"初审退回的次数"`
}

// DefaultInitialOpinion is the opinion of an initial review passed
// without one written: what it certifies.
const DefaultInitialOpinion = "申请材料齐全、符合法定形式"

// InitialReviewPending reports whether the case waits for the street's
// initial review before the department may accept it.
func (c *Case) InitialReviewPending() bool {
	return c.State == Received && c.InitialReview != nil && c.InitialReview.PassedAt.IsZero()
}

// startInitialReview sends the case taken in (or resubmitted) now at hall
// to the street's initial review, due days working days later.
func (c *Case) startInitialReview(hall, hallName string, days int, env Env) {
	round := 1
	ir := InitialReview{Hall: hall, HallName: hallName, Days: days}
	if c.InitialReview != nil {
		ir = *c.InitialReview
		round = ir.Round + 1
	}
	ir.Round, ir.Since, ir.PassedAt, ir.By, ir.ByName, ir.Opinion = round, env.Now, time.Time{}, "", "", ""
	c.InitialReview = &ir
	c.Deadlines.InitialReviewBy = InitialReviewDue(env, env.Now, ir.Days)
}

// InitialReviewDue is the end of an initial review of days working days
// from at: the close of the days-th working day after it (a deadline's
// own rule: the day of intake not counted).
func InitialReviewDue(env Env, at time.Time, days int) time.Time {
	return env.Cal.AddWorkingDays(at, days)
}

// guardInitialReview lets the street reviewer of the case's street review
// it while its initial review waits.
func guardInitialReview(c *Case, a Actor, _ time.Time) error {
	ir := c.InitialReview
	switch {
	case ir == nil:
		return apperr.New(apperr.Conflict, "该办件不需要街道初审（事项未委托初审，或不是在街道为民服务中心收件）")
	case a.HallCode == "":
		return apperr.New(apperr.Forbidden, "您的账号未指定所在的街道为民服务中心，不能初审；请局管理员为账号设置所在大厅")
	case a.HallCode != ir.Hall:
		return (&HallRefusal{Label: "初审", CaseHall: ir.Hall, ClerkHall: a.HallCode, Initial: true}).Named(nil)
	case !ir.PassedAt.IsZero():
		return apperr.New(apperr.Conflict, "本件已初审通过，等待部门受理")
	}
	return nil
}

// guardInitialReviewed keeps the department's answer to a case (accept,
// return, refuse to accept) until the street's initial review has passed.
func guardInitialReviewed(c *Case, _ Actor, _ time.Time) error {
	if c.InitialReviewPending() {
		return apperr.New(apperr.Conflict, "该事项委托街道初审：须由%s初审通过后，部门方可受理（初审期限 %s）",
			c.InitialReview.hallWords(), stampText(c.Deadlines.InitialReviewBy))
	}
	return nil
}

// guardAccept is acceptance's guard: not waiting for a bundle's
// prerequisite, and the initial review passed where there is one.
func guardAccept(c *Case, a Actor, now time.Time) error {
	if err := guardNotWaiting(c, a, now); err != nil {
		return err
	}
	return guardInitialReviewed(c, a, now)
}

func (ir *InitialReview) hallWords() string {
	if ir.HallName != "" {
		return ir.HallName
	}
	return "收件的街道为民服务中心"
}

// passInitialReview records the street reviewer's pass and opinion.
func (t *transition) passInitialReview() error {
	op, err := t.opinion(false)
	if err != nil {
		return err
	}
	if op == "" {
		op = DefaultInitialOpinion
		t.details["reason"] = op
	}
	c := t.c
	ir := *c.InitialReview
	ir.PassedAt, ir.By, ir.ByName, ir.Opinion = t.env.Now, t.a.Username, t.a.realName(), op
	c.InitialReview = &ir
	t.details["on_time"] = t.onTime(c.Deadlines.InitialReviewBy)
	t.details["initial_review_hall"] = ir.hallWords()
	t.details["round"] = ir.Round
	return nil
}

// returnInitialReview returns the case from the initial review with a
// correction notice, as the department's return does.
func (t *transition) returnInitialReview() error {
	c := t.c
	due := c.Deadlines.InitialReviewBy
	if err := t.returnCase(); err != nil {
		return err
	}
	ir := *c.InitialReview
	ir.Returns++
	c.InitialReview = &ir
	t.details["on_time"] = t.onTime(due)
	t.details["initial_review_hall"] = ir.hallWords()
	t.details["round"] = ir.Round
	// The notice is the department's, issued by the street on its behalf.
	if n := len(t.docs); n > 0 && t.docs[n-1].Kind == CorrectionNotice {
		var d CorrectionData
		if err := json.Unmarshal(t.docs[n-1].Data, &d); err != nil {
			return apperr.Wrap(err, "correction notice")
		}
		d.Notice = "本件由" + ir.hallWords() + "受部门委托初审。" + d.Notice
		t.docs[n-1] = newDocument(CorrectionNotice, t.env.Now, d)
	}
	return nil
}

// restartInitialReview sends a corrected resubmission of a case with an
// initial review back to it: the street reviews the new materials first.
func (t *transition) restartInitialReview() {
	c := t.c
	if c.InitialReview == nil {
		return
	}
	c.startInitialReview("", "", 0, t.env)
	t.details["initial_review_by"] = c.Deadlines.InitialReviewBy
}

// recordInitialReview names, on the department's acceptance, who did the
// initial review and who accepts: the record names both.
func (t *transition) recordInitialReview() {
	ir := t.c.InitialReview
	if ir == nil || ir.PassedAt.IsZero() {
		return
	}
	who := ir.ByName
	if who == "" {
		who = ir.By
	}
	t.details["initial_review"] = "初审：" + who + "（" + ir.hallWords() + "）；受理：" + t.a.realName()
}

// InitialReviewWords says, for the case page and the acceptance record,
// who did the initial review: 初审：王芳（滨河街道为民服务中心），2026-03-02 10:00 通过.
func (c *Case) InitialReviewWords() string {
	ir := c.InitialReview
	if ir == nil {
		return ""
	}
	if ir.PassedAt.IsZero() {
		return "待" + ir.hallWords() + "初审（" + stampText(c.Deadlines.InitialReviewBy) + " 前）"
	}
	who := ir.ByName
	if who == "" {
		who = ir.By
	}
	return "初审：" + who + "（" + ir.hallWords() + "）" + stampText(ir.PassedAt) + " 通过；" + ir.Opinion
}
