package casework

import (
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/calendar"
)

// Policy is the deadline policy: the working-day limits of the steps the
// hall's reform plan times (R5, R6, R9, R12, R13) and the times of day of
// the paper handover. The bureau admin publishes new versions of it, as
// the catalog's items have versions; a case keeps a copy of the version it
// was taken in under, and every deadline of the case is computed from that
// copy, so a new version changes only the cases taken in after it.
type Policy struct {
	// Version is the policy's version: 1 is the reform plan's, which every
	// case taken in before any other was published runs under.
	Version       int `json:"version" doc:"期限规则的版本号（第 1 版为改革方案的默认规则）"`
	AcceptDays    int `json:"accept_days" doc:"受理期限：收件后几个工作日内受理或退回（R5，默认 2）"`
	PreReviewDays int `json:"prereview_days" doc:"网上预审期限：提交后几个工作日内预审（R13，默认 2）"`
	CorrectDays   int `json:"correct_days" doc:"结果更正期限：出件窗口拒收结果后几个工作日内更正（R9，默认 1）"`
	ArchiveDays   int `json:"archive_days" doc:"归档期限：送达后几个工作日内归档（R12，默认 1）"`
	// Split, HandoverSameDay and HandoverNextDay are the paper handover's
	// times of day (R6): intake before Split is signed for by
	// HandoverSameDay that day, later intake by HandoverNextDay of the
	// next working day.
	Split           calendar.TimeOfDay `json:"split" doc:"上下午分界（R6，默认 12:00）"`
	HandoverSameDay calendar.TimeOfDay `json:"handover_same_day" doc:"上午收件的材料当日几点前交接（默认 15:00）"`
	HandoverNextDay calendar.TimeOfDay `json:"handover_next_day" doc:"下午收件的材料次一工作日几点前交接（默认 10:00）"`
}

// The ranges a policy's limits may take.
const (
	MaxStepDays   = 20 // acceptance and pre-review
	MaxRepairDays = 10 // result correction and archiving
)

// DefaultPolicy returns version 1: the limits of the district's reform
// plan (DESIGN.md section 2).
func DefaultPolicy() Policy {
	return Policy{
		Version:    1,
		AcceptDays: 2, PreReviewDays: 2, CorrectDays: 1, ArchiveDays: 1,
		Split: calendar.Clock(12, 0), HandoverSameDay: calendar.Clock(15, 0), HandoverNextDay: calendar.Clock(10, 0),
	}
}

// Validate checks the limits and times of the policy against a working day
// that closes at close: every limit at least one working day, the split
// inside the working day, and both handover times no later than the close,
// the same day's not before the split.
func (p Policy) Validate(close calendar.TimeOfDay) error {
	var c apperr.Collector
	c.Check(p.AcceptDays >= 1 && p.AcceptDays <= MaxStepDays, "accept_days", "受理期限须为 1 至 20 个工作日")
	c.Check(p.PreReviewDays >= 1 && p.PreReviewDays <= MaxStepDays, "prereview_days", "网上预审期限须为 1 至 20 个工作日")
	c.Check(p.CorrectDays >= 1 && p.CorrectDays <= MaxRepairDays, "correct_days", "结果更正期限须为 1 至 10 个工作日")
	c.Check(p.ArchiveDays >= 1 && p.ArchiveDays <= MaxRepairDays, "archive_days", "归档期限须为 1 至 10 个工作日")
	splitOK := false
	switch {
	case !p.Split.Valid():
		c.Add("split", "上下午分界须为 00:01 至 23:59 之间的时间")
	case p.Split == calendar.Clock(0, 0) || !p.Split.Before(close):
		c.Add("split", "上下午分界须早于下班时间 "+close.String())
	default:
		splitOK = true
	}
	switch {
	case !p.HandoverSameDay.Valid():
		c.Add("handover_same_day", "上午收件的交接时间须为 00:00 至 23:59 之间的时间")
	case splitOK && p.HandoverSameDay.Before(p.Split):
		c.Add("handover_same_day", "上午收件的交接时间不能早于上下午分界 "+p.Split.String())
	case close.Before(p.HandoverSameDay):
		c.Add("handover_same_day", "上午收件的交接时间不能晚于下班时间 "+close.String())
	}
	switch {
	case !p.HandoverNextDay.Valid():
		c.Add("handover_next_day", "下午收件的交接时间须为 00:00 至 23:59 之间的时间")
	case close.Before(p.HandoverNextDay):
		c.Add("handover_next_day", "下午收件的交接时间不能晚于下班时间 "+close.String())
	}
	return c.Err("期限规则有误，未发布")
}

// Cutoffs returns the policy's paper handover times for the calendar.
func (p Policy) Cutoffs() calendar.Cutoffs {
	return calendar.Cutoffs{Split: p.Split, SameDay: p.HandoverSameDay, NextDay: p.HandoverNextDay}
}

// HandoverBy returns when the paper of an intake at intake is due at the
// department (R6).
func (p Policy) HandoverBy(cal *calendar.Calendar, intake time.Time) time.Time {
	return cal.HandoverCutoff(intake, p.Cutoffs())
}

// orDefault returns the policy, or version 1 for the zero Policy: a case
// stored before policies had versions, or an Env that names none.
func (p Policy) orDefault() Policy {
	if p.Version == 0 {
		return DefaultPolicy()
	}
	return p
}

// DeadlinePolicy returns the deadline policy the case runs under: the copy
// it took at intake, or version 1 for a case older than the policy.
func (c *Case) DeadlinePolicy() Policy { return c.Policy.orDefault() }

// PublishedPolicy is one version of the policy with who published it,
// when, and why.
type PublishedPolicy struct {
	Policy
	PublishedAt time.Time `json:"published_at" doc:"发布时间"`
	PublishedBy string    `json:"published_by" doc:"发布人（用户名）"`
	// PublisherName is the publisher's real name, for pages.
	PublisherName string `json:"publisher_name,omitempty" doc:"发布人姓名"`
	Note          string `json:"note,omitempty" doc:"发布说明"`
}

// HandoverWords states the paper handover rule (R6) of the policy.
func (p Policy) HandoverWords() string {
	p = p.orDefault()
	return p.Split.String() + " 前收件的，当日 " + p.HandoverSameDay.String() + " 前交接；" +
		p.Split.String() + " 后收件的，下一个工作日 " + p.HandoverNextDay.String() + " 前交接。"
}
