package rating

// GroupBy names what rates are counted per.
type GroupBy string

// The groupings.
const (
	ByDepartment GroupBy = "department"
	ByWindow     GroupBy = "window" // per hall and window number
	ByClerk      GroupBy = "clerk"
	ByHall       GroupBy = "hall"
)

// Valid reports whether g is a known grouping.
func (g GroupBy) Valid() bool {
	return g == ByDepartment || g == ByWindow || g == ByClerk || g == ByHall
}

// Rate holds the counts of one group over a period. Ratings whose appeal
// was upheld are not counted at all.
type Rate struct {
	Hall              string `json:"hall,omitempty"` // by window: the window's hall
	Key               string `json:"key"`            // the department, window number, clerk or hall; "" for none
	Total             int    `json:"total"`
	Bad               int    `json:"bad"`
	RealNameBad       int    `json:"real_name_bad"`
	RealNameRectified int    `json:"real_name_rectified"` // of those, rectification done or explained
}

// Satisfaction is the satisfaction rate: ratings that are not bad over all
// ratings; ok is false when there are none.
func (r Rate) Satisfaction() (rate float64, ok bool) {
	if r.Total == 0 {
		return 0, false
	}
	return float64(r.Total-r.Bad) / float64(r.Total), true
}

// Rectification is the real-name bad-rating rectification rate: real-name
// bad ratings rectified (done or explained) over all real-name bad
// ratings; ok is false when there are none.
func (r Rate) Rectification() (rate float64, ok bool) {
	if r.RealNameBad == 0 {
		return 0, false
	}
	return float64(r.RealNameRectified) / float64(r.RealNameBad), true
}
