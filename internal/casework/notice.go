package casework

import (
	"fmt"
	"strings"
	"time"

	"github.com/onewindow/onewindow/internal/clock"
)

// Notice is a message to the applicant about their case (收件、退回、决定、
// 待领取、邮寄), sent through the notification outbox.
type Notice struct {
	Subject string `json:"subject"`
	Body    string `json:"body"`
}

// NoticeFor returns the notice an event sends the applicant, if any: at
// receipt, pre-review, return, decision, result ready, mailing and when the
// case ends without a result. The text names the case and never carries the
// check code or an ID number.
func NoticeFor(c *Case, ev *Event) (Notice, bool) {
	item := "「" + c.ItemName + "」"
	n := Notice{}
	switch ev.Type {
	case ActSubmit:
		n = Notice{"网上申报已提交", fmt.Sprintf("您申报的%s已提交，办件编号 %s。部门将在 %s 前完成预审。", item, c.Number, stampText(c.Deadlines.PreReviewBy))}
	case ActIntake:
		if c.Kind != "promised" {
			return Notice{}, false // instant: decided at the window in the same visit
		}
		n = Notice{"已收件", fmt.Sprintf("您申请的%s已收件，办件编号 %s，凭收件通知书上的查询码可查询进度。", item, c.Number)}
	case ActCompleteIntake:
		n = Notice{"已收件", fmt.Sprintf("您网上申报的%s（办件编号 %s）已在窗口收件，部门将在 %s 前决定是否受理。", item, c.Number, stampText(c.Deadlines.AcceptBy))}
	case ActPassPreReview:
		var names []string
		for _, m := range c.PaperToBring() {
			names = append(names, m.Name)
		}
		body := fmt.Sprintf("您网上申报的%s（办件编号 %s）已通过预审。", item, c.Number)
		if len(names) > 0 {
			body += "请携带以下纸质材料到政务服务中心综合受理窗口办理：" + strings.Join(names, "、") + "。"
		}
		n = Notice{"预审通过", body}
	case ActFailPreReview:
		n = Notice{"预审未通过", fmt.Sprintf("您网上申报的%s（办件编号 %s）未通过预审，请登录网上办事大厅查看原因，修改后重新提交。", item, c.Number)}
	case ActAccept:
		n = Notice{"已受理", fmt.Sprintf("您申请的%s（办件编号 %s）已受理，承诺在 %s 前办结。", item, c.Number, stampText(c.Deadlines.DecideBy))}
	case ActReturn:
		body := fmt.Sprintf("您申请的%s（办件编号 %s）需要补正材料，请查看材料补齐补正通知书，补正后到综合受理窗口重新提交。", item, c.Number)
		if at := c.LapseAt(); !at.IsZero() {
			body += "容缺材料须在 " + stampText(at) + " 前补齐，" + LapseConsequence + "。"
		}
		n = Notice{"退回补正", body}
	case ActRefuseAcceptance:
		n = Notice{"不予受理", fmt.Sprintf("您申请的%s（办件编号 %s）经审查决定不予受理：%s。理由和救济途径见不予受理决定书，可登录网上办事大厅查看。", item, c.Number, strings.TrimSuffix(strings.TrimPrefix(c.CloseReason, "不予受理："), "。"))}
	case ActDecide:
		if c.Kind != "promised" {
			return Notice{}, false
		}
		outcome := "准予"
		if c.Outcome == Deny {
			outcome = "不予"
		}
		n = Notice{"已作出决定", fmt.Sprintf("您申请的%s（办件编号 %s）已作出%s的决定，决定书可登录网上办事大厅查看。结果可领取时另行通知。", item, c.Number, outcome)}
	case ActAcceptResult:
		if c.Delivery.Method == Mail {
			n = Notice{"办理结果待寄出", fmt.Sprintf("您申请的%s（办件编号 %s）办理结果已到综合出件窗口，将邮寄至您填写的地址。", item, c.Number)}
		} else {
			n = Notice{"办理结果可领取", fmt.Sprintf("您申请的%s（办件编号 %s）办理结果可以领取了，请携带身份证件到综合出件窗口领取。", item, c.Number)}
		}
	case ActMail:
		n = Notice{"办理结果已邮寄", fmt.Sprintf("您申请的%s（办件编号 %s）办理结果已由 %s 寄出，邮件号 %s。", item, c.Number, c.Carrier, c.Tracking)}
	case ActTerminate, ActLapse:
		n = Notice{"办件已终止", fmt.Sprintf("您申请的%s（办件编号 %s）已终止办理：%s。", item, c.Number, strings.TrimSuffix(c.CloseReason, "。"))}
	default:
		return Notice{}, false
	}
	return n, true
}

// stampText shows a deadline in Asia/Shanghai as people read it.
func stampText(t time.Time) string {
	if t.IsZero() {
		return "规定时限"
	}
	return t.In(clock.Shanghai).Format("2006年1月2日 15:04")
}
