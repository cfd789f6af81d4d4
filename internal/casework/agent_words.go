package casework

import (
	"strings"
	"time"
)

// AgentStep is what an agent (代办员) carrying the applicant must do next
// on the case, as the agent's work list says it: bring the paper after a
// passed pre-review, supply deferred materials, correct a returned case,
// collect a result at a hall. When nothing is asked of the agent, Act is
// false and Words say what the case waits for.
type AgentStep struct {
	Act   bool      `json:"act"`            // the agent has something to do
	Words string    `json:"words"`          // what, in Chinese
	By    time.Time `json:"by,omitzero"`    // by when, when a deadline binds it
	Hall  string    `json:"hall,omitempty"` // the hall to go to (code), when it is a visit
}

// AgentNext says what the agent carrying the applicant must do next on
// the case. hallName names a hall by its code. The words come from here,
// beside the case's other words (words.go), so the work list and its
// reminders say the same.
func (c *Case) AgentNext(hallName func(code string) string) AgentStep {
	named := func(code, desk string) string {
		if code == "" {
			return desk
		}
		return hallName(code) + desk
	}
	switch {
	case c.prePassed():
		var names []string
		for _, m := range c.PaperToBring() {
			names = append(names, m.Name)
		}
		w := "网上预审已通过：携带纸质材料到" + named(c.DeskHall(IntakeHall), "综合受理窗口") + "办理收件"
		if len(names) > 0 {
			w += "（" + strings.Join(names, "、") + "）"
		}
		return AgentStep{Act: true, Words: w, Hall: c.DeskHall(IntakeHall)}
	case c.State == RejectedOnline:
		return AgentStep{Act: true, Words: "网上预审未通过：按预审意见修改材料后重新提交"}
	case c.State == Returned:
		s := AgentStep{Act: true, Words: "办件已退回：按材料补齐补正通知书补正材料，到" + named(c.HallCode, "综合受理窗口") + "重新提交", Hall: c.HallCode}
		if at := c.LapseAt(); !at.IsZero() {
			s.By = at
		}
		return s
	case c.DeferredOutstanding() && !c.State.Closed():
		var names []string
		for _, m := range c.Materials {
			if m.Status == Deferred {
				names = append(names, m.Name)
			}
		}
		return AgentStep{Act: true, By: c.Deadlines.SupplyBy, Hall: c.HallCode,
			Words: "补齐容缺材料（" + strings.Join(names, "、") + "），到" + named(c.HallCode, "综合受理窗口") + "提交"}
	case c.State == ResultReady && c.Delivery.Method != Mail:
		hall := c.DeskHall(PickupHall)
		w := "办理结果已到" + named(hall, "综合出件窗口") + "：携带代办授权和身份证件代为领取"
		if len(c.CollectItems) > 0 {
			w += "，领取时交回" + strings.Join(c.CollectItems, "、")
		}
		return AgentStep{Act: true, Words: w, Hall: hall}
	}
	return AgentStep{Words: c.Awaits()}
}
