package service

import (
	"time"

	"github.com/onewindow/onewindow/internal/ledger"
)

// deskDepartment names the holder of a notice on a step the hall's desks
// owe (no department): the bureau's front desk.
const deskDepartment = "行政审批局（综合窗口）"

// noticeEntry completes a notice ledger entry as people read it: the
// opener and the replier by their real names (系统 for the sweep), the
// department named, and its state at now.
func noticeEntry(e *ledger.NoticeEntry, names func(string) string, now time.Time) {
	e.OpenedBy, e.RepliedBy = names(e.OpenedBy), names(e.RepliedBy)
	if e.DepartmentName == "" {
		e.DepartmentName = deskDepartment
	}
	e.State = ledger.NoticeStateAt(e.RepliedAt, e.ReplyBy, now)
}
