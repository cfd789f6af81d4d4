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
