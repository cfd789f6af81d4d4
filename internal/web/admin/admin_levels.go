package admin

import (
	"strconv"

	"github.com/onewindow/onewindow/internal/catalog"
)

// reviewLevelOptions are the review levels an item may have, in words.
func reviewLevelOptions() []option {
	var out []option
	for n := 1; n <= catalog.MaxReviewLevels; n++ {
		out = append(out, option{strconv.Itoa(n), catalog.LevelsLabel(n)})
	}
	return out
}

// initialReviewOptions are the choices of delegated initial review
// (委托初审): none, or the street's working days.
func initialReviewOptions() []option {
	out := []option{{"0", "不委托（部门直接受理）"}}
	for n := 1; n <= catalog.MaxInitialReviewDays; n++ {
		out = append(out, option{strconv.Itoa(n), "委托街道初审，" + strconv.Itoa(n) + " 个工作日内"})
	}
	return out
}
