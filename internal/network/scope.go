// Package network holds the rules of the street and community network
// (R18): what each hall takes in, decides and issues (事项下沉), and the
// transit runs that carry paper between halls in batches (交接批次). It is
// pure: no SQL, no HTTP.
package network

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/catalog"
	"github.com/onewindow/onewindow/internal/org"
)

// Scope is what one hall does, in versions like the catalog's items: the
// items it takes in, the delegated instant items it decides at its own
// windows, whether its issuance desk hands out results, and the cut-off
// and run of its transit to the district hall.
type Scope struct {
	Hall    string `json:"hall" doc:"大厅编码"`
	Version int    `json:"version" readOnly:"true" doc:"版本号（从 1 起，每次发布加 1；0 为未发布过的默认范围）"`
	// AllItems takes in every item of the district, items added later
	// included, except those in Excluded; otherwise only those in Items.
	AllItems bool     `json:"all_items" doc:"是否收取全区全部事项（含今后新增事项），除 excluded 所列"`
	Items    []string `json:"items,omitempty" doc:"all_items 为 false 时本大厅收取的事项编码"`
	Excluded []string `json:"excluded,omitempty" doc:"all_items 为 true 时局管理员移除的事项编码"`
	// Decides lists the delegated instant items this hall's windows decide
	// on the spot; any other instant item taken in here goes to the
	// department to decide.
	Decides []string `json:"decides,omitempty" doc:"本大厅窗口可当场办结的即办事项编码（须为部门已授权窗口办理的即办事项）"`
	// Issues says whether the hall's issuance desk hands out results: a
	// hall that does not is never a pickup hall.
	Issues bool `json:"issues" doc:"本大厅是否出件（可作为领取结果的大厅）"`
	// Cutoff and Run are the hall's transit: paper taken in before the
	// cut-off of a working day leaves on the first run after it.
	Cutoff calendar.TimeOfDay `json:"cutoff" doc:"交接截止时间（默认 15:00）：此前收件的材料搭乘截止后的第一班交接"`
	Run    calendar.TimeOfDay `json:"run" doc:"交接班次时间（默认 10:00，每个工作日一班）"`

	Note        string    `json:"note,omitempty" doc:"发布说明"`
	PublishedAt time.Time `json:"published_at,omitzero" readOnly:"true"`
	PublishedBy string    `json:"published_by,omitempty" readOnly:"true"`
}

// DefaultTransit returns the default transit: taken in before 15:00, the
// next working day's 10:00 run.
func DefaultTransit() (cutoff, run calendar.TimeOfDay) {
	return calendar.Clock(15, 0), calendar.Clock(10, 0)
}

// DefaultScope returns the scope of a hall for which the bureau admin
// has published none: every item taken in, every delegated instant item
// decided, results issued, the default transit. The district hall keeps it
// unless the bureau admin removes an item.
func DefaultScope(hall string) Scope {
	cutoff, run := DefaultTransit()
	return Scope{Hall: hall, AllItems: true, Issues: true, Cutoff: cutoff, Run: run}
}

// decidesAll reports whether the scope was never published: then every
// delegated instant item is decided here, as before the network.
func (s Scope) decidesAll() bool { return s.Version == 0 }

// Normalize trims, sorts and de-duplicates the scope's lists.
func (s *Scope) Normalize() {
	for _, l := range []*[]string{&s.Items, &s.Excluded, &s.Decides} {
		out := (*l)[:0]
		for _, code := range *l {
			if code = strings.TrimSpace(code); code != "" {
				out = append(out, code)
			}
		}
		slices.Sort(out)
		*l = slices.Compact(out)
	}
	s.Note = strings.TrimSpace(s.Note)
	if s.AllItems {
		s.Items = nil
	} else {
		s.Excluded = nil
	}
}

// Validate checks the scope against the hall and the catalog (items by
// code): every listed item must exist, a decided item must be a delegated
// instant item the hall takes in, the district hall must issue, the
// transit times must be times of day.
func (s *Scope) Validate(h org.Hall, items map[string]*catalog.Item) error {
	var c apperr.Collector
	listed := s.Items
	field := "items"
	if s.AllItems {
		listed, field = s.Excluded, "excluded"
	}
	for _, code := range listed {
		if items[code] == nil {
			c.Add(field, "未知的事项："+code)
		}
	}
	c.Check(s.AllItems || len(s.Items) > 0, "items", "请至少选择一个收取的事项，或选择收取全部事项")
	for _, code := range s.Decides {
		it := items[code]
		switch {
		case it == nil:
			c.Add("decides", "未知的事项："+code)
		case it.Kind != catalog.Instant || !it.Delegated:
			c.Add("decides", "「"+it.Name+"」不是部门授权窗口办理的即办事项，窗口不能当场办结")
		case !s.TakesIn(code):
			c.Add("decides", "「"+it.Name+"」不在本大厅收取的事项中，不能当场办结")
		}
	}
	c.Check(h.Level != org.District || s.Issues, "issues", "区政务服务中心须出件")
	c.Check(s.Cutoff.Valid(), "cutoff", "交接截止时间须为 00:00 至 23:59 之间的时间")
	c.Check(s.Run.Valid(), "run", "交接班次时间须为 00:00 至 23:59 之间的时间")
	c.Check(utf8.RuneCountInString(s.Note) <= 200, "note", "发布说明不超过 200 个字")
	return c.Err("大厅事项范围有误，未发布")
}

// TakesIn reports whether the hall takes in the item.
func (s Scope) TakesIn(code string) bool {
	if s.AllItems {
		return !slices.Contains(s.Excluded, code)
	}
	return slices.Contains(s.Items, code)
}

// DecidesItem reports whether the hall's windows decide the item on the spot:
// a delegated instant item the hall takes in and (once the scope is
// published) lists as its own.
func (s Scope) DecidesItem(it *catalog.Item) bool {
	if it.Kind != catalog.Instant || !it.Delegated || !s.TakesIn(it.Code) {
		return false
	}
	return s.decidesAll() || slices.Contains(s.Decides, it.Code)
}

// RefuseIntake returns the refusal of an intake of item at hall, nil when
// the hall takes it in. The message names the hall and the item.
func (s Scope) RefuseIntake(hallName string, it *catalog.Item) error {
	if s.TakesIn(it.Code) {
		return nil
	}
	return apperr.Field("item_code", hallName+"不收取「"+it.Name+"」（未下沉至本大厅），请引导申请人到可办理的大厅")
}
