package calendar

import (
	"slices"

	"github.com/6tail/lunar-go/HolidayUtil"
)

// Published returns the State Council's published holiday arrangements for
// the years fromYear to toYear, as lunar-go ships them, sorted by date: every
// holiday day off (Working=false, Name e.g. "春节") and every weekend day
// declared a working day (调休, Working=true, Name e.g. "春节调休上班").
// Entries are kept as published, including holiday days that fall on a
// weekend anyway. Years lunar-go does not know yet yield nothing: the
// bureau enters them when the State Council publishes them each November.
func Published(fromYear, toYear int) []Override {
	var out []Override
	for y := fromYear; y <= toYear; y++ {
		// GetHolidaysByYear only reads lunar-go's data; Fix, which rewrites
		// it globally, is never called.
		l := HolidayUtil.GetHolidaysByYear(y)
		for e := l.Front(); e != nil; e = e.Next() {
			h, ok := e.Value.(*HolidayUtil.Holiday)
			if !ok {
				continue
			}
			d, err := ParseDate(h.GetDay())
			if err != nil || d.Year != y {
				continue
			}
			name := h.GetName()
			if h.IsWork() {
				name += "调休上班"
			}
			out = append(out, Override{Date: d, Working: h.IsWork(), Name: name})
		}
	}
	slices.SortStableFunc(out, func(a, b Override) int { return a.Date.dayNumber() - b.Date.dayNumber() })
	return out
}
