package supervision

// Grouping is what figures are grouped by.
type Grouping string

// Groupings.
const (
	ByDepartment Grouping = "department"
	ByItem       Grouping = "item"
	ByHall       Grouping = "hall"
	ByUser       Grouping = "user"
	ByMonth      Grouping = "month"
)

// Valid reports whether g is a grouping.
func (g Grouping) Valid() bool {
	switch g {
	case ByDepartment, ByItem, ByHall, ByUser, ByMonth:
		return true
	}
	return false
}
