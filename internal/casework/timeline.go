package casework

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Describe tells an event to the applicant in plain Chinese: what happened
// to their case and what comes next. Reasons meant for the applicant
// (returns, pre-review, decisions, pauses) are included; staff names are
// not.
func Describe(c *Case, ev Event) string {
	var d map[string]any
	_ = json.Unmarshal(ev.Details, &d)
	str := func(k string) string { s, _ := d[k].(string); return s }
	if s, ok := describeReview(ev, str); ok {
		return s
	}
	reason := str("reason")
	withReason := func(s string) string {
		if reason != "" {
			return s + "原因：" + reason + "。"
		}
		return s
	}
	switch ev.Type {
	case ActSubmit:
		return "您在网上提交了申请，等待部门预审。"
	case ActIntake:
		if c.Channel == ByMail {
			return "综合受理窗口收到您邮寄的申请材料并登记收件。"
		}
		return "综合受理窗口收下了您的申请材料（收件）。"
	case ActPassPreReview:
		return "部门预审通过。请携带纸质材料到综合受理窗口办理收件。"
	case ActFailPreReview:
		s := "部门预审未通过，请按以下意见修改后重新提交。"
		if reason != "" {
			s += "意见：" + reason + "。"
		}
		if rs, ok := d["correction_reasons"].(map[string]any); ok {
			for _, m := range c.Materials {
				if why, ok := rs[m.Code].(string); ok {
					s += "「" + m.Name + "」：" + why + "。"
				}
			}
		}
		return s
	case ActResubmitOnline:
		return "您修改后重新提交了申请，等待部门预审。"
	case ActCompleteIntake:
		return "综合受理窗口核验了您的纸质材料，正式收件。"
	case ActOpen:
		return "一件事中的前置事项已办结，本事项开始受理。"
	case ActPassInitialReview:
		return "收件的街道为民服务中心受部门委托初审，您的申请材料齐全、符合法定形式，转部门受理。"
	case ActReturnInitialReview:
		return withReason("收件的街道为民服务中心受部门委托初审，退回了您的申请，需要补齐或补正材料，请查看补正通知书。")
	case ActReturn:
		return withReason("部门退回了您的申请，需要补齐或补正材料，请查看补正通知书。")
	case ActRefuseAcceptance:
		return withReason("部门决定不予受理，并出具了不予受理决定书（载明理由和救济途径）。")
	case ActResubmit:
		return "您补正材料后重新提交，部门将重新决定是否受理。"
	case ActSupply:
		return "您补齐了容缺材料。"
	case ActHandover:
		return "您的纸质材料已交到审批部门。"
	case ActPause:
		label := PauseType(str("pause_type")).Label()
		if label == "" {
			label = "依法需要的程序"
		}
		return "因" + label + "，审查计时暂停（这段时间依法不计入办理时限）。"
	case ActResume:
		return "审查计时恢复，办结期限相应顺延。"
	case ActExtend, ActRejectExtension:
		return "" // internal until approved
	case ActApproveExtension:
		return fmt.Sprintf("经批准，办理时限延长 %v 个工作日。", d["days"])
	case ActDecide:
		if c.Outcome == Deny {
			return withReason("部门作出了不予许可（不予办理）的决定，并出具了决定书（载明理由和救济途径）。")
		}
		return "部门作出了准予的决定，并出具了决定书。"
	case ActAccept:
		return "部门已受理您的申请，开始审查，并出具了受理通知书。"
	case ActSubmitResult:
		return "审批部门把办理结果送到了综合出件窗口。"
	case ActRefuseResult:
		return "出件窗口核对办理结果发现需要更正，已退回部门更正。"
	case ActAcceptResult:
		if c.Delivery.Method == Mail {
			return "办理结果已到综合出件窗口，等待邮寄。"
		}
		return "办理结果可以领取了，请到综合出件窗口领取。"
	case ActDeliver:
		if agent := str("agent"); agent != "" {
			return "您授权的代办员代您领取了办理结果。"
		}
		return "办理结果已领取。"
	case ActMail:
		return fmt.Sprintf("办理结果已由 %s 寄出，邮件号 %s。", str("carrier"), str("tracking_number"))
	case ActConfirmDelivery:
		return "邮件已妥投。"
	case ActArchive:
		return "送达回执已归档，本件办结。"
	case ActWithdraw:
		return withReason("申请已撤回。")
	case ActTerminate:
		return withReason("办件已终止。")
	case ActLapse:
		return "容缺材料逾期未补齐，办件已终止。"
	}
	return strings.TrimSpace(ev.Type.Label())
}
