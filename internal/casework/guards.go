package casework

import (
	"strings"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/org"
)

// The guards check a case's sub-states. Each refusal is a conflict whose
// message says what is missing.

func guardDeferred(c *Case, _ Actor, _ time.Time) error {
	if !c.DeferredOutstanding() {
		return apperr.New(apperr.Conflict, "该办件没有待补齐的容缺材料")
	}
	return nil
}

func guardPaperPending(c *Case, _ Actor, _ time.Time) error {
	if c.PaperInTransit() {
		return apperr.New(apperr.Conflict, "该办件的纸质材料尚在从收件大厅送往区政务服务中心的途中，交接批次签收后方可签收")
	}
	if !c.PaperPending() {
		return apperr.New(apperr.Conflict, "该办件没有待交接的纸质材料")
	}
	return nil
}

func guardNotPaused(c *Case, _ Actor, _ time.Time) error {
	if c.Paused() {
		return apperr.New(apperr.Conflict, "审查计时已暂停，请先恢复计时")
	}
	return nil
}

func guardPaused(c *Case, _ Actor, _ time.Time) error {
	if !c.Paused() {
		return apperr.New(apperr.Conflict, "审查计时未暂停")
	}
	return nil
}

func guardNoExtension(c *Case, _ Actor, _ time.Time) error {
	if c.Extension != nil {
		return apperr.New(apperr.Conflict, "每个办件只能申请一次延期（行政许可法第四十二条）")
	}
	return nil
}

func guardExtensionRequested(c *Case, _ Actor, _ time.Time) error {
	if c.Extension == nil || c.Extension.State != ExtensionRequested {
		return apperr.New(apperr.Conflict, "没有待审批的延期申请")
	}
	return nil
}

func guardReadyToDecide(c *Case, _ Actor, _ time.Time) error {
	switch {
	case c.Paused():
		return apperr.New(apperr.Conflict, "审查计时已暂停，请先恢复计时再作决定")
	case c.PaperPending():
		return apperr.New(apperr.Conflict, "纸质材料尚未交接签收，不能作出决定")
	case c.DeferredOutstanding():
		return apperr.New(apperr.Conflict, "容缺材料尚未补齐，不能作出决定")
	case c.Extension != nil && c.Extension.State == ExtensionRequested:
		return apperr.New(apperr.Conflict, "延期申请待部门管理员审批，不能作出决定")
	}
	return nil
}

// guardDelegated lets an intake clerk decide an instant case only when the
// department delegated the item to the hall.
func guardDelegated(c *Case, a Actor, _ time.Time) error {
	if a.Role == org.RoleIntake && !c.Delegated {
		return apperr.New(apperr.Forbidden, "该即办事项未授权窗口办理，须由实施部门的审批人员决定")
	}
	return nil
}

func guardResultToSubmit(c *Case, _ Actor, _ time.Time) error {
	if c.Result != ResultNone && c.Result != ResultRefused {
		return apperr.New(apperr.Conflict, "办理结果已提交，等待出件窗口核验")
	}
	return nil
}

func guardResultSubmitted(c *Case, _ Actor, _ time.Time) error {
	if c.Result != ResultSubmitted {
		return apperr.New(apperr.Conflict, "部门尚未提交办理结果")
	}
	return nil
}

// guardResultHere lets the pickup hall's issuance desk check a submitted
// result only once it is there: a result travelling from the district
// hall is checked after its batch is signed in at the pickup hall.
func guardResultHere(c *Case, a Actor, now time.Time) error {
	if err := guardResultSubmitted(c, a, now); err != nil {
		return err
	}
	if c.ResultInTransit() {
		return apperr.New(apperr.Conflict, "办理结果尚未送达领取大厅（由区政务服务中心综合出件窗口编入交接批次送来），交接批次在领取大厅签收后方可核验接收")
	}
	return nil
}

// guardReceiptStays lets the pickup hall's issuance desk archive a
// receipt that stays where it was signed; one that travels back to the
// district hall is the department's to archive there.
func guardReceiptStays(c *Case, _ Actor, _ time.Time) error {
	if c.ReceiptTransit != nil {
		return apperr.New(apperr.Conflict, "该办件的送达回执送回区政务服务中心，由实施部门签收归档，领取大厅不能归档")
	}
	return nil
}

// guardReceiptBack lets the department archive a receipt that travelled
// back to the district hall, once its batch is signed in there.
func guardReceiptBack(c *Case, _ Actor, _ time.Time) error {
	switch {
	case c.ReceiptTransit == nil:
		return apperr.New(apperr.Conflict, "该办件的送达回执由领取大厅的综合出件窗口归档")
	case c.ReceiptInTransit():
		return apperr.New(apperr.Conflict, "送达回执尚在从领取大厅送回区政务服务中心的途中，交接批次签收后方可归档")
	}
	return nil
}

func guardPickup(c *Case, _ Actor, _ time.Time) error {
	if c.Delivery.Method != Pickup {
		return apperr.New(apperr.Conflict, "申请人选择了邮寄送达，请办理邮寄")
	}
	return nil
}

func guardToMail(c *Case, _ Actor, _ time.Time) error {
	if c.Delivery.Method != Mail {
		return apperr.New(apperr.Conflict, "申请人选择了窗口领取，不能邮寄")
	}
	if c.Result == ResultMailed {
		return apperr.New(apperr.Conflict, "结果已寄出")
	}
	return nil
}

func guardMailed(c *Case, _ Actor, _ time.Time) error {
	if c.Result != ResultMailed {
		return apperr.New(apperr.Conflict, "结果尚未寄出")
	}
	return nil
}

// guardLapsed lets the system end a case only for what the applicant was
// told in writing would end it: deferred materials still missing after the
// time the latest notice stated with that consequence (LapseAt).
func guardLapsed(c *Case, _ Actor, now time.Time) error {
	at := c.LapseAt()
	switch {
	case !c.DeferredOutstanding() || c.Deadlines.SupplyBy.IsZero():
		return apperr.New(apperr.Conflict, "容缺材料未逾期")
	case at.IsZero():
		return apperr.New(apperr.Conflict, "申请人未收到容缺材料逾期终止办理的书面告知，不能因逾期自动终止")
	case !now.After(at):
		return apperr.New(apperr.Conflict, "容缺材料未逾期")
	}
	return nil
}

func guardNotWaiting(c *Case, _ Actor, _ time.Time) error {
	if c.Waiting() {
		return apperr.New(apperr.Conflict, "一件事的前置事项（%s）尚未办结，本事项暂不能受理", strings.Join(c.WaitingFor, "、"))
	}
	return nil
}

func guardWaiting(c *Case, _ Actor, _ time.Time) error {
	if !c.Waiting() {
		return apperr.New(apperr.Conflict, "该办件没有等待中的前置事项")
	}
	return nil
}

func guardFullyOnline(c *Case, a Actor, now time.Time) error {
	if !c.OnlineFull {
		return apperr.New(apperr.Conflict, "该事项须预审通过后到大厅提交纸质材料，不能网上直接受理")
	}
	return guardNotWaiting(c, a, now)
}

// guardOnlineFull lets a fully online application be refused online: it
// is accepted or not at its pre-review (R14); any other one's answer
// online is the pre-review's.
func guardOnlineFull(c *Case, _ Actor, _ time.Time) error {
	if !c.OnlineFull {
		return apperr.New(apperr.Conflict, "该网上申请须先预审；预审不通过请选择「预审不通过」，收件后再决定是否受理")
	}
	return nil
}

func guardToPreReview(c *Case, _ Actor, _ time.Time) error {
	switch {
	case c.OnlineFull:
		return apperr.New(apperr.Conflict, "全程网办事项在网上直接受理，无需预审通过后再到大厅")
	case c.PreReview != nil && c.PreReview.Passed:
		return apperr.New(apperr.Conflict, "该申请已通过预审，等待申请人到大厅提交纸质材料")
	}
	return nil
}

func guardNotPassed(c *Case, _ Actor, _ time.Time) error {
	if c.PreReview != nil && c.PreReview.Passed {
		return apperr.New(apperr.Conflict, "该申请已通过预审；如纸质材料有问题，请在收件后退回补正")
	}
	return nil
}

func guardPassed(c *Case, _ Actor, _ time.Time) error {
	if c.PreReview == nil || !c.PreReview.Passed {
		return apperr.New(apperr.Conflict, "该网上申请尚未通过预审，不能收件")
	}
	return nil
}

// guardOwnApplication lets an applicant (or the agent acting for one) act
// only on the online application of their own account.
func guardOwnApplication(c *Case, a Actor, _ time.Time) error {
	if c.AccountID == 0 || a.AccountID != c.AccountID {
		return apperr.New(apperr.Forbidden, "只能办理本人（本单位）的网上申请")
	}
	return nil
}
