package supervise

import (
	"strconv"
	"strings"
)

// The charts are drawn here as SVG on the server: no script, no chart
// library, no style attribute (the CSP forbids them), black on white so
// that they print. Rates run from 0 to 100 %, scores from 0 to 100.

// point is one value of a chart.
type point struct {
	Label string // under the axis: 10月, a department
	Title string // the tooltip: 2026年10月
	Text  string // the value as written: 93.5%
	Value float64
	Has   bool   // there was anything to measure
	Href  string // the cases behind it
	// Drawn coordinates.
	X, Y, W, TX, TY, LX, LY string
}

// tick is a gridline of the value axis.
type tick struct{ Y, Label string }

// chart is a drawn chart: its size, gridlines, points and (for a line) the
// polylines through the points that have values.
type chart struct {
	Title         string
	Width, Height int
	Left, Right   string // the plot's horizontal bounds
	Ticks         []tick
	Points        []point
	Lines         []string // polyline points attributes
	Empty         bool
}

func num(f float64) string { return strconv.FormatFloat(f, 'f', 1, 64) }

// lineChart draws rates (0–1) month by month.
func lineChart(title string, pts []point) *chart {
	const w, hgt, left, right, top, bottom = 760.0, 260.0, 56.0, 16.0, 24.0, 40.0
	c := &chart{Title: title, Width: int(w), Height: int(hgt), Left: num(left), Right: num(w - right), Empty: true}
	plotH := hgt - top - bottom
	y := func(v float64) float64 { return top + plotH*(1-v) }
	for _, v := range []float64{0, 0.5, 0.8, 1} {
		c.Ticks = append(c.Ticks, tick{Y: num(y(v)), Label: strconv.Itoa(int(v*100)) + "%"})
	}
	step := (w - left - right) / float64(max(len(pts)-1, 1))
	var seg []string
	for i, p := range pts {
		x := left + step*float64(i)
		p.X, p.LX, p.LY = num(x), num(x), num(hgt-bottom+18)
		if p.Has {
			c.Empty = false
			p.Y, p.TX, p.TY = num(y(p.Value)), num(x), num(y(p.Value)-8)
			seg = append(seg, p.X+","+p.Y)
		} else if len(seg) > 0 {
			c.Lines, seg = append(c.Lines, strings.Join(seg, " ")), nil
		}
		c.Points = append(c.Points, p)
	}
	if len(seg) > 0 {
		c.Lines = append(c.Lines, strings.Join(seg, " "))
	}
	return c
}

// scoreBars draws each department's score as a horizontal bar.
func scoreBars(rows []deptRow) *chart {
	const w, left, right, rowH, top = 760.0, 240.0, 64.0, 30.0, 8.0
	hgt := top + rowH*float64(len(rows)) + 28
	c := &chart{Title: "综合得分（按部门）", Width: int(w), Height: int(hgt), Left: num(left), Right: num(w - right), Empty: len(rows) == 0}
	plotW := w - left - right
	for _, v := range []float64{0, 60, 80, 100} {
		c.Ticks = append(c.Ticks, tick{Y: num(left + plotW*v/100), Label: strconv.Itoa(int(v))})
	}
	for i, r := range rows {
		score, _ := strconv.ParseFloat(r.Score, 64)
		y := top + rowH*float64(i)
		c.Points = append(c.Points, point{Label: r.Label, Title: r.Label + " " + r.Score + " 分", Text: r.Score, Value: score, Has: true,
			Href: r.OnTimeRate.Href, X: num(left), Y: num(y + 6), W: num(plotW * score / 100),
			TX: num(left + plotW*score/100 + 6), TY: num(y + 21), LX: num(left - 8), LY: num(y + 21)})
	}
	return c
}
