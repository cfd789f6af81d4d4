package ledger

import (
	"strconv"
	"strings"
	"time"

	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/rating"
	"github.com/onewindow/onewindow/internal/supervision"
)

// CaseEntry is one line of the case ledger (办件台账).
type CaseEntry struct {
	Number         string           `json:"number" doc:"办件编号"`
	ItemCode       string           `json:"item_code" doc:"事项编码"`
	ItemName       string           `json:"item_name" doc:"事项名称"`
	Department     string           `json:"department" doc:"办理部门（编码）"`
	DepartmentName string           `json:"department_name" doc:"办理部门"`
	Hall           string           `json:"hall" doc:"收件大厅（编码）"`
	HallName       string           `json:"hall_name" doc:"收件大厅"`
	Channel        casework.Channel `json:"channel" doc:"收件渠道：window、mail、online"`
	Applicant      string           `json:"applicant" doc:"申请人"`
	IDNumber       string           `json:"id_number" doc:"申请人证件号码（除有权查看的角色明示查看外一律脱敏）"`
	State          casework.State   `json:"state" doc:"办件状态"`
	ReceivedAt     time.Time        `json:"received_at" doc:"收件时间"`
	AcceptedAt     time.Time        `json:"accepted_at,omitzero" doc:"受理时间"`
	DecideBy       time.Time        `json:"decide_by,omitzero" doc:"办结时限（含暂停与延期）"`
	DecidedAt      time.Time        `json:"decided_at,omitzero" doc:"决定时间"`
	Outcome        casework.Outcome `json:"outcome,omitempty" doc:"决定结果：approve 准予，deny 不予"`
	DeliveredAt    time.Time        `json:"delivered_at,omitzero" doc:"送达时间"`
	Returns        int              `json:"returns" doc:"退回补正次数"`
	Paused         int              `json:"pauses" doc:"暂停计时次数"`
	Extended       bool             `json:"extended" doc:"是否经批准延期"`
	Late           bool             `json:"late" doc:"是否超期：有环节超时办理，或时限已过仍未办理"`
}

// HandoverEntry is one line of the paper handover ledger (材料交接台账): one
// handover sheet signed by the department.
type HandoverEntry struct {
	Number         string    `json:"number" doc:"办件编号"`
	ItemName       string    `json:"item_name" doc:"事项名称"`
	Department     string    `json:"department" doc:"接收部门（编码）"`
	DepartmentName string    `json:"department_name" doc:"接收部门"`
	Hall           string    `json:"hall" doc:"收件大厅（编码）"`
	HallName       string    `json:"hall_name" doc:"收件大厅"`
	ReceivedAt     time.Time `json:"received_at" doc:"收件时间"`
	ReceivedBy     string    `json:"received_by" doc:"收件人（姓名）"`
	Materials      string    `json:"materials" doc:"交接的纸质材料及份数"`
	Cutoff         time.Time `json:"cutoff" doc:"签收时限"`
	SignedAt       time.Time `json:"signed_at" doc:"签收时间"`
	SignedBy       string    `json:"signed_by" doc:"签收人（姓名）"`
	OnTime         bool      `json:"on_time" doc:"是否按时签收"`
}

// DeliveryEntry is one line of the delivery ledger (送达台账): one delivery
// receipt, for a pickup at the desk or a confirmed mail delivery.
type DeliveryEntry struct {
	Number         string    `json:"number" doc:"办件编号"`
	ItemName       string    `json:"item_name" doc:"事项名称"`
	Department     string    `json:"department" doc:"办理部门（编码）"`
	DepartmentName string    `json:"department_name" doc:"办理部门"`
	Hall           string    `json:"hall" doc:"出件大厅（编码）"`
	HallName       string    `json:"hall_name" doc:"出件大厅"`
	Applicant      string    `json:"applicant" doc:"申请人"`
	Document       string    `json:"result_document" doc:"结果文书或证照"`
	Method         string    `json:"method" enum:"pickup,mail" doc:"送达方式：pickup 窗口领取，mail 邮寄"`
	Signer         string    `json:"signer,omitempty" doc:"签收人"`
	SignerID       string    `json:"signer_id,omitempty" doc:"签收人证件号码（送达回执上即为脱敏号码）"`
	Carrier        string    `json:"carrier,omitempty" doc:"寄递企业"`
	Tracking       string    `json:"tracking_number,omitempty" doc:"邮件号"`
	Collected      string    `json:"collected_items,omitempty" doc:"出件时收回的物品"`
	DeliveredAt    time.Time `json:"delivered_at" doc:"送达时间"`
	By             string    `json:"by" doc:"经办人（姓名）"`
}

// RatingEntry is one line of the rating ledger (好差评台账).
type RatingEntry struct {
	ID             int64          `json:"id" doc:"评价编号"`
	CreatedAt      time.Time      `json:"created_at" doc:"评价时间"`
	Level          rating.Level   `json:"level" doc:"评价等级：5 非常满意 … 1 非常不满意"`
	Channel        rating.Channel `json:"channel" doc:"评价渠道"`
	Hall           string         `json:"hall,omitempty" doc:"大厅（编码）"`
	HallName       string         `json:"hall_name,omitempty" doc:"大厅"`
	Window         string         `json:"window,omitempty" doc:"窗口号"`
	Clerk          string         `json:"clerk,omitempty" doc:"被评价的工作人员（姓名）"`
	Department     string         `json:"department,omitempty" doc:"部门（编码）"`
	DepartmentName string         `json:"department_name,omitempty" doc:"部门"`
	CaseNumber     string         `json:"case_number,omitempty" doc:"办件编号（办件评价）"`
	ItemName       string         `json:"item_name,omitempty" doc:"事项名称（办件评价）"`
	RealName       bool           `json:"real_name" doc:"是否实名评价"`
	Rater          string         `json:"rater,omitempty" doc:"评价人（实名评价）"`
	Tags           []rating.Tag   `json:"tags" doc:"评价标签"`
	Text           string         `json:"text" doc:"评价内容"`
	Rectification  rating.State   `json:"rectification,omitempty" doc:"差评整改状态"`
}

// NoticeEntry is one line of the supervision-notice ledger (督办单台账): one
// notice, opened by the sweep on a missed deadline or by a supervisor by
// hand, with the department's reply.
type NoticeEntry struct {
	ID             int64              `json:"id" doc:"督办单编号"`
	Number         string             `json:"number" doc:"办件编号"`
	ItemName       string             `json:"item_name" doc:"事项名称"`
	Department     string             `json:"department" doc:"责任部门（编码；综合窗口的环节为空）"`
	DepartmentName string             `json:"department_name" doc:"责任部门"`
	Hall           string             `json:"hall" doc:"收件大厅（编码）"`
	HallName       string             `json:"hall_name" doc:"收件大厅"`
	Origin         supervision.Origin `json:"origin" enum:"sweep,hand" doc:"开具方式：sweep 超期自动开具，hand 监督人员手动开具"`
	Step           supervision.Kind   `json:"step,omitempty" doc:"超期的环节（手动开具的为空）"`
	StepLabel      string             `json:"step_label,omitempty" doc:"超期的环节"`
	Reason         string             `json:"reason" doc:"督办事由"`
	OpenedAt       time.Time          `json:"opened_at" doc:"开具时间"`
	OpenedBy       string             `json:"opened_by" doc:"开具人（姓名；自动开具为“系统”）"`
	ReplyBy        time.Time          `json:"reply_by" doc:"回复期限"`
	State          NoticeState        `json:"state" enum:"open,answered,overdue" doc:"状态：open 待回复，answered 已回复，overdue 逾期未回复"`
	RepliedAt      time.Time          `json:"replied_at,omitzero" doc:"回复时间"`
	RepliedBy      string             `json:"replied_by,omitempty" doc:"回复人（姓名）"`
	Explanation    string             `json:"explanation,omitempty" doc:"情况说明"`
	Measures       string             `json:"measures,omitempty" doc:"整改措施"`
	EscalatedAt    time.Time          `json:"escalated_at,omitzero" doc:"逾期未回复上报监督人员的时间"`
	RepliedLate    bool               `json:"replied_late" doc:"是否逾期回复"`
}

// Columns returns the header of ledger k's spreadsheet, in the order of
// the entries' Cells.
func Columns(k Kind) []string {
	switch k {
	case Cases:
		return []string{"办件编号", "事项名称", "办理部门", "收件大厅", "收件渠道", "申请人", "证件号码", "办件状态",
			"收件时间", "受理时间", "办结时限", "决定时间", "决定结果", "送达时间", "退回次数", "暂停次数", "延期", "超期"}
	case Handovers:
		return []string{"办件编号", "事项名称", "接收部门", "收件大厅", "收件时间", "收件人", "纸质材料",
			"签收时限", "签收时间", "签收人", "按时签收"}
	case Deliveries:
		return []string{"办件编号", "事项名称", "办理部门", "出件大厅", "申请人", "结果文书", "送达方式",
			"签收人", "签收人证件", "寄递企业", "邮件号", "收回物品", "送达时间", "经办人"}
	case Ratings:
		return []string{"评价编号", "评价时间", "评价等级", "评价渠道", "大厅", "窗口", "工作人员", "部门",
			"办件编号", "事项名称", "实名", "评价人", "评价标签", "评价内容", "整改状态"}
	case Notices:
		return []string{"督办单编号", "办件编号", "事项名称", "责任部门", "收件大厅", "开具方式", "超期环节", "督办事由",
			"开具时间", "开具人", "回复期限", "状态", "回复时间", "回复人", "情况说明", "整改措施", "上报时间", "逾期回复"}
	}
	return nil
}

// Cells returns the entry as a spreadsheet row (see Columns).
func (e *CaseEntry) Cells() []any { return e.AppendCells(make([]any, 0, 18)) }

// AppendCells appends the entry's spreadsheet row (see Columns) to dst: an
// export reuses one slice for every row.
func (e *CaseEntry) AppendCells(dst []any) []any {
	return append(dst, e.Number, e.ItemName, e.DepartmentName, e.HallName, channelLabel(e.Channel), e.Applicant, e.IDNumber,
		e.State.Label(), e.ReceivedAt, e.AcceptedAt, e.DecideBy, e.DecidedAt, outcomeLabel(e.Outcome), e.DeliveredAt,
		e.Returns, e.Paused, e.Extended, e.Late)
}

// Cells returns the entry as a spreadsheet row (see Columns).
func (e *HandoverEntry) Cells() []any { return e.AppendCells(make([]any, 0, 11)) }

// AppendCells appends the entry's spreadsheet row (see Columns) to dst.
func (e *HandoverEntry) AppendCells(dst []any) []any {
	return append(dst, e.Number, e.ItemName, e.DepartmentName, e.HallName, e.ReceivedAt, e.ReceivedBy, e.Materials,
		e.Cutoff, e.SignedAt, e.SignedBy, e.OnTime)
}

// Cells returns the entry as a spreadsheet row (see Columns).
func (e *DeliveryEntry) Cells() []any { return e.AppendCells(make([]any, 0, 14)) }

// AppendCells appends the entry's spreadsheet row (see Columns) to dst.
func (e *DeliveryEntry) AppendCells(dst []any) []any {
	method := ""
	switch e.Method {
	case "pickup":
		method = "窗口领取"
	case "mail":
		method = "邮寄"
	}
	return append(dst, e.Number, e.ItemName, e.DepartmentName, e.HallName, e.Applicant, e.Document, method,
		e.Signer, e.SignerID, e.Carrier, e.Tracking, e.Collected, e.DeliveredAt, e.By)
}

// Cells returns the entry as a spreadsheet row (see Columns).
func (e *RatingEntry) Cells() []any { return e.AppendCells(make([]any, 0, 15)) }

// AppendCells appends the entry's spreadsheet row (see Columns) to dst.
func (e *RatingEntry) AppendCells(dst []any) []any {
	tags := make([]string, len(e.Tags))
	for i, t := range e.Tags {
		tags[i] = string(t)
	}
	rect := ""
	if e.Rectification != "" {
		rect = e.Rectification.Label()
	}
	return append(dst, strconv.FormatInt(e.ID, 10), e.CreatedAt, e.Level.Label(), e.Channel.Label(), e.HallName, e.Window, e.Clerk,
		e.DepartmentName, e.CaseNumber, e.ItemName, e.RealName, e.Rater, strings.Join(tags, "、"), e.Text, rect)
}

// Cells returns the entry as a spreadsheet row (see Columns).
func (e *NoticeEntry) Cells() []any { return e.AppendCells(make([]any, 0, 18)) }

// AppendCells appends the entry's spreadsheet row (see Columns) to dst.
func (e *NoticeEntry) AppendCells(dst []any) []any {
	origin := ""
	switch e.Origin {
	case supervision.BySweep:
		origin = "超期自动开具"
	case supervision.ByHand:
		origin = "监督人员开具"
	}
	return append(dst, strconv.FormatInt(e.ID, 10), e.Number, e.ItemName, e.DepartmentName, e.HallName, origin, e.StepLabel, e.Reason,
		e.OpenedAt, e.OpenedBy, e.ReplyBy, e.State.Label(), e.RepliedAt, e.RepliedBy, e.Explanation, e.Measures, e.EscalatedAt,
		e.RepliedLate)
}

// MaterialsText lists a handover's paper materials with their counts, as
// the sheet does: "营业执照（原件1份，复印件2份）；…".
func MaterialsText(lines []casework.MaterialLine) string {
	var b strings.Builder
	for i, m := range lines {
		if i > 0 {
			b.WriteString("；")
		}
		b.WriteString(m.Name)
		var parts []string
		if m.Originals > 0 {
			parts = append(parts, "原件"+strconv.Itoa(m.Originals)+"份")
		}
		if m.Copies > 0 {
			parts = append(parts, "复印件"+strconv.Itoa(m.Copies)+"份")
		}
		if len(parts) > 0 {
			b.WriteString("（" + strings.Join(parts, "，") + "）")
		}
	}
	return b.String()
}

func channelLabel(c casework.Channel) string {
	switch c {
	case casework.AtWindow:
		return "窗口"
	case casework.ByMail:
		return "邮寄"
	case casework.Online:
		return "网上申报"
	}
	return string(c)
}

func outcomeLabel(o casework.Outcome) string {
	switch o {
	case casework.Approve:
		return "准予"
	case casework.Deny:
		return "不予"
	}
	return ""
}
