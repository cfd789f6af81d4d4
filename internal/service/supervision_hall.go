package service

import (
	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/org"
	"github.com/onewindow/onewindow/internal/supervision"
)

// A hall manager (大厅负责人) reads the supervision figures of the cases
// taken in at their hall: the same figures, narrowed to the hall. Cards,
// notices and the bulletin are the departments' across every hall: not
// theirs.

// scopeHall narrows a hall manager's period to their own hall; asking for
// another hall is refused.
func scopeHall(a *Actor, p *Period) error {
	if !a.Is(org.RoleHallManager) {
		return nil
	}
	if a.User.HallCode == "" {
		return apperr.New(apperr.Forbidden, "账号未指明所负责的大厅，不能查看统计")
	}
	if p.Hall != "" && p.Hall != a.User.HallCode {
		return apperr.New(apperr.Forbidden, "大厅负责人只能查看本大厅的统计")
	}
	if p.Group == supervision.ByHall && p.Key != "" && p.Key != a.User.HallCode {
		return apperr.New(apperr.Forbidden, "大厅负责人只能查看本大厅的统计")
	}
	p.Hall = a.User.HallCode
	return nil
}

// hallKey refuses a drill-down into another hall's row of a hall-narrowed
// period: grouped by hall, the only row is the hall's own.
func (p Period) hallKey(key string) error {
	if p.Hall != "" && p.Group == supervision.ByHall && key != "" && key != p.Hall {
		return apperr.New(apperr.Forbidden, "只能查看本大厅的统计")
	}
	return nil
}
