package service

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/org"
	"github.com/onewindow/onewindow/internal/rating"
	"github.com/onewindow/onewindow/internal/supervision"
)

// Bulletin is the month's supervision bulletin (月度督查通报): the month's
// totals, the departments ranked by their assessment score, each
// department's late cases, the yellow and red cards, and the supervision
// notices not answered in time. Departments and items are named by their
// names and people by their real names; codes travel only beside them, for
// links. It is the data of the A4 print page and of the workbook alike.
type Bulletin struct {
	Month string `json:"month" doc:"月份，如 2026-11"`
	Title string `json:"title" doc:"通报标题，如 2026年11月政务服务督查通报"`
	From  string `json:"from" doc:"该月第一天"`
	To    string `json:"to" doc:"该月最后一天"`
	// AsOf is when the figures were read: open steps count as overdue by
	// then, notices as unanswered by then.
	AsOf time.Time `json:"as_of" doc:"数据截至"`
	// Complete is false while the month is not over: the figures are then
	// provisional.
	Complete   bool              `json:"complete" doc:"该月是否已结束；未结束时为截至 as_of 的数据"`
	Indicators []IndicatorWeight `json:"indicators" doc:"考核指标及其权重（排名表的列）"`
	Totals     BulletinTotals    `json:"totals"`
	Ranking    []BulletinRank    `json:"ranking" doc:"各部门考核得分排名，名次相同者并列"`
	Late       []LateDepartment  `json:"late" doc:"各部门超期办件"`
	Cards      []CardRow         `json:"cards" doc:"黄牌、红牌（含超期办件或逾期督办单但未达亮牌标准的部门，牌为「无」）"`
	Unanswered []BulletinNotice  `json:"unanswered_notices" doc:"当月开具、未在回复期限内回复的督办单"`
}

// IndicatorWeight is one indicator of the assessment and its weight.
type IndicatorWeight struct {
	Indicator supervision.Indicator `json:"indicator"`
	Label     string                `json:"label"`
	Weight    int                   `json:"weight"`
}

// BulletinTotals are the month's figures over every department. Each count
// carries the drill-down listing exactly that many.
type BulletinTotals struct {
	Intakes     int64  `json:"intakes" doc:"收件数（按收件日）"`
	IntakeCases string `json:"intake_cases"`
	// Decisions are the decisions of promised cases taken in the month
	// (by decision day).
	Decisions     int64  `json:"decisions" doc:"办结数：当月作出审批决定的承诺件（按决定日）"`
	DecisionCases string `json:"decision_cases"`
	// Decide is the decision step's punctuality by its deadline's day;
	// OnTimeCompletion (按时办结率) is its rate.
	Decide           supervision.Punctuality `json:"decide" doc:"审批决定环节（按期限所在日）：按时、超时、超期未办"`
	OnTimeCompletion Rate                    `json:"on_time_completion" doc:"按时办结率"`
	DecideCases      string                  `json:"decide_cases"`
	// Ratings are the month's ratings (those upheld on appeal not
	// counted) and Satisfaction the share not bad (群众满意率).
	Ratings      int64  `json:"ratings"`
	Satisfied    int64  `json:"satisfied"`
	Satisfaction Rate   `json:"satisfaction" doc:"群众满意率"`
	RatingCases  string `json:"rating_cases"`
	LateCases    int64  `json:"late_cases" doc:"超期办件数（各部门之和）"`
	Unanswered   int64  `json:"unanswered_notices" doc:"逾期未回复的督办单数"`
	YellowCards  int    `json:"yellow_cards" doc:"得黄牌的部门数"`
	RedCards     int    `json:"red_cards" doc:"得红牌的部门数"`
}

// BulletinRank is one department's place in the ranking: its score, each
// indicator's value and points, and its card of the month.
type BulletinRank struct {
	AssessmentRow
	Card      supervision.Card `json:"card" enum:",yellow,red"`
	CardLabel string           `json:"card_label"`
}

// LateDepartment is one department's late cases of the month: cases with a
// deadline due in the month that was missed, met late, or is open past it.
type LateDepartment struct {
	Department string `json:"department" doc:"部门编码（仅用于链接）"`
	Label      string `json:"label" doc:"部门名称"`
	Count      int64  `json:"count" doc:"超期办件数（一件办件只计一次）"`
	// Cases lists the department's late steps (a case with two late steps
	// is listed twice); its distinct case numbers are Count.
	Cases string     `json:"cases" doc:"明细接口：该部门当月超时或超期未办的环节"`
	List  []LateCase `json:"list"`
}

// LateCase is one late case and its late steps.
type LateCase struct {
	Number string     `json:"number"`
	Link   string     `json:"link" doc:"办件页"`
	Item   string     `json:"item" doc:"事项名称"`
	Steps  []LateStep `json:"steps"`
}

// LateStep is one deadline of a case that turned red.
type LateStep struct {
	Step  supervision.Kind `json:"step"`
	Label string           `json:"label" doc:"环节名称"`
	Due   time.Time        `json:"due" doc:"现行期限"`
	// Done is when the step was taken, or when the case left it (missed);
	// zero while it is still open.
	Done        time.Time          `json:"done,omitzero"`
	Status      supervision.Status `json:"status" enum:"late,overdue"`
	StatusLabel string             `json:"status_label" doc:"超时、错过（办件已退出该环节）或超期未办"`
	By          string             `json:"by,omitempty" doc:"办理人姓名"`
}

// BulletinNotice is a supervision notice not answered by its reply
// deadline: still unanswered, or answered late.
type BulletinNotice struct {
	ID              int64                    `json:"id"`
	Number          string                   `json:"number" doc:"办件编号"`
	CaseLink        string                   `json:"case_link" doc:"办件页"`
	Department      string                   `json:"department" doc:"部门编码（仅用于链接）"`
	DepartmentLabel string                   `json:"department_label" doc:"部门名称"`
	StepLabel       string                   `json:"step_label,omitempty" doc:"超期的环节（手工开具的为空）"`
	Origin          supervision.Origin       `json:"origin"`
	Reason          string                   `json:"reason" doc:"督办事由"`
	OpenedAt        time.Time                `json:"opened_at"`
	OpenedBy        string                   `json:"opened_by" doc:"开具人姓名（巡查开具的为「系统」）"`
	ReplyBy         time.Time                `json:"reply_by" doc:"回复期限"`
	RepliedAt       time.Time                `json:"replied_at,omitzero"`
	RepliedBy       string                   `json:"replied_by,omitempty" doc:"回复人姓名"`
	Status          supervision.NoticeStatus `json:"status"`
	StatusLabel     string                   `json:"status_label" doc:"逾期未回复或逾期回复"`
	Link            string                   `json:"link" doc:"督办单接口"`
}

// Bulletin returns the bulletin of month (2026-11) as of now. Supervisors,
// the bureau's admins and department admins read it; a department admin
// reads the whole bulletin, every department's lines included, as the
// printed bulletin is circulated to every department (the drill-down links
// of another department still refuse them). A month not yet begun is
// refused; the current month's bulletin is provisional (Complete false).
func (v *Supervision) Bulletin(ctx context.Context, month string) (*Bulletin, error) {
	if _, err := require(ctx, "查看督查通报", org.RoleSupervisor, org.RoleAdmin, org.RoleDeptAdmin); err != nil {
		return nil, err
	}
	p, err := monthPeriod(strings.TrimSpace(month))
	if err != nil {
		return nil, err
	}
	now := v.clock.Now()
	first, _ := calendar.ParseDate(p.From)
	if first.At(0, 0).After(now) {
		return nil, apperr.Field("month", "该月尚未开始，没有通报")
	}
	set, err := v.currentSettings(ctx)
	if err != nil {
		return nil, err
	}
	b := &Bulletin{Month: p.From[:7], From: p.From, To: p.To, AsOf: now,
		Title:    fmt.Sprintf("%d年%d月政务服务督查通报", first.Year, first.Month),
		Complete: !now.Before(first.At(0, 0).AddDate(0, 1, 0))}
	for _, i := range supervision.Indicators {
		b.Indicators = append(b.Indicators, IndicatorWeight{Indicator: i, Label: i.Label(), Weight: set.Weights[i]})
	}
	if err := v.bulletinTotals(ctx, p, b); err != nil {
		return nil, err
	}
	if b.Cards, err = v.cards(ctx, p); err != nil {
		return nil, err
	}
	cards := map[string]CardRow{}
	for _, c := range b.Cards {
		cards[c.Department] = c
		switch c.Card {
		case supervision.YellowCard:
			b.Totals.YellowCards++
		case supervision.RedCard:
			b.Totals.RedCards++
		}
	}
	rows, err := v.assessment(ctx, p)
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		c := cards[r.Key]
		b.Ranking = append(b.Ranking, BulletinRank{AssessmentRow: r, Card: c.Card, CardLabel: c.Card.Label()})
	}
	slices.SortStableFunc(b.Ranking, func(x, y BulletinRank) int {
		if x.Rank != y.Rank {
			return x.Rank - y.Rank
		}
		return strings.Compare(x.Key, y.Key)
	})
	if err := v.bulletinLate(ctx, p, now, b); err != nil {
		return nil, err
	}
	if err := v.bulletinNotices(ctx, p, now, b); err != nil {
		return nil, err
	}
	return b, nil
}

// bulletinTotals fills the month's totals from the figures grouped by
// month: one row, the month's.
func (v *Supervision) bulletinTotals(ctx context.Context, p Period, b *Bulletin) error {
	m := p
	m.Group = supervision.ByMonth
	t := &b.Totals
	punct, err := v.punctuality(ctx, m)
	if err != nil {
		return err
	}
	for _, r := range punct {
		for _, f := range r.Steps {
			if f.Step == supervision.Decide {
				t.Decide.Add(f.Punctuality)
			}
		}
	}
	t.OnTimeCompletion = rateOf(t.Decide.OnTime, t.Decide.Counted())
	t.DecideCases = m.drill("steps", b.Month, "step", string(supervision.Decide))
	eff, err := v.efficiency(ctx, m)
	if err != nil {
		return err
	}
	for _, r := range eff.Rows {
		t.Intakes += r.Intakes
		t.Decisions += r.Decisions
	}
	t.IntakeCases = m.drill("intakes", b.Month)
	t.DecisionCases = m.drill("steps", b.Month, "decided", "true", "by", "done")
	from, _ := calendar.ParseDate(p.From)
	to, _ := calendar.ParseDate(p.To)
	rates, err := v.store.RatingRates(ctx, from.At(0, 0), to.AddDays(1).At(0, 0), rating.ByDepartment)
	if err != nil {
		return err
	}
	for _, r := range rates {
		t.Ratings += int64(r.Total)
		t.Satisfied += int64(r.Total - r.Bad)
	}
	t.Satisfaction = rateOf(t.Satisfied, t.Ratings)
	t.RatingCases = "/api/v1/ratings/rates?" + url.Values{"from": {p.From}, "to": {p.To}}.Encode()
	return nil
}

// bulletinLate lists each department's late cases: the steps due in the
// month that turned red, gathered by case.
func (v *Supervision) bulletinLate(ctx context.Context, p Period, now time.Time, b *Bulletin) error {
	steps, err := v.store.RedSteps(ctx, p.From, p.To, now)
	if err != nil {
		return err
	}
	var depts, items, users []string
	for _, s := range steps {
		depts, items = append(depts, s.Department), append(items, s.Item)
		if s.User != "" {
			users = append(users, s.User)
		}
	}
	deptNames, err := v.labels(ctx, supervision.ByDepartment, compactSorted(depts))
	if err != nil {
		return err
	}
	itemNames, err := v.labels(ctx, supervision.ByItem, compactSorted(items))
	if err != nil {
		return err
	}
	names, err := v.personNames(ctx, users)
	if err != nil {
		return err
	}
	for _, s := range steps { // ordered by department, then case
		if len(b.Late) == 0 || b.Late[len(b.Late)-1].Department != s.Department {
			b.Late = append(b.Late, LateDepartment{Department: s.Department, Label: deptNames[s.Department],
				Cases: p.drill("steps", s.Department, "status", string(supervision.Red)), List: []LateCase{}})
		}
		d := &b.Late[len(b.Late)-1]
		if len(d.List) == 0 || d.List[len(d.List)-1].Number != s.Number {
			d.List = append(d.List, LateCase{Number: s.Number, Link: "/cases/" + url.PathEscape(s.Number), Item: itemNames[s.Item]})
			d.Count++
			b.Totals.LateCases++
		}
		st := supervision.Step{Kind: s.Kind, Ord: s.Ord, Due: s.Due, Done: s.Done, Late: s.Late, Answer: s.Answer, Paused: s.Paused}
		ls := LateStep{Step: s.Kind, Label: s.Kind.Label(), Due: s.Due, Done: s.Done, Status: st.StatusAt(now), By: names(s.User)}
		ls.StatusLabel = ls.Status.Label()
		if s.Answer == supervision.Cancelled {
			ls.StatusLabel = "错过（办件已退出该环节）"
		}
		c := &d.List[len(d.List)-1]
		c.Steps = append(c.Steps, ls)
	}
	return nil
}

// bulletinNotices lists the notices opened in the month that were not
// answered in time.
func (v *Supervision) bulletinNotices(ctx context.Context, p Period, now time.Time, b *Bulletin) error {
	ns, err := v.store.LateNotices(ctx, p.From, p.To, now)
	if err != nil {
		return err
	}
	var depts, users []string
	for _, n := range ns {
		depts, users = append(depts, n.Department), append(users, n.OpenedBy, n.RepliedBy)
	}
	deptNames, err := v.labels(ctx, supervision.ByDepartment, compactSorted(depts))
	if err != nil {
		return err
	}
	names, err := v.personNames(ctx, users)
	if err != nil {
		return err
	}
	b.Unanswered = []BulletinNotice{}
	for _, n := range ns {
		bn := BulletinNotice{ID: n.ID, Number: n.Number, CaseLink: "/cases/" + url.PathEscape(n.Number), Department: n.Department,
			DepartmentLabel: deptNames[n.Department], Origin: n.Origin, Reason: n.Reason, OpenedAt: n.OpenedAt, OpenedBy: names(n.OpenedBy),
			ReplyBy: n.ReplyBy, RepliedAt: n.RepliedAt, RepliedBy: names(n.RepliedBy), Status: n.StatusAt(now),
			Link: fmt.Sprintf("/api/v1/supervision/notices/%d", n.ID)}
		if n.Step != "" {
			bn.StepLabel = n.Step.Label()
		}
		bn.StatusLabel = bn.Status.Label()
		if bn.Status == supervision.NoticeReplied {
			bn.StatusLabel = "逾期回复"
		}
		b.Unanswered = append(b.Unanswered, bn)
		b.Totals.Unanswered++
	}
	return nil
}

// personNames returns a function naming staff by their real names: the
// system is 系统, "" stays empty, and an account the store does not know
// is 未知人员 (never its username).
func (v *Supervision) personNames(ctx context.Context, usernames []string) (func(string) string, error) {
	names, err := v.store.UserNames(ctx, compactSorted(usernames))
	if err != nil {
		return nil, err
	}
	return func(u string) string {
		switch {
		case u == "":
			return ""
		case u == "system":
			return "系统"
		case names[u] != "":
			return names[u]
		}
		return "未知人员"
	}, nil
}

// compactSorted returns the distinct non-empty strings of s, sorted.
func compactSorted(s []string) []string {
	out := slices.DeleteFunc(slices.Clone(s), func(x string) bool { return x == "" })
	slices.Sort(out)
	return slices.Compact(out)
}

// FileName names the bulletin's workbook: 督查通报_2026-11.xlsx.
func (b *Bulletin) FileName() string {
	return "督查通报_" + b.Month + ".xlsx"
}
