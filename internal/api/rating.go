package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/rating"
	"github.com/onewindow/onewindow/internal/service"
)

// RatingOut is a rating as the API shows it; the rater's name and phone
// are masked.
type RatingOut struct {
	rating.Rating
	LevelLabel string `json:"level_label" doc:"评价等级的中文名"`
	Bad        bool   `json:"bad" doc:"是否差评（不满意、非常不满意）"`
}

func ratingOut(r *rating.Rating) *RatingOut {
	return &RatingOut{Rating: *r, LevelLabel: r.Level.Label(), Bad: r.Level.Bad()}
}

type ratingReceiptOutput struct {
	Body struct {
		Rating    *RatingOut `json:"rating"`
		Key       string     `json:"key" doc:"追加评价凭证：8 位字母和数字（如 ABCD-2345，不含易混的 0、O、1、I），只显示这一次，请抄下或截图保存"`
		AddBy     time.Time  `json:"add_by" doc:"可追加评价至此时"`
		RectifyBy time.Time  `json:"rectify_by,omitzero" doc:"差评的整改期限"`
	}
}

func receiptOut(r *service.RatingReceipt) *ratingReceiptOutput {
	out := &ratingReceiptOutput{}
	out.Body.Rating, out.Body.Key, out.Body.AddBy, out.Body.RectifyBy = ratingOut(&r.Rating), r.Key, r.AddBy, r.RectifyBy
	return out
}

type rateCaseInput struct {
	Number string `path:"number" maxLength:"32" doc:"办件编号"`
	Body   struct {
		CheckCode string `json:"check_code" maxLength:"40" doc:"收件通知书上的查询码"`
		rating.Input
	}
}

type rateVisitInput struct {
	Body struct {
		Token string `json:"token" maxLength:"100" doc:"窗口办结时发放的一次性评价码"`
		rating.Input
	}
}

type additionInput struct {
	ID   int64 `path:"id" minimum:"1" doc:"评价编号"`
	Body struct {
		Key       string `json:"key,omitempty" maxLength:"100" doc:"评价时取得的追加评价凭证（不区分大小写，可省略连字符）；错误次数过多时暂停受理（429）"`
		CheckCode string `json:"check_code,omitempty" maxLength:"40" doc:"办件评价也可凭办件查询码追加"`
		rating.AdditionInput
	}
}

type ratingOutput struct {
	Body *RatingOut
}

// RectificationOut is a rectification as the API shows it.
type RectificationOut struct {
	rating.Rectification
	Status         rating.State     `json:"status" enum:"open,in_progress,confirming,done,explained,appealed,upheld,overdue" doc:"显示状态：运行中的整改单超过期限即为 overdue（整改超期）"`
	StatusLabel    string           `json:"status_label" doc:"显示状态的中文名"`
	Warning        calendar.Warning `json:"warning" enum:"none,yellow,red" doc:"预警：red 已超期，yellow 临近期限"`
	AllowedActions []rating.Action  `json:"allowed_actions" doc:"当前登录账号现在可执行的操作"`
	Rating         *RatingOut       `json:"rating,omitempty" doc:"被整改的评价（评价人信息已脱敏）"`
}

func rectificationOut(v *service.RectificationView) *RectificationOut {
	out := &RectificationOut{
		Rectification: *v.Rectification, Status: v.Status, StatusLabel: v.Status.Label(), Warning: v.Warning,
		AllowedActions: nonNilSlice(v.Allowed),
	}
	if v.Rating != nil {
		out.Rating = ratingOut(v.Rating)
	}
	return out
}

type rectificationsInput struct {
	State      string `query:"state" enum:"open,in_progress,confirming,done,explained,appealed,upheld,overdue," doc:"整改状态；overdue 为整改超期"`
	Department string `query:"department" doc:"部门编码（部门人员只能看本部门）"`
}

type rectificationsOutput struct {
	Body struct {
		Rectifications []*RectificationOut `json:"rectifications"`
	}
}

type rectificationInput struct {
	ID int64 `path:"id" minimum:"1" doc:"整改单编号"`
}

type rectificationOutput struct {
	Body *RectificationOut
}

type rectActionInput struct {
	ID   int64 `path:"id" minimum:"1" doc:"整改单编号"`
	Body struct {
		rating.StepInput
		Version int `json:"version,omitempty" minimum:"0" doc:"您看到的整改单版本号；已被他人修改时返回 409"`
	}
}

type ratesInput struct {
	From  string `query:"from" required:"true" doc:"开始日期（含），如 2026-09-01"`
	To    string `query:"to" required:"true" doc:"结束日期（含），如 2026-09-30"`
	Group string `query:"group" enum:"department,window,clerk,hall" default:"department" doc:"统计维度"`
}

// RateOut is one group's rates; a rate is null when it has nothing to
// count.
type RateOut struct {
	rating.Rate
	SatisfactionRate  *float64 `json:"satisfaction_rate" doc:"满意率：非差评数 / 评价总数（不含申诉成立的评价）"`
	RectificationRate *float64 `json:"rectification_rate" doc:"实名差评整改率：整改完成或已说明的实名差评 / 实名差评总数"`
}

type ratesOutput struct {
	Body struct {
		From  calendar.Date  `json:"from"`
		To    calendar.Date  `json:"to"`
		Group rating.GroupBy `json:"group"`
		Rates []RateOut      `json:"rates"`
	}
}

// rectActionDocs says, per action, which fields it reads.
var rectActionDocs = map[rating.Action]string{
	rating.ActVerify:   "被评价的部门（窗口的由局管理员）核实差评：note 填写核实情况。",
	rating.ActRectify:  "报告整改完成：note 填写整改措施；实名差评须回访，follow_up（visit|phone）与 follow_up_result 必填。整改单转为待督查确认（confirming），由监督人员确认后办结。",
	rating.ActExplain:  "报告无法整改：note 说明原因；实名差评须回访，follow_up 与 follow_up_result 必填。整改单转为待督查确认（confirming），由监督人员确认后办结。",
	rating.ActAppeal:   "被评价方认为误评或恶意评价时申诉：note 填写申诉理由，由监督人员审核。",
	rating.ActUphold:   "监督人员认定申诉成立：该评价不计入满意率和整改率，整改单关闭。note 填写审核意见。",
	rating.ActReject:   "监督人员认定申诉不成立：整改继续（整改中），期限不变。note 填写审核意见。",
	rating.ActConfirm:  "监督人员（部门整改单也可由局管理员）确认被评价方报告的结果（proposed：done 整改完成或 explained 无法整改），整改单办结，计入实名差评整改率。note 选填。",
	rating.ActSendBack: "监督人员（部门整改单也可由局管理员）退回整改：note 填写退回理由，整改单回到整改中，期限不变。",
}

func (h *Handlers) registerRatings(a huma.API) {
	huma.Register(a, huma.Operation{
		OperationID: "rate-case", Method: http.MethodPost, Path: "/ratings/cases/{number}", Tags: []string{"好差评"},
		Summary: "办件网上评价（凭查询码，每件一次）",
		Description: "办件送达、归档或办结后，申请人凭收件通知书上的查询码评价，无需登录；工作人员账号不能代为评价（403）。" +
			"已评价的返回 409；差评（level 1、2）即时生成整改单，返回整改期限。返回的 key 用于追加评价，只显示这一次。",
		DefaultStatus: http.StatusCreated, Errors: []int{403, 404, 409, 422, 429},
	}, h.rateCase)
	huma.Register(a, huma.Operation{
		OperationID: "rate-visit", Method: http.MethodPost, Path: "/ratings/visits", Tags: []string{"好差评"},
		Summary: "现场服务评价（凭一次性评价码，每次服务一次）",
		Description: "窗口办结后评价器上的评价：token 为办结时发放的一次性评价码，无需登录；工作人员账号不能代为评价（403）。" +
			"评价码已用过或过期的返回 409。",
		DefaultStatus: http.StatusCreated, Errors: []int{403, 404, 409, 422},
	}, h.rateVisit)
	huma.Register(a, huma.Operation{
		OperationID: "add-to-rating", Method: http.MethodPost, Path: "/ratings/additions/{id}", Tags: []string{"好差评"},
		Summary:     "追加评价（评价后 7 日内，限一次）",
		Description: "凭评价时取得的 key（办件评价也可凭查询码）追加标签和内容；不能修改评价等级，原评价不变。",
		Errors:      []int{403, 404, 409, 422, 429},
	}, h.addToRating)
	huma.Register(a, huma.Operation{
		OperationID: "list-rectifications", Method: http.MethodGet, Path: "/rectifications", Tags: []string{"差评整改"},
		Summary: "差评整改单：期限最近的在前", Security: bearer, Errors: []int{401, 403, 422},
	}, h.listRectifications)
	huma.Register(a, huma.Operation{
		OperationID: "get-rectification", Method: http.MethodGet, Path: "/rectifications/{id}", Tags: []string{"差评整改"},
		Summary: "一张整改单：状态、期限、预警、记录和评价", Security: bearer, Errors: []int{401, 403, 404},
	}, h.getRectification)
	for _, action := range rating.Actions() {
		huma.Register(a, huma.Operation{
			OperationID: "rectification-" + string(action), Method: http.MethodPost, Path: "/rectifications/{id}/" + string(action),
			Tags: []string{"差评整改"}, Summary: action.Label() + "（" + string(action) + "）",
			Description: rectActionDocs[action] + " 当前状态不允许时返回 409。",
			Security:    bearer, Errors: []int{401, 403, 404, 409, 422},
		}, h.actOnRectification(action))
	}
	huma.Register(a, huma.Operation{
		OperationID: "rating-rates", Method: http.MethodGet, Path: "/ratings/rates", Tags: []string{"好差评"},
		Summary: "满意率和实名差评整改率（监督人员、局管理员）", Security: bearer, Errors: []int{401, 403, 422},
	}, h.rates)
}

func (h *Handlers) rateCase(ctx context.Context, in *rateCaseInput) (*ratingReceiptOutput, error) {
	r, err := h.svc.RateCase(ctx, in.Number, in.Body.CheckCode, in.Body.Input)
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	return receiptOut(r), nil
}

func (h *Handlers) rateVisit(ctx context.Context, in *rateVisitInput) (*ratingReceiptOutput, error) {
	r, err := h.svc.RateVisit(ctx, in.Body.Token, in.Body.Input)
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	return receiptOut(r), nil
}

func (h *Handlers) addToRating(ctx context.Context, in *additionInput) (*ratingOutput, error) {
	r, err := h.svc.AddToRating(ctx, in.ID, in.Body.Key, in.Body.CheckCode, in.Body.AdditionInput)
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	return &ratingOutput{Body: ratingOut(r)}, nil
}

func (h *Handlers) listRectifications(ctx context.Context, in *rectificationsInput) (*rectificationsOutput, error) {
	list, err := h.svc.Rectifications(ctx, service.RectificationFilter{State: rating.State(in.State), Department: in.Department})
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	out := &rectificationsOutput{}
	out.Body.Rectifications = []*RectificationOut{}
	for _, v := range list {
		out.Body.Rectifications = append(out.Body.Rectifications, rectificationOut(v))
	}
	return out, nil
}

func (h *Handlers) getRectification(ctx context.Context, in *rectificationInput) (*rectificationOutput, error) {
	v, err := h.svc.Rectification(ctx, in.ID)
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	return &rectificationOutput{Body: rectificationOut(v)}, nil
}

func (h *Handlers) actOnRectification(action rating.Action) func(context.Context, *rectActionInput) (*rectificationOutput, error) {
	return func(ctx context.Context, in *rectActionInput) (*rectificationOutput, error) {
		v, err := h.svc.ActOnRectification(ctx, in.ID, action, in.Body.StepInput, in.Body.Version)
		if err != nil {
			return nil, h.fail(ctx, err)
		}
		return &rectificationOutput{Body: rectificationOut(v)}, nil
	}
}

func (h *Handlers) rates(ctx context.Context, in *ratesInput) (*ratesOutput, error) {
	from, errFrom := calendar.ParseDate(in.From)
	to, errTo := calendar.ParseDate(in.To)
	var errs apperr.Collector
	errs.Check(errFrom == nil, "from", "开始日期须为 YYYY-MM-DD")
	errs.Check(errTo == nil, "to", "结束日期须为 YYYY-MM-DD")
	if err := errs.Err("统计期间有误"); err != nil {
		return nil, h.fail(ctx, err)
	}
	group := rating.GroupBy(in.Group)
	rates, err := h.svc.Rates(ctx, from.At(0, 0), to.AddDays(1).At(0, 0), group)
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	out := &ratesOutput{}
	out.Body.From, out.Body.To, out.Body.Group, out.Body.Rates = from, to, group, []RateOut{}
	for _, r := range rates {
		ro := RateOut{Rate: r}
		if v, ok := r.Satisfaction(); ok {
			ro.SatisfactionRate = &v
		}
		if v, ok := r.Rectification(); ok {
			ro.RectificationRate = &v
		}
		out.Body.Rates = append(out.Body.Rates, ro)
	}
	return out, nil
}
