package casework

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/org"
)

// Review in levels (审批层级). An item's version says how many people of
// the department review a promised case in turn before its decision, and
// the case keeps that number from its intake (Case.ReviewLevels):
//
//	1: the reviewer decides (decide), as before levels existed;
//	2: 承办 (propose) → 批准 (decide);
//	3: 承办 (propose) → 审核 (check) → 批准 (decide).
//
// Each level is a different person: nobody may do two levels of one case
// (the levels standing when they act). A level above the first may send
// the case back to the level below with a reason (send-back), which undoes
// that level's step; the levels below it stand. Who may do which level:
// 承办 a reviewer of the department; 审核 and 批准 a reviewer or the
// department's admin (the department's head, who also approves
// extensions). A case of one level is decided as before, by a reviewer.

// Level is one review level of a case.
type Level string

// The review levels, in order (LevelsOf).
const (
	LevelHandle  Level = "handle"   // 承办: examines the case and proposes the decision
	LevelCheck   Level = "check"    // 审核: checks the proposal (three levels only)
	LevelApprove Level = "approval" // 批准: makes the decision (decide)
)

// Label returns the level's Chinese name.
func (l Level) Label() string {
	switch l {
	case LevelHandle:
		return "承办"
	case LevelCheck:
		return "审核"
	case LevelApprove:
		return "批准"
	}
	return ""
}

// The actions of the review levels.
const (
	ActPropose  Action = "propose"   // 承办: the proposed outcome and the opinion
	ActCheck    Action = "check"     // 审核: the check of the proposal, agreed
	ActSendBack Action = "send-back" // a level sends the case back to the one below, with a reason
)

// LevelStep is one lower level done in the current round of review.
type LevelStep struct {
	Level   Level     `json:"level"`
	By      string    `json:"by"`                // the person's username; pages show the real name
	Outcome Outcome   `json:"outcome,omitempty"` // 承办: the outcome proposed
	Opinion string    `json:"opinion,omitempty"`
	At      time.Time `json:"at"`
}

// Levels returns how many review levels the case goes through: its
// item version's, an unset one (a case older than levels) read as 1.
func (c *Case) Levels() int { return max(c.ReviewLevels, 1) }

// LevelsOf returns the levels the case goes through, in order: 批准 alone,
// 承办 and 批准, or all three.
func (c *Case) LevelsOf() []Level {
	switch c.Levels() {
	case 1:
		return []Level{LevelApprove}
	case 2:
		return []Level{LevelHandle, LevelApprove}
	}
	return []Level{LevelHandle, LevelCheck, LevelApprove}
}

// PendingLevel returns the level that acts next on a case in review: the
// first of LevelsOf not yet done.
func (c *Case) PendingLevel() Level {
	levels := c.LevelsOf()
	if len(c.Review) < len(levels) {
		return levels[len(c.Review)]
	}
	return LevelApprove
}

// Proposal returns the 承办 step standing, if any.
func (c *Case) Proposal() *LevelStep {
	for i := range c.Review {
		if c.Review[i].Level == LevelHandle {
			return &c.Review[i]
		}
	}
	return nil
}

// LevelBelow returns the level a send-back from the pending level returns
// the case to: the last one done.
func (c *Case) LevelBelow() Level {
	if len(c.Review) == 0 {
		return ""
	}
	return c.Review[len(c.Review)-1].Level
}

// LevelDoneBy returns the level the person did among those standing, or "".
func (c *Case) LevelDoneBy(username string) Level {
	for _, s := range c.Review {
		if s.By == username {
			return s.Level
		}
	}
	return ""
}

// mayDoLevel says why the actor may not act at level l of the case now,
// or nil: a case of one level has no lower levels; l must be the pending
// level; nobody does two levels. The table's rows say which roles serve at
// which level.
func mayDoLevel(c *Case, a Actor, l Level) error {
	if c.Levels() == 1 && l != LevelApprove {
		return apperr.New(apperr.Conflict, "该事项为一级审批，由审批人员直接作出决定")
	}
	if p := c.PendingLevel(); p != l {
		return apperr.New(apperr.Conflict, "本件当前待「%s」，不是「%s」", p.Label(), l.Label())
	}
	if done := c.LevelDoneBy(a.Username); done != "" {
		return apperr.New(apperr.Forbidden, "同一办件的各审批层级须由不同人员办理：您已办理本件的「%s」，不能再办理「%s」", done.Label(), l.Label())
	}
	return nil
}

// guardPropose lets 承办 propose on a case of several levels.
func guardPropose(c *Case, a Actor, now time.Time) error {
	if err := mayDoLevel(c, a, LevelHandle); err != nil {
		return err
	}
	return guardReviewable(c, a, now)
}

// guardCheck lets 审核 check the proposal of a case of three levels.
func guardCheck(c *Case, a Actor, now time.Time) error {
	if c.Levels() < 3 {
		return apperr.New(apperr.Conflict, "该事项没有「审核」层级")
	}
	if err := mayDoLevel(c, a, LevelCheck); err != nil {
		return err
	}
	return guardReviewable(c, a, now)
}

// guardSendBack lets the pending level send the case back to the level
// below it, when one was done.
func guardSendBack(c *Case, a Actor, _ time.Time) error {
	if len(c.Review) == 0 {
		if c.Levels() == 1 {
			return apperr.New(apperr.Conflict, "该事项为一级审批，没有下一级可退回")
		}
		return apperr.New(apperr.Conflict, "本件尚未提出承办意见，没有可退回的层级")
	}
	return mayDoLevel(c, a, c.PendingLevel())
}

// guardApprove is the decision's guard (批准): the case must be ready to
// decide (guardReadyToDecide) and, with several levels, every lower level
// done by other people; with one level only a reviewer decides, as before.
func guardApprove(c *Case, a Actor, now time.Time) error {
	if c.Levels() == 1 && a.Role == org.RoleDeptAdmin {
		// The case's levels, not the role, leave the decision to the
		// reviewer: a case of several levels is the admin's to approve.
		return apperr.New(apperr.Conflict, "该事项为一级审批，由审批人员作出决定，部门管理员不参与")
	}
	if c.Levels() > 1 {
		if p := c.PendingLevel(); p != LevelApprove {
			return apperr.New(apperr.Conflict, "本件须先完成「%s」，才能批准作出决定", p.Label())
		}
		if err := mayDoLevel(c, a, LevelApprove); err != nil {
			return err
		}
	}
	if err := guardNoProcedure(c, a, now); err != nil {
		return err
	}
	return guardReadyToDecide(c, a, now)
}

// guardReviewable is what a lower level needs as the decision does: the
// clock running, the papers signed for, the deferred materials in, no
// extension waiting and no special procedure under way.
func guardReviewable(c *Case, a Actor, now time.Time) error {
	if err := guardNoProcedure(c, a, now); err != nil {
		return err
	}
	return guardReadyToDecide(c, a, now)
}

// opinion reads the opinion of a level (the input's reason).
func (t *transition) opinion(required bool) (string, error) {
	s := strings.TrimSpace(t.in.Reason)
	switch {
	case required && s == "":
		return "", apperr.Field("reason", "请填写意见")
	case utf8.RuneCountInString(s) > 1000:
		return "", apperr.Field("reason", "意见不超过 1000 个字")
	}
	if s != "" {
		t.details["reason"] = s
	}
	return s, nil
}

// propose records 承办's proposed outcome and opinion.
func (t *transition) propose() error {
	if t.in.Outcome != Approve && t.in.Outcome != Deny {
		return apperr.Field("outcome", "请选择拟办意见：approve（拟准予）或 deny（拟不予）")
	}
	op, err := t.opinion(true)
	if err != nil {
		return err
	}
	t.step(LevelStep{Level: LevelHandle, Outcome: t.in.Outcome, Opinion: op})
	t.details["outcome"] = t.in.Outcome
	return nil
}

// check records 审核's agreement with the proposal.
func (t *transition) check() error {
	op, err := t.opinion(false)
	if err != nil {
		return err
	}
	t.step(LevelStep{Level: LevelCheck, Opinion: op})
	return nil
}

// step records a level done by the actor now.
func (t *transition) step(s LevelStep) {
	s.By, s.At = t.a.Username, t.env.Now
	t.c.Review = append(slices.Clone(t.c.Review), s)
	t.details["level"] = s.Level
	t.details["levels"] = t.c.Levels()
}

// sendBack undoes the level below the pending one, with the reason.
func (t *transition) sendBack() error {
	c := t.c
	if _, err := t.reason(true); err != nil {
		return err
	}
	from, to := c.PendingLevel(), c.LevelBelow()
	c.Review = c.Review[:len(c.Review)-1]
	c.SendBacks++
	t.details["level"] = from
	t.details["to_level"] = to
	return nil
}

// approve is the decision's part of the levels (批准): on a case of
// several levels the outcome is the one proposed — the approver who
// disagrees sends the case back — and the decision ends the round.
func (t *transition) approve() error {
	c := t.c
	if c.Levels() == 1 {
		return nil
	}
	if p := c.Proposal(); p != nil && t.in.Outcome != "" && t.in.Outcome != p.Outcome {
		return apperr.Field("outcome", "承办意见为「"+ProposalLabel(p.Outcome)+"」；不同意的，请退回重办并说明理由")
	}
	if t.in.Outcome == "" {
		if p := c.Proposal(); p != nil {
			t.in.Outcome = p.Outcome
		}
	}
	t.details["level"] = LevelApprove
	t.details["levels"] = c.Levels()
	return nil
}

// ProposalLabel returns an outcome as 承办 proposes it.
func ProposalLabel(o Outcome) string {
	switch o {
	case Approve:
		return "拟准予"
	case Deny:
		return "拟不予"
	}
	return ""
}
