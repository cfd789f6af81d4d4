package service

import (
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/export"
	"github.com/onewindow/onewindow/internal/supervision"
)

// Bulletin workbook sheets, in order.
const (
	SheetSummary    = "概况"
	SheetRanking    = "排名"
	SheetLate       = "超期办件"
	SheetCards      = "黄红牌"
	SheetUnanswered = "未回复督办单"
)

// noData is what a rate with nothing to count shows.
const noData = "无数据"

// WriteXLSX writes the bulletin as an .xlsx workbook to w: the sheets 概况
// (the month's totals), 排名, 超期办件 (one row per late case), 黄红牌 and
// 未回复督办单, with Chinese headings, through export's streaming writer
// (every text cell escaped against formula injection, counts and scores as
// numbers, rates as percentages).
func (b *Bulletin) WriteXLSX(w io.Writer) error {
	wb, err := export.NewWorkbook(w)
	if err != nil {
		return apperr.Wrap(err, "bulletin workbook")
	}
	for _, sheet := range []func(*export.Workbook) error{b.summarySheet, b.rankingSheet, b.lateSheet, b.cardsSheet, b.noticesSheet} {
		if err := sheet(wb); err != nil {
			_ = wb.Close()
			return apperr.Wrap(err, "bulletin workbook")
		}
	}
	return apperr.Wrap(wb.Close(), "bulletin workbook")
}

// rows writes a sheet: its header, then the rows.
func rows(wb *export.Workbook, name string, header []string, rs [][]any) error {
	s, err := wb.Sheet(name, header)
	if err != nil {
		return err
	}
	for _, r := range rs {
		if err := s.Row(r); err != nil {
			return err
		}
	}
	return s.Close()
}

// percent is a rate's cell: a percentage, or 无数据.
func percent(r Rate) any {
	if r == nil {
		return noData
	}
	return export.Percent(*r)
}

func (b *Bulletin) summarySheet(wb *export.Workbook) error {
	t := b.Totals
	state := "该月已结束"
	if !b.Complete {
		state = "该月尚未结束，数据截至上述时间"
	}
	return rows(wb, SheetSummary, []string{"项目", "数值"}, [][]any{
		{"通报", b.Title},
		{"统计期间", b.From + " 至 " + b.To},
		{"数据截至", b.AsOf},
		{"数据状态", state},
		{"收件数", t.Intakes},
		{"办结数（作出审批决定）", t.Decisions},
		{"审批决定按时", t.Decide.OnTime},
		{"审批决定超时", t.Decide.Late},
		{"审批决定超期未办", t.Decide.Overdue},
		{"按时办结率", percent(t.OnTimeCompletion)},
		{"评价数", t.Ratings},
		{"群众满意率", percent(t.Satisfaction)},
		{"超期办件数", t.LateCases},
		{"逾期未回复督办单数", t.Unanswered},
		{"得黄牌的部门数", int64(t.YellowCards)},
		{"得红牌的部门数", int64(t.RedCards)},
	})
}

func (b *Bulletin) rankingSheet(wb *export.Workbook) error {
	header := []string{"名次", "部门", "总分"}
	for _, i := range b.Indicators {
		header = append(header, i.Label, i.Label+"得分（权重 "+strconv.Itoa(i.Weight)+"）")
	}
	header = append(header, "黄牌红牌")
	var rs [][]any
	for _, r := range b.Ranking {
		row := []any{int64(r.Rank), r.Label, r.Score}
		for _, i := range b.Indicators {
			var s supervision.Scored
			for _, x := range r.Indicators {
				if x.Indicator == i.Indicator {
					s = x.Scored
				}
			}
			value := any(noData)
			if s.Measured {
				value = export.Percent(s.Value)
			}
			row = append(row, value, s.Points)
		}
		rs = append(rs, append(row, r.CardLabel))
	}
	return rows(wb, SheetRanking, header, rs)
}

func (b *Bulletin) lateSheet(wb *export.Workbook) error {
	var rs [][]any
	for _, d := range b.Late {
		for _, c := range d.List {
			var details, people []string
			state := supervision.Late.Label()
			for _, s := range c.Steps {
				details = append(details, s.Detail())
				if s.Status == supervision.Overdue {
					state = supervision.Overdue.Label()
				}
				if s.By != "" && !slices.Contains(people, s.By) {
					people = append(people, s.By)
				}
			}
			rs = append(rs, []any{d.Label, c.Number, c.Item, int64(len(c.Steps)), strings.Join(details, "；"), c.Steps[0].Due, state,
				strings.Join(people, "、")})
		}
	}
	return rows(wb, SheetLate, []string{"部门", "办件编号", "事项", "超期环节数", "超期环节", "最早期限", "情况", "办理人"}, rs)
}

// Detail describes the step in a line: its name, deadline and what became
// of it.
func (s LateStep) Detail() string {
	at := func(t time.Time) string { return t.In(clock.Shanghai).Format(export.TimeLayout) }
	due := "期限 " + at(s.Due)
	switch {
	case s.Done.IsZero():
		return s.Label + "（" + due + "，" + s.StatusLabel + "）"
	case s.StatusLabel != s.Status.Label(): // missed
		return s.Label + "（" + due + "，" + at(s.Done) + " " + s.StatusLabel + "）"
	}
	return s.Label + "（" + due + "，" + at(s.Done) + " 办理，" + s.StatusLabel + "）"
}

func (b *Bulletin) cardsSheet(wb *export.Workbook) error {
	var rs [][]any
	for _, c := range b.Cards {
		rs = append(rs, []any{c.Label, c.RedCases, c.Unanswered, c.Card.Label()})
	}
	return rows(wb, SheetCards, []string{"部门", "超期办件数", "逾期未回复督办单数", "黄牌红牌"}, rs)
}

func (b *Bulletin) noticesSheet(wb *export.Workbook) error {
	var rs [][]any
	for _, n := range b.Unanswered {
		step := n.StepLabel
		if step == "" {
			step = "手工督办"
		}
		rs = append(rs, []any{n.DepartmentLabel, n.Number, step, n.Reason, n.OpenedAt, n.OpenedBy, n.ReplyBy, n.StatusLabel, n.RepliedAt, n.RepliedBy})
	}
	return rows(wb, SheetUnanswered, []string{"部门", "办件编号", "督办环节", "督办事由", "开具时间", "开具人", "回复期限", "状态", "回复时间", "回复人"}, rs)
}
