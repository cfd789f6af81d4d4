package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/onewindow/onewindow/internal/network"
	"github.com/onewindow/onewindow/internal/service"
)

// The street and community network (issue 15 items 1 and 2): each hall's
// items, decisions and issuance, and the batches that carry paper from a
// street or community hall to the district hall.

type hallPath struct {
	Code string `path:"code" maxLength:"32" doc:"大厅编码"`
}

type scopeBody struct {
	Hall    string          `json:"hall" doc:"大厅编码"`
	Name    string          `json:"hall_name" doc:"大厅名称"`
	Level   string          `json:"level" doc:"district 区级；street 街道；community 社区"`
	Scope   network.Scope   `json:"scope" doc:"现行事项范围（version 为 0 表示从未发布，使用默认：收取全部事项、出件）"`
	Transit string          `json:"transit,omitempty" doc:"本大厅的交接规则（文字）；区政务服务中心无"`
	History []network.Scope `json:"versions" doc:"已发布的各版，新版在前"`
}

type scopeOutput struct {
	Body scopeBody
}

type publishScopeInput struct {
	Code string `path:"code" maxLength:"32" doc:"大厅编码"`
	Body service.PublishScopeInput
}

type batchesInput struct {
	State string `query:"state" enum:"prepared,in_transit,arrived," doc:"按状态筛选"`
	Cargo string `query:"cargo" enum:"paper,result,receipt," doc:"按交接物筛选：paper 纸质申请材料；result 办理结果；receipt 送达回执"`
}

type waitingInput struct {
	Cargo string `query:"cargo" enum:"paper,result,receipt," doc:"按交接物筛选：paper 纸质申请材料；result 办理结果；receipt 送达回执（默认：本窗口办理的全部交接物）"`
}

type batchPath struct {
	Number string `path:"number" maxLength:"32" doc:"批次号"`
}

// batchBody is a batch with its halls and people named and its totals.
type batchBody struct {
	Number      string             `json:"number" doc:"批次号"`
	Cargo       network.Cargo      `json:"cargo" doc:"paper 纸质申请材料；result 办理结果；receipt 送达回执"`
	From        string             `json:"from" doc:"发出大厅编码"`
	FromName    string             `json:"from_name" doc:"发出大厅"`
	To          string             `json:"to" doc:"接收大厅编码"`
	ToName      string             `json:"to_name" doc:"接收大厅"`
	Run         time.Time          `json:"run" doc:"交接班次"`
	State       network.BatchState `json:"state" doc:"prepared 已组批；in_transit 在途；arrived 已签收"`
	Entries     []network.Entry    `json:"entries" doc:"随批办件及材料"`
	Counts      network.Counts     `json:"counts" doc:"合计：办件数、材料种数、原件份数、复印件份数"`
	Problems    []network.Problem  `json:"problems,omitempty" doc:"签收时登记的缺失、损毁材料"`
	PreparedAt  time.Time          `json:"prepared_at"`
	PreparedBy  string             `json:"prepared_by" doc:"组批人"`
	SignedOutAt time.Time          `json:"signed_out_at,omitzero"`
	SignedOutBy string             `json:"signed_out_by,omitempty" doc:"签出人"`
	Courier     string             `json:"courier,omitempty" doc:"交接人（送件人）"`
	SignedInAt  time.Time          `json:"signed_in_at,omitzero"`
	SignedInBy  string             `json:"signed_in_by,omitempty" doc:"签收人"`
}

func batchOf(v *service.BatchView) batchBody {
	return batchBody{Number: v.Number, Cargo: v.Cargo, From: v.From, FromName: v.FromName, To: v.To, ToName: v.ToName,
		Run: v.Run, State: v.State, Entries: v.Entries, Counts: v.Counts, Problems: v.Problems,
		PreparedAt: v.PreparedAt, PreparedBy: v.PreparedName, SignedOutAt: v.OutAt, SignedOutBy: v.OutName, Courier: v.Courier,
		SignedInAt: v.InAt, SignedInBy: v.InName}
}

type batchOutput struct {
	Body batchBody
}

type batchListOutput struct {
	Body struct {
		Batches []batchBody `json:"batches"`
	}
}

type prepareBatchInput struct {
	Body struct {
		Cargo   string `json:"cargo,omitempty" enum:"paper,result,receipt," doc:"交接物：paper 纸质申请材料（默认，综合受理窗口）；result 办理结果（区政务服务中心综合出件窗口送往领取大厅）；receipt 送达回执（领取大厅综合出件窗口送回区政务服务中心）"`
		To      string `json:"to" maxLength:"32" doc:"接收大厅编码：纸质材料和送达回执送区政务服务中心，办理结果送领取大厅"`
		Confirm bool   `json:"confirm" doc:"确认组批（须为 true）"`
	}
}

type signOutInput struct {
	Number string `path:"number" maxLength:"32" doc:"批次号"`
	Body   struct {
		Courier string `json:"courier" maxLength:"50" doc:"交接人（送件人）姓名"`
		Confirm bool   `json:"confirm" doc:"确认签出（须为 true）"`
	}
}

type signInInput struct {
	Number string `path:"number" maxLength:"32" doc:"批次号"`
	Body   struct {
		Problems []network.Problem `json:"problems,omitempty" maxItems:"200" doc:"缺失或损毁的材料；所涉办件的材料退回收件大厅"`
		Confirm  bool              `json:"confirm" doc:"确认签收（须为 true）"`
	}
}

type waitingPaperGroup struct {
	Cargo   network.Cargo   `json:"cargo" doc:"paper 纸质申请材料；result 办理结果；receipt 送达回执"`
	To      string          `json:"to"`
	ToName  string          `json:"to_name"`
	Run     time.Time       `json:"run" doc:"搭乘的交接班次"`
	Entries []network.Entry `json:"entries"`
}

type waitingPaperOutput struct {
	Body struct {
		Hall     string              `json:"hall"`
		Transit  string              `json:"transit" doc:"本大厅纸质材料的交接规则"`
		Results  string              `json:"results,omitempty" doc:"办理结果送往领取大厅的交接规则（区政务服务中心）"`
		Receipts string              `json:"receipts,omitempty" doc:"送达回执送回区政务服务中心的交接规则（街道、社区大厅）"`
		Groups   []waitingPaperGroup `json:"groups" doc:"按接收大厅和班次分组的待交接材料"`
	}
}

func (h *Handlers) registerNetwork(a huma.API) {
	tags := []string{"街道社区网络"}
	huma.Register(a, huma.Operation{
		OperationID: "get-hall-scope", Method: http.MethodGet, Path: "/halls/{code}/scope", Tags: tags,
		Summary:     "大厅的事项范围（事项下沉）",
		Description: "本大厅收取的事项、可当场办结的即办事项、是否出件，以及交接截止时间和班次。局管理员、监督人员可查看各大厅；窗口人员和大厅负责人只能查看本大厅。",
		Security:    bearer, Errors: []int{401, 403, 404},
	}, h.hallScope)
	huma.Register(a, huma.Operation{
		OperationID: "publish-hall-scope", Method: http.MethodPost, Path: "/halls/{code}/scope", Tags: tags,
		Summary:     "发布大厅事项范围的新版本（局管理员）",
		Description: "以 base_version 为基础发布下一版，立即对此后的收件生效。区政务服务中心默认收取全部事项（含新增事项），须出件。",
		Security:    bearer, DefaultStatus: http.StatusCreated, Errors: []int{401, 403, 404, 409, 422},
	}, h.publishScope)
	huma.Register(a, huma.Operation{
		OperationID: "list-waiting-paper", Method: http.MethodGet, Path: "/transit/waiting", Tags: tags,
		Summary:     "本大厅待交接的纸质材料、办理结果和送达回执（按班次）",
		Description: "街道、社区收件的区级部门办件，其纸质材料按本大厅的截止时间搭乘交接班次送区政务服务中心（默认：工作日 15:00 前收件的，搭乘下一个工作日 10:00 的班次）。在街道、社区领取的办件，部门提交的办理结果在区政务服务中心综合出件窗口按区政务服务中心的截止时间和班次送往领取大厅；领取后申请人签收的送达回执按领取大厅的班次送回区政务服务中心归档。cargo 筛选交接物；综合受理窗口只办理纸质材料，办理结果和送达回执由综合出件窗口办理。",
		Security:    bearer, Errors: []int{401, 403},
	}, h.waitingPaper)
	huma.Register(a, huma.Operation{
		OperationID: "list-batches", Method: http.MethodGet, Path: "/transit/batches", Tags: tags,
		Summary: "交接批次", Description: "窗口人员和大厅负责人看到发出或送达本大厅的批次（窗口人员只看到本窗口办理的交接物）；局管理员、监督人员看到全部。cargo、state 筛选。",
		Security: bearer, Errors: []int{401, 403},
	}, h.batches)
	huma.Register(a, huma.Operation{
		OperationID: "prepare-batch", Method: http.MethodPost, Path: "/transit/batches", Tags: tags,
		Summary:     "组批（发出大厅的窗口人员）",
		Description: "把本大厅送往 to 的、下一班次及此前班次的待交接物（cargo，默认纸质材料）编为一个批次，打印交接单。办理结果和送达回执由综合出件窗口组批。",
		Security:    bearer, DefaultStatus: http.StatusCreated, Errors: []int{401, 403, 409, 422},
	}, h.prepareBatch)
	huma.Register(a, huma.Operation{
		OperationID: "get-batch", Method: http.MethodGet, Path: "/transit/batches/{number}", Tags: tags,
		Summary: "一个交接批次", Security: bearer, Errors: []int{401, 403, 404},
	}, h.batch)
	huma.Register(a, huma.Operation{
		OperationID: "sign-out-batch", Method: http.MethodPost, Path: "/transit/batches/{number}/sign-out", Tags: tags,
		Summary: "签出（发出大厅的窗口人员）", Security: bearer, Errors: []int{401, 403, 404, 409, 422},
	}, h.signOut)
	huma.Register(a, huma.Operation{
		OperationID: "sign-in-batch", Method: http.MethodPost, Path: "/transit/batches/{number}/sign-in", Tags: tags,
		Summary:     "签收（接收大厅的窗口人员）",
		Description: "纸质材料：完好送达的办件自签收时起计算部门的材料交接时限（R6）。办理结果：签收后领取大厅方可核验接收结果。送达回执：签收后部门开始计算归档时限（R12，1 个工作日）。缺失或损毁的登记在批次上，所涉办件退回发出大厅重新交接。申请人的期限不因交接而延长。",
		Security:    bearer, Errors: []int{401, 403, 404, 409, 422},
	}, h.signIn)
}

func (h *Handlers) hallScope(ctx context.Context, in *hallPath) (*scopeOutput, error) {
	v, err := h.svc.HallScope(ctx, in.Code)
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	return &scopeOutput{Body: scopeBody{Hall: v.Hall.Code, Name: v.Hall.Name, Level: string(v.Hall.Level), Scope: v.Scope, Transit: v.Transit, History: v.Versions}}, nil
}

func (h *Handlers) publishScope(ctx context.Context, in *publishScopeInput) (*scopeOutput, error) {
	in.Body.Hall = in.Code
	v, err := h.svc.PublishHallScope(ctx, in.Body)
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	return &scopeOutput{Body: scopeBody{Hall: v.Hall.Code, Name: v.Hall.Name, Level: string(v.Hall.Level), Scope: v.Scope, Transit: v.Transit, History: v.Versions}}, nil
}

func (h *Handlers) waitingPaper(ctx context.Context, in *waitingInput) (*waitingPaperOutput, error) {
	w, err := h.svc.WaitingAtMyHall(ctx, network.Cargo(in.Cargo))
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	out := &waitingPaperOutput{}
	out.Body.Hall, out.Body.Transit, out.Body.Results, out.Body.Receipts = w.Hall.Code, w.Transit, w.Results, w.Receipts
	out.Body.Groups = []waitingPaperGroup{}
	for _, g := range w.Groups {
		out.Body.Groups = append(out.Body.Groups, waitingPaperGroup{Cargo: g.Cargo, To: g.To, ToName: g.ToName, Run: g.Run, Entries: g.Entries})
	}
	return out, nil
}

func (h *Handlers) batches(ctx context.Context, in *batchesInput) (*batchListOutput, error) {
	list, err := h.svc.Batches(ctx, network.BatchState(in.State), network.Cargo(in.Cargo))
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	out := &batchListOutput{}
	out.Body.Batches = []batchBody{}
	for i := range list {
		out.Body.Batches = append(out.Body.Batches, batchOf(&list[i]))
	}
	return out, nil
}

func (h *Handlers) prepareBatch(ctx context.Context, in *prepareBatchInput) (*batchOutput, error) {
	v, err := h.svc.PrepareBatch(ctx, service.PrepareBatchInput{Cargo: network.Cargo(in.Body.Cargo), To: in.Body.To, Confirm: in.Body.Confirm})
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	return &batchOutput{Body: batchOf(v)}, nil
}

func (h *Handlers) batch(ctx context.Context, in *batchPath) (*batchOutput, error) {
	v, err := h.svc.Batch(ctx, in.Number)
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	return &batchOutput{Body: batchOf(v)}, nil
}

func (h *Handlers) signOut(ctx context.Context, in *signOutInput) (*batchOutput, error) {
	v, err := h.svc.SignOutBatch(ctx, in.Number, service.SignOutInput{Courier: in.Body.Courier, Confirm: in.Body.Confirm})
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	return &batchOutput{Body: batchOf(v)}, nil
}

func (h *Handlers) signIn(ctx context.Context, in *signInInput) (*batchOutput, error) {
	v, err := h.svc.SignInBatch(ctx, in.Number, service.SignInInput{Problems: in.Body.Problems, Confirm: in.Body.Confirm})
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	return &batchOutput{Body: batchOf(v)}, nil
}
