package service

import (
	"io"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/export"
)

// HallFiguresHeader is the header of the per-hall figures' export.
var HallFiguresHeader = []string{"大厅", "层级", "收件数", "按时", "超时", "超期未办", "按时率",
	"交接次数", "平均在途（工作小时）", "90%在途不超过（工作小时）", "领取数", "评价数", "差评数", "满意率"}

// HallFiguresFileName is the export's file name for the period.
func HallFiguresFileName(p Period, f export.Format) string {
	return "各大厅统计_" + p.From + "_" + p.To + "." + string(f)
}

// WriteHallFigures writes the per-hall figures as a spreadsheet (xlsx or
// CSV with BOM), one row per hall in the order of the hall tree, with its
// level. Rates are percentages; a rate or time with nothing
// to count reads 无数据.
func WriteHallFigures(w io.Writer, f export.Format, rows []HallFigures) error {
	out, err := export.New(f, w, "各大厅", HallFiguresHeader)
	if err != nil {
		return err
	}
	for _, r := range rows {
		var mean, p90 any = noData, noData
		if r.Transit.Mean != nil {
			mean = float64(int64(*r.Transit.Mean/6+0.5)) / 10 // hours, one decimal
		}
		if r.Transit.P90 != nil {
			p90 = *r.Transit.P90
		}
		if err := out.Row([]any{r.Name, r.LevelLabel, r.Intake, r.OnTime, r.Late, r.Overdue, percent(r.OnTimeRate),
			r.Transit.Trips, mean, p90, r.Pickups, r.Ratings, r.Bad, percent(r.Satisfaction)}); err != nil {
			_ = out.Close()
			return apperr.Wrap(err, "hall figures export")
		}
	}
	return apperr.Wrap(out.Close(), "hall figures export")
}
