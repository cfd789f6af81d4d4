package catalog

import (
	"strconv"

	"github.com/onewindow/onewindow/internal/apperr"
)

// Delegated initial review (委托初审, issue 15 item 4): the bureau marks an
// item so that a case of it taken in at a street centre is first checked
// there (materials complete and in legal form) by the street's reviewer,
// within the item's working days, and the department accepts on that
// basis.

// DefaultInitialReviewDays is the initial review's time limit when the
// bureau marks an item without saying one: one working day.
const DefaultInitialReviewDays = 1

// MaxInitialReviewDays is the longest initial review the catalog allows;
// the service also keeps it within the deadline policy's acceptance days
// (R5), which the initial review never stretches.
const MaxInitialReviewDays = 5

// InitialReview reports whether a case of the item taken in at a street
// centre waits for the street's initial review.
func (it *Item) InitialReview() bool { return it.InitialReviewDays > 0 }

// InitialReviewLabel says the item's initial review in words.
func (it *Item) InitialReviewLabel() string {
	if !it.InitialReview() {
		return "不委托"
	}
	return "委托街道初审，" + strconv.Itoa(it.InitialReviewDays) + " 个工作日内"
}

func checkInitialReview(c *apperr.Collector, it *Item) {
	c.Check(it.InitialReviewDays >= 0 && it.InitialReviewDays <= MaxInitialReviewDays, "initial_review_days",
		"委托初审的期限须为 1 至 5 个工作日（0 为不委托）")
	c.Check(it.InitialReviewDays == 0 || it.Kind == Promised, "initial_review_days", "即办件当场办结，不能委托街道初审")
}
