package api

import (
	"context"
	"net/http"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/service"
)

// CaseOut is a case as the API shows it; ID numbers are masked.
type CaseOut struct {
	casework.Case
	StateLabel     string              `json:"state_label" doc:"状态的中文名"`
	Warning        calendar.Warning    `json:"warning" enum:"none,yellow,red" doc:"预警：red 已超期，yellow 临近期限"`
	Paused         bool                `json:"paused" doc:"审查计时是否暂停"`
	OpenDeadlines  []casework.Due      `json:"open_deadlines" doc:"正在计时的期限"`
	AllowedActions []casework.Action   `json:"allowed_actions" doc:"当前登录账号现在可执行的操作"`
	Events         []casework.Event    `json:"events,omitempty" doc:"办件记录，按序号排列"`
	Documents      []casework.Document `json:"documents,omitempty" doc:"收件通知书、交接表等文书"`
}

func caseOut(v *service.CaseView) *CaseOut {
	out := &CaseOut{
		Case: *v.Case, StateLabel: v.StateLabel, Warning: v.Warning, Paused: v.Case.Paused(),
		OpenDeadlines: nonNilSlice(v.Open), AllowedActions: nonNilSlice(v.Allowed), Events: v.Events, Documents: v.Documents,
	}
	out.Materials = nonNilSlice(out.Materials)
	return out
}

type caseOutput struct {
	Location string `header:"Location"`
	Body     *CaseOut
}

type intakeInput struct {
	Body casework.Intake
}

type caseInput struct {
	Number string `path:"number" maxLength:"32" doc:"办件编号"`
}

type casesInput struct {
	State      string `query:"state" doc:"状态，可用逗号分隔多个：received,accepted,…"`
	Department string `query:"department" doc:"部门编码（部门人员只能看本部门）"`
	Warning    string `query:"warning" enum:"yellow,red," doc:"yellow：临近期限或已超期；red：已超期"`
	Q          string `query:"q" maxLength:"50" doc:"办件编号开头、申请人名称的一部分，或完整证件号码"`
	Page       int    `query:"page" minimum:"0" doc:"页码，从 1 开始，每页 50 件"`
	Phone      string `query:"phone" maxLength:"30" doc:"申请人的完整联系电话（手机号或固定电话，不能只填一部分）"`
	From       string `query:"from" maxLength:"10" doc:"收件日期起（含），YYYY-MM-DD"`
	To         string `query:"to" maxLength:"10" doc:"收件日期止（含），YYYY-MM-DD"`
	Item       string `query:"item" maxLength:"64" doc:"事项编码（任一版本）"`
	Clerk      string `query:"clerk" maxLength:"64" doc:"收件人的用户名（办件的 received_by）"`
}

type casesOutput struct {
	Body struct {
		Cases []*CaseOut `json:"cases"`
		Total int        `json:"total"`
		Page  int        `json:"page"`
		Size  int        `json:"size"`
	}
}

type actionInput struct {
	Number string `path:"number" maxLength:"32" doc:"办件编号"`
	Body   struct {
		casework.Input
		Version int `json:"version,omitempty" minimum:"0" doc:"您看到的办件版本号；已被他人修改时返回 409"`
	}
}

// actionDocs says, per action, which fields it reads.
var actionDocs = map[casework.Action]string{
	casework.ActAccept:           "部门受理（收件后 2 个工作日内，按办件的期限规则 deadline_policy）并出具受理通知书（按年度编号）。受理后按承诺时限计算决定期限 decide_by。",
	casework.ActReturn:           "部门退回并出具材料补齐补正通知书：corrections 为需补正的材料编码，correction_reasons 为逐项原因（材料编码 → 原因）；未逐项说明原因的，reason 必填。",
	casework.ActResubmit:         "综合受理窗口收取补正材料后重新提交，办件编号不变：materials 为本次提交的材料编码。",
	casework.ActSupply:           "综合受理窗口收取容缺材料：materials 为补齐的材料编码。",
	casework.ActHandover:         "部门签收纸质材料（默认上午收件当日 15:00 前，下午收件次一工作日 10:00 前，按办件的期限规则），生成材料交接表。",
	casework.ActPause:            "暂停审查计时（行政许可法第四十五条）：pause_type 与 reason 必填。",
	casework.ActResume:           "恢复计时，decide_by 顺延暂停所跨的工作日数。",
	casework.ActExtend:           "审批人员申请延期：days（1–10 个工作日）与 reason 必填；每件限一次。",
	casework.ActApproveExtension: "部门管理员批准延期，decide_by 顺延。",
	casework.ActRejectExtension:  "部门管理员不批准延期：reason 必填。",
	casework.ActDecide: "作出决定并出具准予或不予（行政许可）决定书（按种类和年度编号）：outcome（approve|deny）必填；准予须填 result_document（证照名称及编号），不予须填 reason（理由，缺少时返回 422，errors[].field 为 reason）。" +
		"须带 confirm: true 表示已核对将出具的决定书，否则返回 422（field 为 confirm）且不作任何改变；可先 POST …/decide/preview 预览决定书。即办件可由获授权的综合受理窗口当场决定。设二级或三级审批的事项为「批准」：下级层级完成后，由未办理下级层级的审批人员或部门管理员作出，outcome 须与承办意见一致（不填即按承办意见）。",
	casework.ActRefuseAcceptance: "部门决定不予受理（行政许可法第三十二条），办件终止并出具不予受理决定书（载明理由及申请行政复议、提起行政诉讼的途径和期限）：reason 必填；须带 confirm: true，可先 POST …/refuse-acceptance/preview 预览。",
	casework.ActSubmitResult:     "部门将结果送综合出件窗口并出具办理结果交接表：collect_items 为出件时须收回的物品（不填则按办事指南）；出件窗口拒收后重新提交时可用 result_document 更正结果文书。",
	casework.ActRefuseResult:     "出件窗口核验不符、拒收结果：reason 必填；部门须在 1 个工作日内（按办件的期限规则）更正（correct_by）。",
	casework.ActAcceptResult:     "出件窗口核验无误，接收结果。",
	casework.ActDeliver:          "窗口领取：signer、signer_id_type、signer_id_number 必填（核验身份），生成送达回执。",
	casework.ActMail:             "出件窗口邮寄（部门不得自行邮寄）：carrier、tracking_number 必填。",
	casework.ActConfirmDelivery:  "确认邮件妥投，生成送达回执。",
	casework.ActArchive:          "送达回执交回部门归档（送达后 1 个工作日内，按办件的期限规则）。",
	casework.ActWithdraw:         "申请人撤回申请：reason 必填。",
	casework.ActTerminate:        "部门终止办理：reason 必填。",
	casework.ActPassPreReview:    "部门网上预审通过（提交后 2 个工作日内，按办件的期限规则，prereview_by）：申请人按通知携带纸质材料到综合受理窗口；reason 选填。全程网办事项不适用，直接受理（accept）。",
	casework.ActFailPreReview:    "部门网上预审不通过：correction_reasons 为逐项意见（材料编码 → 意见），未逐项说明的 reason 必填；申请人可修改后重新提交。",
	casework.ActResubmitOnline:   "申请人（或其授权的代办员）预审未通过后重新提交：files 为替换的材料文件（材料编码 → 文件）。",
	casework.ActCompleteIntake:   "综合受理窗口核验预审通过的网上申请的纸质材料并收件：此后按窗口收件计算受理期限和材料交接期限。",
	// The review in levels and the special procedures (casework/levels.go, procedure.go).
	casework.ActPropose: "承办（事项设二级或三级审批时）：outcome（approve 拟准予 | deny 拟不予）与 reason（审查意见）必填；限本部门审批人员。" +
		"同一办件的各审批层级须由不同人员办理，否则返回 403。",
	casework.ActCheck:    "审核（三级审批）：同意承办意见，reason 选填；本部门审批人员或部门管理员，不得为承办人。",
	casework.ActSendBack: "退回重办：当前待办层级（审核或批准）把办件退回下一级（审核→承办，批准→审核或承办），reason 必填；退回者不得为已办理本轮其他层级的人员。",
	casework.ActStartProcedure: "启动特别程序：procedure（site_inspection 现场勘验 | expert_review 专家评审 | hearing 听证 | publicity 公示）、reason（事项、地点或人员）必填。" +
		"听证、专家评审所需时间不计入办理时限（行政许可法第四十五条）：须填 days（1–60 个工作日），启动即暂停计时并出具所需时间告知书；现场勘验、公示不暂停计时，不填 days。同一时间只进行一项特别程序，进行中不能作出决定。",
	// The street's initial review (委托初审, initial_review.go).
	casework.ActPassInitialReview: "街道初审人员初审通过（委托初审的事项，在本街道收件的办件，初审期限 initial_review_by 内）：reason 为初审意见（可不填，默认“申请材料齐全、符合法定形式”）。" +
		"初审通过后部门方可受理，受理记录同时载明初审人员和受理人员。",
	casework.ActReturnInitialReview: "街道初审人员初审退回并出具材料补齐补正通知书：字段同 return（corrections、correction_reasons、reason）。申请人补正后在收件街道重新提交，重新初审。",
	casework.ActFinishProcedure: "登记特别程序结果：conclusion 必填，attachments 为附件（已上传文件的引用，最多 20 个；页面上随表单上传）。" +
		"暂停计时的特别程序结束即恢复计时，decide_by 顺延暂停所跨的工作日数；出具笔录或记录。",
}

func (h *Handlers) registerCases(a huma.API) {
	huma.Register(a, huma.Operation{
		OperationID: "intake", Method: http.MethodPost, Path: "/cases", Tags: []string{"办件"},
		Summary: "收件（综合受理窗口）",
		Description: "按办事指南核对材料后收件：只能收取办事指南列明的材料；必交材料须齐全，可容缺的材料可标为 deferred 并设补齐期限。" +
			"返回的办件含收件通知书（documents）。",
		Security: bearer, DefaultStatus: http.StatusCreated, Errors: []int{401, 403, 422},
	}, h.intake)
	huma.Register(a, huma.Operation{
		OperationID: "get-case", Method: http.MethodGet, Path: "/cases/{number}", Tags: []string{"办件"},
		Summary: "一个办件：状态、期限、预警、可执行操作、记录和文书", Security: bearer, Errors: []int{401, 403, 404},
	}, h.getCase)
	huma.Register(a, huma.Operation{
		OperationID: "list-cases", Method: http.MethodGet, Path: "/cases", Tags: []string{"办件"},
		Summary:     "工作清单和办件查询：超期和临近期限的办件在前",
		Description: "按状态、部门、预警、办件编号或申请人（q）、申请人联系电话（phone，须完整）、收件日期（from、to）、事项（item）和收件人（clerk）查询，条件同时满足。",
		Security:    bearer, Errors: []int{401, 403, 422},
	}, h.listCases)
	for _, action := range casework.Actions() {
		if action == casework.ActLapse || action == casework.ActOpen {
			continue // the system's own
		}
		huma.Register(a, huma.Operation{
			OperationID: "case-" + string(action), Method: http.MethodPost, Path: "/cases/{number}/" + string(action),
			Tags: []string{"办件操作"}, Summary: action.Label() + "（" + string(action) + "）",
			Description: actionDocs[action] + " 当前状态不允许时返回 409，并列出可执行的操作（allowed_actions）。",
			Security:    bearer, Errors: []int{401, 403, 404, 409, 422},
		}, h.act(action))
	}
	huma.Register(a, huma.Operation{
		OperationID: "case-finish-instant", Method: http.MethodPost, Path: "/cases/{number}/finish-instant",
		Tags: []string{"办件操作"}, Summary: "即办件当场办结（决定、发证、回执归档一次完成）",
		Description: "已收件的即办件在申请人等候时一次办结：作出决定（outcome、result_document，不予许可须填 reason），" +
			"交给在场的申请人（有代办人的交给代办人，收件时已核验身份，不再重复录入证件）并生成送达回执，回执当场归档。" +
			"三个步骤各记一条记录，在同一事务中完成：任一步不成立则什么都不写。即办件须在收件当日下班前办结（finish_by），逾期为红色预警。" +
			"承诺件或非已收件状态返回 409。",
		Security: bearer, Errors: []int{401, 403, 404, 409, 422},
	}, h.finishInstant)
	h.registerDecisionPreviews(a) // decisions.go
}

type finishInstantInput struct {
	Number string `path:"number" maxLength:"32" doc:"办件编号"`
	Body   struct {
		casework.InstantFinish
		Version int `json:"version,omitempty" minimum:"0" doc:"您看到的办件版本号；已被他人修改时返回 409"`
	}
}

func (h *Handlers) finishInstant(ctx context.Context, in *finishInstantInput) (*caseOutput, error) {
	v, err := h.svc.FinishInstant(ctx, in.Number, in.Body.InstantFinish, in.Body.Version)
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	return &caseOutput{Body: caseOut(v)}, nil
}

func (h *Handlers) intake(ctx context.Context, in *intakeInput) (*caseOutput, error) {
	v, err := h.svc.Intake(ctx, in.Body)
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	return &caseOutput{Location: Prefix + "/cases/" + v.Case.Number, Body: caseOut(v)}, nil
}

func (h *Handlers) getCase(ctx context.Context, in *caseInput) (*caseOutput, error) {
	v, err := h.svc.Case(ctx, in.Number)
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	return &caseOutput{Body: caseOut(v)}, nil
}

func (h *Handlers) listCases(ctx context.Context, in *casesInput) (*casesOutput, error) {
	f := service.CaseFilter{Department: in.Department, Warning: calendar.Warning(in.Warning), Query: in.Q, Page: in.Page,
		Phone: in.Phone, Item: in.Item, Clerk: in.Clerk}
	var err error
	if f.From, err = parseDay("from", in.From); err != nil {
		return nil, h.fail(ctx, err)
	}
	if f.To, err = parseDay("to", in.To); err != nil {
		return nil, h.fail(ctx, err)
	}
	for _, st := range strings.Split(in.State, ",") {
		if st = strings.TrimSpace(st); st != "" {
			f.States = append(f.States, casework.State(st))
		}
	}
	page, err := h.svc.Cases(ctx, f)
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	out := &casesOutput{}
	out.Body.Cases = []*CaseOut{}
	for _, v := range page.Cases {
		out.Body.Cases = append(out.Body.Cases, caseOut(v))
	}
	out.Body.Total, out.Body.Page, out.Body.Size = page.Total, page.Page, page.Size
	return out, nil
}

func (h *Handlers) act(action casework.Action) func(context.Context, *actionInput) (*caseOutput, error) {
	return func(ctx context.Context, in *actionInput) (*caseOutput, error) {
		v, err := h.svc.Act(ctx, in.Number, action, in.Body.Input, in.Body.Version)
		if err != nil {
			return nil, h.fail(ctx, err)
		}
		return &caseOutput{Body: caseOut(v)}, nil
	}
}

// parseDay reads an optional date query parameter: "" is no date.
func parseDay(field, s string) (calendar.Date, error) {
	if s == "" {
		return calendar.Date{}, nil
	}
	d, err := calendar.ParseDate(s)
	if err != nil {
		return calendar.Date{}, apperr.Field(field, "日期格式须为 YYYY-MM-DD")
	}
	return d, nil
}
