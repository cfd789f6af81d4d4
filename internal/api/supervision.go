package api

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"reflect"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/export"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/supervision"
)

// periodInput is the period, grouping and filters of a figure.
type periodInput struct {
	From       string `query:"from" required:"true" maxLength:"10" doc:"开始日期（含），如 2026-01-01；环节按其期限所在日计入期间"`
	To         string `query:"to" required:"true" maxLength:"10" doc:"结束日期（含），如 2026-12-31；最长三年"`
	Group      string `query:"group" enum:"department,item,hall,user,month" default:"department" doc:"分组：部门、事项、大厅、人员、月份"`
	Department string `query:"department" maxLength:"32" doc:"只看一个部门（部门管理员只能看本部门）"`
	Hall       string `query:"hall" maxLength:"32" doc:"只看一个大厅收件的办件（大厅负责人只能看本大厅）；分组须为部门、大厅或月份"`
	Key        string `query:"key" maxLength:"64" doc:"分组为事项、大厅或人员时只看其中一个（事项编码、大厅编码或用户名）"`
}

func (in periodInput) period() service.Period {
	return service.Period{From: in.From, To: in.To, Group: supervision.Grouping(in.Group), Department: in.Department, Key: in.Key, Hall: in.Hall}
}

// drillInput is a drill-down: the figure's period and grouping, and the
// group's key whose cases are listed.
type drillInput struct {
	From       string `query:"from" required:"true" maxLength:"10" doc:"开始日期（含）"`
	To         string `query:"to" required:"true" maxLength:"10" doc:"结束日期（含）"`
	Group      string `query:"group" enum:"department,item,hall,user,month" default:"department" doc:"统计的分组"`
	Key        string `query:"key" maxLength:"64" doc:"该分组中的一行：部门编码、事项编码、大厅编码、用户名或月份（2026-01）"`
	Department string `query:"department" maxLength:"32" doc:"统计时所限的部门"`
	Hall       string `query:"hall" maxLength:"32" doc:"只看一个大厅收件的办件（大厅负责人只能看本大厅）；分组须为部门、大厅或月份"`
	Limit      int    `query:"limit" minimum:"0" maximum:"1000" default:"100" doc:"每页条数"`
	Offset     int    `query:"offset" minimum:"0" doc:"跳过的条数"`
}

func (in drillInput) period() service.Period {
	return service.Period{From: in.From, To: in.To, Group: supervision.Grouping(in.Group), Department: in.Department, Hall: in.Hall}
}

// huma reads no query parameters from embedded structs: the drill-downs
// repeat drillInput's fields and convert.
func (in stepsInput) period() service.Period {
	return drillInput{From: in.From, To: in.To, Group: in.Group, Department: in.Department, Hall: in.Hall}.period()
}

func (in holdingCasesInput) period() service.Period {
	return drillInput{From: in.From, To: in.To, Group: in.Group, Department: in.Department, Hall: in.Hall}.period()
}

type punctualityOutput struct {
	Body struct {
		Period service.Period           `json:"period"`
		Rows   []service.PunctualityRow `json:"rows"`
	}
}

type holdingOutput struct {
	Body struct {
		Period service.Period       `json:"period"`
		Rows   []service.HoldingRow `json:"rows"`
	}
}

type efficiencyOutput struct {
	Body struct {
		Period service.Period `json:"period"`
		*service.Efficiency
	}
}

type assessmentOutput struct {
	Body struct {
		Period  service.Period          `json:"period"`
		Weights supervision.Weights     `json:"weights"`
		Rows    []service.AssessmentRow `json:"rows"`
	}
}

type stepsInput struct {
	From       string `query:"from" required:"true" maxLength:"10" doc:"开始日期（含）"`
	To         string `query:"to" required:"true" maxLength:"10" doc:"结束日期（含）"`
	Group      string `query:"group" enum:"department,item,hall,user,month" default:"department" doc:"统计的分组"`
	Key        string `query:"key" maxLength:"64" doc:"该分组中的一行：部门编码、事项编码、大厅编码、用户名或月份（2026-01）"`
	Department string `query:"department" maxLength:"32" doc:"统计时所限的部门"`
	Hall       string `query:"hall" maxLength:"32" doc:"只看一个大厅收件的办件（大厅负责人只能看本大厅）；分组须为部门、大厅或月份"`
	Limit      int    `query:"limit" minimum:"0" maximum:"1000" default:"100" doc:"每页条数"`
	Offset     int    `query:"offset" minimum:"0" doc:"跳过的条数"`
	Step       string `query:"step" enum:"prereview,accept,handover,supply,decide,correct,archive," doc:"环节；不填为全部"`
	Status     string `query:"status" enum:"on_time,late,overdue,running,red," doc:"on_time 按时，late 超时（含错过），overdue 超期未办，running 办理中，red 超时或超期未办；不填为计入按时率的全部"`
	By         string `query:"by" enum:"due,done," default:"due" doc:"due：按期限所在日计入期间；done：按办理日（效能中的办结数、退回数）"`
	Returned   bool   `query:"returned" doc:"只列以退回答复的受理环节（退回数的明细）"`
	Decided    bool   `query:"decided" doc:"只列作出决定的审批环节（办结数的明细）"`
	Any        bool   `query:"any" doc:"包括办理中的环节（拒收结果数的明细）"`
}

type stepsOutput struct {
	Body *service.StepList
}

type holdingCasesInput struct {
	From       string `query:"from" required:"true" maxLength:"10" doc:"开始日期（含）"`
	To         string `query:"to" required:"true" maxLength:"10" doc:"结束日期（含）"`
	Group      string `query:"group" enum:"department,item,hall,user,month" default:"department" doc:"统计的分组"`
	Key        string `query:"key" maxLength:"64" doc:"该分组中的一行：部门编码、事项编码、大厅编码、用户名或月份（2026-01）"`
	Department string `query:"department" maxLength:"32" doc:"统计时所限的部门"`
	Hall       string `query:"hall" maxLength:"32" doc:"只看一个大厅收件的办件（大厅负责人只能看本大厅）；分组须为部门、大厅或月份"`
	Limit      int    `query:"limit" minimum:"0" maximum:"1000" default:"100" doc:"每页条数"`
	Offset     int    `query:"offset" minimum:"0" doc:"跳过的条数"`
	Holder     string `query:"holder" enum:"pause,applicant,transit,issuance,department,intake," doc:"停留方；不填为全部"`
}

type holdingCasesOutput struct {
	Body *service.HoldList
}

type intakesOutput struct {
	Body *service.IntakeList
}

type cardsInput struct {
	Month      string `query:"month" required:"true" maxLength:"7" doc:"月份，如 2026-01"`
	Department string `query:"department" maxLength:"32" doc:"只看一个部门"`
}

type cardsOutput struct {
	Body struct {
		Month      string                 `json:"month"`
		Thresholds supervision.Thresholds `json:"thresholds"`
		Rows       []service.CardRow      `json:"rows"`
	}
}

type bulletinInput struct {
	Month  string `query:"month" required:"true" maxLength:"7" doc:"月份，如 2026-11；尚未开始的月份不能查询"`
	Format string `query:"format" maxLength:"8" doc:"xlsx 导出工作簿（也可用 Accept 头）；不填或 json 返回 JSON"`
	Accept string `header:"Accept" doc:"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet 时导出工作簿"`
}

type caseSupervisionInput struct {
	Number string `path:"number" maxLength:"32" doc:"办件编号"`
}

type caseSupervisionOutput struct {
	Body *service.CaseSupervision
}

type noticesInput struct {
	From       string `query:"from" maxLength:"10" doc:"开具日期起（含）"`
	To         string `query:"to" maxLength:"10" doc:"开具日期止（含）"`
	Department string `query:"department" maxLength:"32" doc:"部门编码（部门管理员只能看本部门）"`
	Status     string `query:"status" enum:"open,replied,overdue," doc:"open 待回复，replied 已回复，overdue 逾期未回复"`
	Escalated  bool   `query:"escalated" doc:"只列逾期未回复、已上报监督人员的督办单"`
	Number     string `query:"number" maxLength:"32" doc:"办件编号"`
	Limit      int    `query:"limit" minimum:"0" maximum:"500" default:"100"`
	Offset     int    `query:"offset" minimum:"0"`
}

type noticesOutput struct {
	Body *service.NoticeList
}

type openNoticeInput struct {
	Body struct {
		Number string `json:"number" maxLength:"32" doc:"办件编号"`
		Reason string `json:"reason" maxLength:"500" doc:"督办事由"`
	}
}

type noticeInput struct {
	ID int64 `path:"id" minimum:"1" doc:"督办单编号"`
}

type replyNoticeInput struct {
	ID   int64 `path:"id" minimum:"1" doc:"督办单编号"`
	Body supervision.Reply
}

type noticeOutput struct {
	Body *service.NoticeView
}

type settingsOutput struct {
	Body supervision.Settings
}

type settingsInput struct {
	Body supervision.Settings
}

func (h *Handlers) registerSupervision(a huma.API) {
	tags := []string{"督查考核"}
	read := []int{401, 403, 422}
	get := func(id, path, summary, desc string) huma.Operation {
		return huma.Operation{OperationID: id, Method: http.MethodGet, Path: path, Tags: tags, Summary: summary, Description: desc,
			Security: bearer, Errors: read}
	}
	huma.Register(a, get("supervision-punctuality", "/supervision/punctuality", "各环节按时率（按时、超时、超期未办）",
		"每个限时环节（网上预审 R13、受理 R5〔受理或退回均为答复〕、材料交接 R6〔补交纸质材料另为一次交接〕、容缺补齐 R3、审批决定 R8〔计入暂停和批准的延期〕、"+
			"结果更正 R9、归档 R12）在期间内的按时数、超时数、超期未办数，按时率 = 按时 ÷（按时 + 超时 + 超期未办）。环节按其现行期限所在日计入期间。"+
			"on_time_completion 为按时办结率（审批决定环节的按时率）。每个数字都带 cases：列出其办件的接口地址，列出的条数等于该数字。"), h.punctuality)
	huma.Register(a, get("supervision-holding", "/supervision/holding", "停留时长：每个工作小时由谁持有",
		"按工作日的工作时间（默认 9:00–17:00，可设置）把办件的每个工作小时计给当时的持有方：法定暂停、申请人、综合出件窗口、审批部门、综合受理窗口（同时适用时按此顺序取第一个）。"+
			"计入期间的是已结束的停留（下一条办件记录写入时计入）。不按人员分组。"), h.holding)
	huma.Register(a, get("supervision-efficiency", "/supervision/efficiency", "效能：用时与承诺时限、提前办结率、首日办结率、退回率、结果拒收",
		"办结数（按决定日）、已用工作日（不含暂停）与承诺工作日、提前办结率（在现行期限最后一个工作日之前决定）、受理后第一个工作日下班前决定的比例、"+
			"每百件收件的退回数及最常见的退回原因（按材料）、出件窗口拒收结果数和已更正数。"), h.efficiency)
	huma.Register(a, get("supervision-assessment", "/supervision/assessment", "考核评分：按部门或窗口人员",
		"按局管理员设置的权重（合计 100）计分：按时办结率、群众满意率、差评整改率、政务服务效能（1 − 已用 ÷ 承诺工作日）、部门协同配合（受理、材料交接、结果更正三个环节的按时率）。"+
			"没有可计量数据的指标计满分。group 为 department 或 user。"), h.assessment)
	huma.Register(a, huma.Operation{
		OperationID: "supervision-steps", Method: http.MethodGet, Path: "/supervision/steps", Tags: tags,
		Summary: "明细：一个统计数字背后的办件环节", Security: bearer, Errors: read,
		Description: "按时率、办结数、退回数、拒收数的下钻明细；参数与统计接口返回的 cases 地址一致，total 等于该数字。",
	}, h.steps)
	huma.Register(a, huma.Operation{
		OperationID: "supervision-holding-cases", Method: http.MethodGet, Path: "/supervision/holding/cases", Tags: tags,
		Summary: "明细：停留时长背后的办件（分钟数多的在前）", Security: bearer, Errors: read,
	}, h.holdingCases)
	huma.Register(a, huma.Operation{
		OperationID: "supervision-intakes", Method: http.MethodGet, Path: "/supervision/intakes", Tags: tags,
		Summary: "明细：期间内收件的办件", Security: bearer, Errors: read,
	}, h.intakes)
	huma.Register(a, huma.Operation{
		OperationID: "supervision-cards", Method: http.MethodGet, Path: "/supervision/cards", Tags: tags,
		Summary: "黄牌、红牌：各部门一个月的超期办件数和逾期未回复督办单数", Security: bearer, Errors: read,
	}, h.cards)
	huma.Register(a, huma.Operation{
		OperationID: "supervision-bulletin", Method: http.MethodGet, Path: "/supervision/bulletin", Tags: tags,
		Summary: "月度督查通报：JSON 或 xlsx 工作簿", Security: bearer, Errors: read,
		Description: "一个月的通报：当月收件数、办结数、按时办结率、群众满意率；各部门考核得分排名（各指标的数值与得分）；各部门超期办件（当月到期的环节超时办理、错过或超期未办，一件只计一次）及其办件编号；" +
			"黄牌红牌；当月开具而未在回复期限内回复的督办单。每个数字带 cases 等明细接口地址。监督人员、局管理员和部门管理员可查看（部门管理员看到的是全局印发的整份通报）。" +
			"format=xlsx 或 Accept 为 xlsx 类型时返回工作簿（工作表：概况、排名、超期办件、黄红牌、未回复督办单；流式生成，以 = + - @ 开头的单元格前加单引号）。",
		Responses: map[string]*huma.Response{"200": {
			Description: "月度督查通报",
			Content: map[string]*huma.MediaType{
				"application/json": {Schema: a.OpenAPI().Components.Schemas.Schema(reflect.TypeOf(service.Bulletin{}), true, "")},
				export.XLSXType:    {Schema: &huma.Schema{Type: "string", Format: "binary"}},
			},
		}},
	}, h.bulletin)
	huma.Register(a, huma.Operation{
		OperationID: "supervision-case", Method: http.MethodGet, Path: "/supervision/cases/{number}", Tags: tags,
		Summary: "一个办件的限时环节和停留时长（办件页的停留条）", Security: bearer, Errors: []int{401, 403, 404},
	}, h.caseSupervision)
	huma.Register(a, huma.Operation{
		OperationID: "list-supervision-notices", Method: http.MethodGet, Path: "/supervision/notices", Tags: tags,
		Summary: "督办单：待回复的在前", Security: bearer, Errors: read,
		Description: "办件某一期限超期后，下一次巡查即向部门开具督办单（每个办件每个期限一张）；监督人员也可手工开具。部门管理员在回复期限内（默认 2 个工作日）回复；" +
			"逾期未回复的变红并上报监督人员（escalated=true）。",
	}, h.notices)
	huma.Register(a, huma.Operation{
		OperationID: "open-supervision-notice", Method: http.MethodPost, Path: "/supervision/notices", Tags: tags,
		Summary: "手工开具督办单（监督人员）", Security: bearer, DefaultStatus: http.StatusCreated, Errors: []int{401, 403, 404, 409, 422},
	}, h.openNotice)
	huma.Register(a, huma.Operation{
		OperationID: "get-supervision-notice", Method: http.MethodGet, Path: "/supervision/notices/{id}", Tags: tags,
		Summary: "一张督办单", Security: bearer, Errors: []int{401, 403, 404},
	}, h.notice)
	huma.Register(a, huma.Operation{
		OperationID: "reply-supervision-notice", Method: http.MethodPost, Path: "/supervision/notices/{id}/reply", Tags: tags,
		Summary: "回复督办单（本部门的部门管理员，限一次）", Security: bearer, Errors: []int{401, 403, 404, 409, 422},
	}, h.replyNotice)
	huma.Register(a, huma.Operation{
		OperationID: "get-supervision-settings", Method: http.MethodGet, Path: "/supervision/settings", Tags: tags,
		Summary: "督查设置：考核权重、黄牌红牌阈值、督办回复期限、工作时间", Security: bearer, Errors: []int{401, 403},
	}, h.settings)
	huma.Register(a, huma.Operation{
		OperationID: "put-supervision-settings", Method: http.MethodPut, Path: "/supervision/settings", Tags: tags,
		Summary: "修改督查设置（局管理员）：权重合计须为 100", Security: bearer, Errors: []int{401, 403, 422},
	}, h.putSettings)
}

func (h *Handlers) punctuality(ctx context.Context, in *periodInput) (*punctualityOutput, error) {
	p := in.period()
	rows, err := h.svc.Supervision().Punctuality(ctx, p)
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	out := &punctualityOutput{}
	out.Body.Period, out.Body.Rows = p, nonNil(rows)
	return out, nil
}

func (h *Handlers) holding(ctx context.Context, in *periodInput) (*holdingOutput, error) {
	p := in.period()
	rows, err := h.svc.Supervision().Holding(ctx, p)
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	out := &holdingOutput{}
	out.Body.Period, out.Body.Rows = p, nonNil(rows)
	return out, nil
}

func (h *Handlers) efficiency(ctx context.Context, in *periodInput) (*efficiencyOutput, error) {
	p := in.period()
	e, err := h.svc.Supervision().Efficiency(ctx, p)
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	e.Rows, e.ReturnReasons = nonNil(e.Rows), nonNil(e.ReturnReasons)
	out := &efficiencyOutput{}
	out.Body.Period, out.Body.Efficiency = p, e
	return out, nil
}

func (h *Handlers) assessment(ctx context.Context, in *periodInput) (*assessmentOutput, error) {
	p := in.period()
	rows, err := h.svc.Supervision().Assessment(ctx, p)
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	set, err := h.svc.Supervision().Settings(ctx)
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	out := &assessmentOutput{}
	out.Body.Period, out.Body.Weights, out.Body.Rows = p, set.Weights, nonNil(rows)
	return out, nil
}

func (h *Handlers) steps(ctx context.Context, in *stepsInput) (*stepsOutput, error) {
	list, err := h.svc.Supervision().Steps(ctx, service.StepQuery{
		Period: in.period(), GroupKey: in.Key, Step: supervision.Kind(in.Step), Status: supervision.Status(in.Status),
		ByDone: in.By == "done", Returned: in.Returned, Decided: in.Decided, Any: in.Any, Limit: in.Limit, Offset: in.Offset,
	})
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	list.Steps = nonNil(list.Steps)
	return &stepsOutput{Body: list}, nil
}

func (h *Handlers) holdingCases(ctx context.Context, in *holdingCasesInput) (*holdingCasesOutput, error) {
	list, err := h.svc.Supervision().HoldingCases(ctx, in.period(), in.Key, supervision.Holder(in.Holder), in.Limit, in.Offset)
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	list.Cases = nonNil(list.Cases)
	return &holdingCasesOutput{Body: list}, nil
}

func (h *Handlers) intakes(ctx context.Context, in *drillInput) (*intakesOutput, error) {
	list, err := h.svc.Supervision().Intakes(ctx, in.period(), in.Key, in.Limit, in.Offset)
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	list.Numbers = nonNil(list.Numbers)
	return &intakesOutput{Body: list}, nil
}

func (h *Handlers) cards(ctx context.Context, in *cardsInput) (*cardsOutput, error) {
	rows, err := h.svc.Supervision().Cards(ctx, in.Month, in.Department)
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	set, err := h.svc.Supervision().Settings(ctx)
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	out := &cardsOutput{}
	out.Body.Month, out.Body.Thresholds, out.Body.Rows = in.Month, set.Thresholds, nonNil(rows)
	return out, nil
}

// bulletin answers the month's bulletin as JSON or as the workbook. The
// bulletin is read (every check made) before the first byte, so that a
// refusal is a problem document, never half a file.
func (h *Handlers) bulletin(ctx context.Context, in *bulletinInput) (*huma.StreamResponse, error) {
	var xlsx bool
	switch strings.ToLower(strings.TrimSpace(in.Format)) {
	case "":
		f, ok := export.FromAccept(in.Accept)
		xlsx = ok && f == export.XLSX
	case "json":
	case string(export.XLSX):
		xlsx = true
	default:
		return nil, h.fail(ctx, apperr.Field("format", "通报只能导出为 xlsx 工作簿（或不填，返回 JSON）"))
	}
	b, err := h.svc.Supervision().Bulletin(ctx, in.Month)
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	if !xlsx {
		b.Indicators, b.Ranking, b.Late, b.Cards, b.Unanswered = nonNil(b.Indicators), nonNil(b.Ranking), nonNil(b.Late), nonNil(b.Cards), nonNil(b.Unanswered)
		body, err := json.Marshal(b)
		if err != nil {
			return nil, h.fail(ctx, apperr.Wrap(err, "bulletin"))
		}
		return &huma.StreamResponse{Body: func(hc huma.Context) {
			hc.SetHeader("Content-Type", "application/json")
			hc.SetStatus(http.StatusOK)
			_, _ = hc.BodyWriter().Write(body)
		}}, nil
	}
	return &huma.StreamResponse{Body: func(hc huma.Context) {
		hc.SetHeader("Content-Type", export.XLSXType)
		hc.SetHeader("Content-Disposition", "attachment; filename=\"bulletin-"+b.Month+".xlsx\"; filename*=UTF-8''"+url.PathEscape(b.FileName()))
		hc.SetHeader("Cache-Control", "no-store")
		hc.SetStatus(http.StatusOK)
		if err := b.WriteXLSX(hc.BodyWriter()); err != nil {
			// The header is out: the client sees a cut-off file.
			h.log.Error("bulletin export failed", "month", b.Month, "err", err, "request_id", service.RequestFrom(ctx).ID)
		}
	}}, nil
}

func (h *Handlers) caseSupervision(ctx context.Context, in *caseSupervisionInput) (*caseSupervisionOutput, error) {
	c, err := h.svc.Supervision().Case(ctx, in.Number)
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	c.Steps, c.Bar = nonNil(c.Steps), nonNil(c.Bar)
	return &caseSupervisionOutput{Body: c}, nil
}

func (h *Handlers) notices(ctx context.Context, in *noticesInput) (*noticesOutput, error) {
	list, err := h.svc.Supervision().Notices(ctx, service.NoticeQuery{From: in.From, To: in.To, Department: in.Department,
		Status: supervision.NoticeStatus(in.Status), Escalated: in.Escalated, Number: in.Number, Limit: in.Limit, Offset: in.Offset})
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	return &noticesOutput{Body: list}, nil
}

func (h *Handlers) openNotice(ctx context.Context, in *openNoticeInput) (*noticeOutput, error) {
	n, err := h.svc.Supervision().OpenNotice(ctx, in.Body.Number, in.Body.Reason)
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	return &noticeOutput{Body: n}, nil
}

func (h *Handlers) notice(ctx context.Context, in *noticeInput) (*noticeOutput, error) {
	n, err := h.svc.Supervision().Notice(ctx, in.ID)
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	return &noticeOutput{Body: n}, nil
}

func (h *Handlers) replyNotice(ctx context.Context, in *replyNoticeInput) (*noticeOutput, error) {
	n, err := h.svc.Supervision().ReplyNotice(ctx, in.ID, in.Body)
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	return &noticeOutput{Body: n}, nil
}

func (h *Handlers) settings(ctx context.Context, _ *struct{}) (*settingsOutput, error) {
	set, err := h.svc.Supervision().Settings(ctx)
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	return &settingsOutput{Body: set}, nil
}

func (h *Handlers) putSettings(ctx context.Context, in *settingsInput) (*settingsOutput, error) {
	if err := h.svc.Supervision().SaveSettings(ctx, in.Body); err != nil {
		return nil, h.fail(ctx, err)
	}
	return &settingsOutput{Body: in.Body}, nil
}

// nonNil returns s, or an empty slice for nil: lists are [] in JSON.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
