package api

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/onewindow/onewindow/internal/queue"
	"github.com/onewindow/onewindow/internal/service"
)

// TicketOut is a ticket as the API shows it; the ID number is masked.
type TicketOut struct {
	queue.Ticket
	StateLabel     string              `json:"state_label" doc:"状态的中文名"`
	CategoryName   string              `json:"category_name" doc:"取号类别名称"`
	Ahead          int                 `json:"ahead" doc:"同类别中排在前面的等候人数（不计公平规则，为上限）"`
	AllowedActions []queue.Action      `json:"allowed_actions" doc:"当前状态允许的操作"`
	Events         []queue.TicketEvent `json:"events,omitempty" doc:"排队记录（仅工作人员可见）"`
	Cases          []string            `json:"cases,omitempty" doc:"本次办理关联的办件编号（仅工作人员可见）"`
}

func ticketOut(v *service.TicketView) *TicketOut {
	return &TicketOut{Ticket: *v.Ticket, StateLabel: v.Ticket.State.Label(), CategoryName: v.CategoryName, Ahead: v.Ahead,
		AllowedActions: nonNilSlice(v.Allowed), Events: v.Events, Cases: v.Cases}
}

// WindowOut is a window's queue state after an action, with the ticket
// acted on.
type WindowOut struct {
	Window *queue.Window `json:"window"`
	Ticket *TicketOut    `json:"ticket,omitempty"`
	// RatingPadUntil is set when a visit is finished: until when the
	// window's rating pad waits for the applicant's rating.
	RatingPadUntil *time.Time `json:"rating_pad_until,omitempty" doc:"办结时：本窗口评价器等候申请人评价的截止时间"`
}

type ticketOutput struct {
	Location string `header:"Location"`
	Body     *TicketOut
}

type windowOutput struct{ Body *WindowOut }

type takeTicketInput struct {
	Body struct {
		Hall     string         `json:"hall" maxLength:"32" doc:"大厅编码"`
		Category string         `json:"category" maxLength:"16" doc:"取号类别编码"`
		IDNumber string         `json:"id_number,omitempty" maxLength:"32" doc:"居民身份证号码（可选，用于关联本人办件；输出时遮盖）"`
		Phone    string         `json:"phone,omitempty" maxLength:"20" doc:"手机号码（可选）：前面只剩大厅设定的位数时发一条短信提醒（每个号一次）；不在输出中出现"`
		Priority queue.Priority `json:"priority,omitempty" enum:"normal,appointment,elderly,disability,service_member" doc:"优先类别，默认 normal"`
	}
}

type ticketInput struct {
	ID int64 `path:"id" doc:"票据编号"`
}

type windowInput struct {
	Hall   string `path:"hall" maxLength:"32" doc:"大厅编码"`
	Number string `path:"number" maxLength:"16" doc:"窗口号"`
}

// noShowInput and transferInput spell out the window's path fields: huma
// fills no path parameter of an embedded unexported struct (it skipped
// them, and the OpenAPI listed none).
type noShowInput struct {
	Hall   string `path:"hall" maxLength:"32" doc:"大厅编码"`
	Number string `path:"number" maxLength:"16" doc:"窗口号"`
	Body   struct {
		Reason queue.NoShowReason `json:"reason" enum:"absent,left,duplicate,wrong" doc:"过号原因：absent 叫号未到，left 已离开，duplicate 重复取号，wrong 取错类别且不愿转办"`
	}
}

type transferInput struct {
	Hall   string `path:"hall" maxLength:"32" doc:"大厅编码"`
	Number string `path:"number" maxLength:"16" doc:"窗口号"`
	Body   struct {
		ToWindow   string `json:"to_window,omitempty" maxLength:"16" doc:"转到本大厅的窗口号"`
		ToCategory string `json:"to_category,omitempty" maxLength:"16" doc:"转到本大厅的取号类别"`
	}
}

type hallInput struct {
	Hall string `path:"hall" maxLength:"32" doc:"大厅编码"`
}

type waitingOutput struct {
	Body struct {
		Hall       string                 `json:"hall"`
		Categories []service.WaitingCount `json:"categories"`
	}
}

func (h *Handlers) registerQueue(a huma.API) {
	tags := []string{"排队叫号"}
	huma.Register(a, huma.Operation{
		OperationID: "take-ticket", Method: http.MethodPost, Path: "/queue/tickets", Tags: tags,
		Summary: "取号（取号机，无需登录）",
		Description: "取号机是大厅内无人值守的设备，不保存令牌，取号无需登录（暂未限流）。仅在工作日的取号时段内、每日放号上限内取号；" +
			"填写身份证号码的，同一证件在同一大厅同一天只能有一个未办结的号。返回号码和前面的等候人数。",
		DefaultStatus: http.StatusCreated, Errors: []int{404, 409, 422},
	}, h.takeTicket)
	huma.Register(a, huma.Operation{
		OperationID: "get-ticket", Method: http.MethodGet, Path: "/queue/tickets/{id}", Tags: tags,
		Summary:     "一张排队票据：状态和前面的等候人数（无需登录；登录的工作人员另见记录）",
		Description: "供手机扫码跟踪，证件号码已遮盖。", Errors: []int{404},
	}, h.getTicket)
	huma.Register(a, huma.Operation{
		OperationID: "waiting", Method: http.MethodGet, Path: "/queue/halls/{hall}/waiting", Tags: tags,
		Summary: "大厅各取号类别当天的等候人数（无需登录）", Errors: []int{404},
	}, h.waiting)
	huma.Register(a, huma.Operation{
		OperationID: "requeue-ticket", Method: http.MethodPost, Path: "/queue/tickets/{id}/requeue", Tags: tags,
		Summary:  "过号后迟到者重新排队（每号一次，排在同优先类别末尾）",
		Security: bearer, Errors: []int{401, 403, 404, 409},
	}, h.ticketAction((*service.Service).Requeue))
	huma.Register(a, huma.Operation{
		OperationID: "cancel-ticket", Method: http.MethodPost, Path: "/queue/tickets/{id}/cancel", Tags: tags,
		Summary: "取消一个等候中或过号的号", Security: bearer, Errors: []int{401, 403, 404, 409},
	}, h.ticketAction((*service.Service).Cancel))

	windowOps := []struct {
		path, summary string
		do            func(*service.Service, context.Context, string, string) (*service.WindowView, error)
	}{
		{"call-next", "叫下一个号：按优先规则（连续 K 个优先号后，等得更久的普通号先叫）", (*service.Service).CallNext},
		{"recall", "重呼当前号（次数有上限，默认 2 次）", (*service.Service).Recall},
		{"start", "开始办理当前号", (*service.Service).Start},
		{"pause", "暂停窗口（暂停的窗口不能叫号）", (*service.Service).Pause},
		{"resume", "开窗或恢复窗口：当前登录的工作人员即为本窗口的操作人", (*service.Service).Resume},
	}
	for _, op := range windowOps {
		huma.Register(a, huma.Operation{
			OperationID: "window-" + op.path, Method: http.MethodPost, Path: "/queue/windows/{hall}/{number}/" + op.path, Tags: tags,
			Summary: op.summary, Description: "只有本大厅的综合受理、综合出件人员可操作，且须是在该窗口开窗的人员。状态不允许时返回 409。",
			Security: bearer, Errors: []int{401, 403, 404, 409},
		}, func(ctx context.Context, in *windowInput) (*windowOutput, error) {
			v, err := op.do(h.svc, ctx, in.Hall, in.Number)
			return h.windowResult(ctx, v, err)
		})
	}
	huma.Register(a, huma.Operation{
		OperationID: "window-finish", Method: http.MethodPost, Path: "/queue/windows/{hall}/{number}/finish", Tags: tags,
		Summary: "办结当前号，并把本次服务的评价码交给本窗口的评价器（同一事务）",
		Description: "只有本大厅的综合受理、综合出件人员可操作，且须是在该窗口开窗的人员。状态不允许时返回 409。" +
			"办结的同时发放一次性评价码并送到本窗口的评价器，申请人在评价器上评价；评价码不在响应中返回，工作人员不能代为评价。",
		Security: bearer, Errors: []int{401, 403, 404, 409},
	}, func(ctx context.Context, in *windowInput) (*windowOutput, error) {
		v, err := h.svc.FinishVisit(ctx, in.Hall, in.Number)
		if err != nil {
			return nil, h.fail(ctx, err)
		}
		out, err := h.windowResult(ctx, &v.WindowView, nil)
		if err == nil {
			out.Body.RatingPadUntil = &v.PadUntil
		}
		return out, err
	})
	huma.Register(a, huma.Operation{
		OperationID: "window-no-show", Method: http.MethodPost, Path: "/queue/windows/{hall}/{number}/no-show", Tags: tags,
		Summary: "当前号过号（选择预设原因）", Security: bearer, Errors: []int{401, 403, 404, 409, 422},
	}, func(ctx context.Context, in *noShowInput) (*windowOutput, error) {
		v, err := h.svc.NoShow(ctx, in.Hall, in.Number, in.Body.Reason)
		return h.windowResult(ctx, v, err)
	})
	huma.Register(a, huma.Operation{
		OperationID: "window-transfer", Method: http.MethodPost, Path: "/queue/windows/{hall}/{number}/transfer", Tags: tags,
		Summary:  "转办：当前号转到另一窗口（to_window）或另一类别（to_category），回到等候并保留原取号时间",
		Security: bearer, Errors: []int{401, 403, 404, 409, 422},
	}, func(ctx context.Context, in *transferInput) (*windowOutput, error) {
		v, err := h.svc.Transfer(ctx, in.Hall, in.Number, in.Body.ToWindow, in.Body.ToCategory)
		return h.windowResult(ctx, v, err)
	})
}

func (h *Handlers) takeTicket(ctx context.Context, in *takeTicketInput) (*ticketOutput, error) {
	v, err := h.svc.TakeTicket(ctx, service.TicketRequest{Hall: in.Body.Hall, Category: in.Body.Category,
		IDNumber: in.Body.IDNumber, Phone: in.Body.Phone, Priority: in.Body.Priority})
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	return &ticketOutput{Location: fmt.Sprintf("%s/queue/tickets/%d", Prefix, v.Ticket.ID), Body: ticketOut(v)}, nil
}

func (h *Handlers) getTicket(ctx context.Context, in *ticketInput) (*ticketOutput, error) {
	v, err := h.svc.Ticket(ctx, in.ID)
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	return &ticketOutput{Body: ticketOut(v)}, nil
}

func (h *Handlers) ticketAction(do func(*service.Service, context.Context, int64) (*service.TicketView, error)) func(context.Context, *ticketInput) (*ticketOutput, error) {
	return func(ctx context.Context, in *ticketInput) (*ticketOutput, error) {
		v, err := do(h.svc, ctx, in.ID)
		if err != nil {
			return nil, h.fail(ctx, err)
		}
		return &ticketOutput{Body: ticketOut(v)}, nil
	}
}

func (h *Handlers) waiting(ctx context.Context, in *hallInput) (*waitingOutput, error) {
	counts, err := h.svc.Waiting(ctx, in.Hall)
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	out := &waitingOutput{}
	out.Body.Hall, out.Body.Categories = in.Hall, counts
	return out, nil
}

func (h *Handlers) windowResult(ctx context.Context, v *service.WindowView, err error) (*windowOutput, error) {
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	out := &WindowOut{Window: v.Window}
	if v.Ticket != nil {
		out.Ticket = ticketOut(v.Ticket)
	}
	return &windowOutput{Body: out}, nil
}
