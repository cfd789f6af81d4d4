package page

import (
	"encoding/json"
	"fmt"
	"html/template"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/identity"
	"github.com/onewindow/onewindow/internal/org"
	"github.com/onewindow/onewindow/internal/webhook"
)

// funcs are the template functions every page may use.
func (h *Kit) funcs() template.FuncMap {
	return template.FuncMap{
		"static":       func(name string) string { return h.staticURL[name] },
		"date":         func(t time.Time) string { return FmtTime(t, "2006-01-02 15:04") },
		"cnDate":       func(t time.Time) string { return FmtTime(t, "2006年1月2日") },
		"cnTime":       func(t time.Time) string { return FmtTime(t, "2006年1月2日 15:04") },
		"hm":           func(t time.Time) string { return FmtTime(t, "15:04") },
		"state":        func(s casework.State) string { return s.Label() },
		"action":       func(a casework.Action) string { return a.Label() },
		"accessKey":    accessKey,
		"previewable":  Previewable,
		"idcardBridge": func() string { return h.IDCardBridge },
		"idType":       func(t identity.IDType) string { return t.Label() },
		"pauseType":    func(p casework.PauseType) string { return p.Label() },
		"deadlineName": DeadlineName,
		"warnLabel":    warnLabel,
		"add":          func(a, b int) int { return a + b },
		"list":         func(v ...any) []any { return v },
		"details":      eventDetails,
		"formToken":    formTokenInput,
		"roleName":     org.EventRoleLabel,
		"typeLabel":    webhook.TypeLabel, // a webhook's CloudEvents type in Chinese
		// The review levels and special procedures: levels.go.
		"proposal":       casework.ProposalLabel,
		"levelName":      func(l casework.Level) string { return l.Label() },
		"procedureName":  func(k casework.ProcedureKind) string { return k.Label() },
		"procedureKinds": func() []casework.ProcedureKind { return casework.ProcedureKinds },
	}
}

// FmtTime formats t in Asia/Shanghai by layout; the zero time is "".
func FmtTime(t time.Time, layout string) string {
	if t.IsZero() {
		return ""
	}
	return t.In(clock.Shanghai).Format(layout)
}

// DeadlineName is a deadline's Chinese name (casework.DeadlineLabel).
func DeadlineName(name string) string { return casework.DeadlineLabel(name) }

// warnLabel names a warning in words, so it never rests on colour alone
// (calendar.Warning.Label).
func warnLabel(w calendar.Warning) string { return w.Label() }

// DueWords says how a deadline stands, in words a clerk reads at a glance
// (calendar.Calendar.DueWords: the pages take the words from the views).
func DueWords(cal *calendar.Calendar, now, due time.Time) string { return cal.DueWords(now, due) }

// detailLabels names the fields of events' details.
var detailLabels = map[string]string{
	"on_time": "按时", "reason": "原因", "corrections": "需补正材料", "materials": "材料",
	"pause_type": "暂停事由", "paused_days": "顺延工作日", "days": "工作日数", "outcome": "决定",
	"result_document": "结果文书", "collect_items": "收回物品", "carrier": "寄递企业", "tracking_number": "邮件号",
	"signer": "签收人", "signer_id": "签收人证件", "item_code": "事项编码", "item_version": "事项版本",
	"channel": "渠道", "applicant": "申请人", "deferred": "容缺", "accept_by": "受理期限", "handover_by": "材料交接期限",
	"supply_by": "容缺补齐期限", "decide_by": "办结期限", "correct_by": "结果更正期限", "archive_by": "回执归档期限",
	"prereview_by": "预审期限", "files": "文件数", "bring": "需携带的纸质材料", "correction_reasons": "逐项意见",
	"on_behalf_of": "代为办理（申请人）", "agent": "代办员", "for": "申请人", "prerequisite": "前置事项",
	"level": "审批层级", "levels": "审批级数", "to_level": "退回至", "procedure": "特别程序", "conclusion": "结论",
	"attachments": "附件",
	// The street's initial review (委托初审).
	"initial_review": "委托初审", "initial_review_hall": "初审机构", "round": "初审轮次", "initial_review_by": "初审期限",
}

// eventDetails renders an event's details as "名称：值" lines in Chinese,
// times in Asia/Shanghai.
func eventDetails(raw json.RawMessage) []string {
	var m map[string]any
	if json.Unmarshal(raw, &m) != nil {
		return []string{string(raw)}
	}
	if d, ok := m["deadlines"].(map[string]any); ok {
		delete(m, "deadlines")
		for k, v := range d {
			m[k] = v
		}
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var out []string
	for _, k := range keys {
		label := detailLabels[k]
		if label == "" {
			label = k
		}
		out = append(out, label+"："+detailValue(m[k]))
	}
	return out
}

func detailValue(v any) string {
	switch x := v.(type) {
	case bool:
		if x {
			return "是"
		}
		return "否"
	case string:
		if t, err := time.Parse(time.RFC3339Nano, x); err == nil {
			return FmtTime(t, "2006-01-02 15:04")
		}
		switch x {
		case "approve":
			return "准予"
		case "deny":
			return "不予"
		case "window":
			return "窗口"
		case "mail":
			return "邮寄"
		case "online":
			return "网上申报"
		}
		if p := casework.PauseType(x).Label(); p != "" {
			return p
		}
		if l := reviewWord(x); l != "" {
			return l
		}
		return x
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = detailValue(e)
		}
		return strings.Join(parts, "、")
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = k + "：" + detailValue(x[k])
		}
		return strings.Join(parts, "；")
	case float64:
		return fmt.Sprint(x)
	case nil:
		return "—"
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// actionKeys are the case page's access keys (Alt+key), one letter per
// action, none shared with the page's other keys (s: submit, g: one-time
// notice, a: all provided, f: the instant one flow).
var actionKeys = map[casework.Action]string{
	casework.ActAccept: "j", casework.ActReturn: "t", casework.ActResubmit: "r", casework.ActSupply: "b",
	casework.ActHandover: "h", casework.ActPause: "p", casework.ActResume: "u", casework.ActExtend: "e",
	casework.ActApproveExtension: "y", casework.ActRejectExtension: "n", casework.ActDecide: "d",
	casework.ActSubmitResult: "o", casework.ActRefuseResult: "x", casework.ActAcceptResult: "k",
	casework.ActDeliver: "l", casework.ActMail: "m", casework.ActConfirmDelivery: "c", casework.ActArchive: "v",
	casework.ActWithdraw: "w", casework.ActTerminate: "z", casework.ActPassPreReview: "q", casework.ActFailPreReview: "i",
	casework.ActCompleteIntake: "1", casework.ActResubmitOnline: "2", casework.ActRefuseAcceptance: "6",
	casework.ActStartProcedure: "3", casework.ActFinishProcedure: "4", casework.ActPropose: "5", casework.ActCheck: "7", casework.ActSendBack: "8",
	casework.ActPassInitialReview: "9", casework.ActReturnInitialReview: "0",
}

// accessKey returns the case page's access key of an action ("" for none).
func accessKey(a casework.Action) string { return actionKeys[a] }
