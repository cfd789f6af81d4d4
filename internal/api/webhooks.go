package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/webhook"
)

// WebhookBody is a subscription as its maker sends it.
type WebhookBody struct {
	Department  string   `json:"department,omitempty" maxLength:"64" doc:"部门编码：局管理员须填写；部门管理员与部门系统只能为本部门订阅，可不填"`
	URL         string   `json:"url" maxLength:"2000" doc:"接收地址（http 或 https）；不得指向本机、内网或链路本地地址"`
	EventTypes  []string `json:"event_types,omitempty" maxItems:"50" doc:"只推送这些事件类型（如 cn.gov.onewindow.case.accepted）；不填为全部"`
	ItemCodes   []string `json:"item_codes,omitempty" maxItems:"200" doc:"只推送这些事项的办件；不填为全部"`
	Description string   `json:"description,omitempty" maxLength:"200" doc:"说明"`
}

func (b *WebhookBody) input() service.WebhookInput {
	return service.WebhookInput{Department: b.Department, URL: b.URL, EventTypes: b.EventTypes, ItemCodes: b.ItemCodes, Description: b.Description}
}

type webhookCreateInput struct {
	Body WebhookBody
}

type webhookUpdateInput struct {
	ID   int64 `path:"id"`
	Body WebhookBody
}

type webhookIDInput struct {
	ID int64 `path:"id"`
}

type webhookCreatedOutput struct {
	Body *service.WebhookCreated
}

type webhookOutput struct {
	Body *webhook.Subscription
}

type webhooksOutput struct {
	Body struct {
		Webhooks   []webhook.Subscription `json:"webhooks"`
		EventTypes []string               `json:"event_types" doc:"可订阅的全部事件类型"`
	}
}

type deliveriesInput struct {
	ID     int64 `path:"id"`
	Before int64 `query:"before" minimum:"0" doc:"翻页：只列出编号小于它的记录"`
}

type deliveriesOutput struct {
	Body struct {
		Deliveries []*webhook.Delivery `json:"deliveries" doc:"推送记录，新的在前，每页 50 条：事件、尝试次数、对方返回的状态码、下次重试时间、错误"`
	}
}

type redeliverInput struct {
	ID   int64 `path:"id"`
	Body struct {
		Confirm bool `json:"confirm" doc:"须为 true"`
	}
}

type deliveryOutput struct {
	Body *webhook.Delivery
}

type noContent struct{}

func (h *Handlers) registerWebhooks(a huma.API) {
	tags := []string{"事件推送"}
	huma.Register(a, huma.Operation{
		OperationID: "list-webhooks", Method: http.MethodGet, Path: "/webhooks", Tags: tags,
		Summary: "推送订阅列表（含各订阅的待发、已送达、已放弃数）", Security: bearer, Errors: []int{401, 403},
	}, h.listWebhooks)
	huma.Register(a, huma.Operation{
		OperationID: "create-webhook", Method: http.MethodPost, Path: "/webhooks", Tags: tags,
		Summary: "新建推送订阅",
		Description: "办件每有事件，即在同一事务中排入推送队列，按 CloudEvents 1.0 结构化 JSON 推送（type 如 cn.gov.onewindow.case.accepted，" +
			"subject 为办件编号），按 Standard Webhooks 签名（webhook-id、webhook-timestamp、webhook-signature：v1,base64(HMAC-SHA256)）。" +
			"同一办件的事件按序送达；对方非 2xx 时按指数退避重试（首次数秒后，含抖动），3 天仍失败则暂停订阅。" +
			"返回的 secret（whsec_…）只显示这一次。",
		DefaultStatus: http.StatusCreated, Security: bearer, Errors: []int{401, 403, 422},
	}, h.createWebhook)
	huma.Register(a, huma.Operation{
		OperationID: "get-webhook", Method: http.MethodGet, Path: "/webhooks/{id}", Tags: tags,
		Summary: "一个推送订阅", Security: bearer, Errors: []int{401, 403, 404},
	}, h.getWebhook)
	huma.Register(a, huma.Operation{
		OperationID: "update-webhook", Method: http.MethodPut, Path: "/webhooks/{id}", Tags: tags,
		Summary: "修改推送订阅的地址、事件类型、事项与说明", Security: bearer, Errors: []int{401, 403, 404, 422},
	}, h.updateWebhook)
	huma.Register(a, huma.Operation{
		OperationID: "delete-webhook", Method: http.MethodDelete, Path: "/webhooks/{id}", Tags: tags,
		Summary: "删除推送订阅（推送记录保留）", DefaultStatus: http.StatusNoContent, Security: bearer, Errors: []int{401, 403, 404},
	}, h.deleteWebhook)
	huma.Register(a, huma.Operation{
		OperationID: "rotate-webhook-secret", Method: http.MethodPost, Path: "/webhooks/{id}/rotate-secret", Tags: tags,
		Summary:     "更换签名密钥",
		Description: "返回新密钥（只显示这一次）；旧密钥在 24 小时内仍同时签名（webhook-signature 含两个签名），便于接收方切换。",
		Security:    bearer, Errors: []int{401, 403, 404},
	}, h.rotateWebhookSecret)
	huma.Register(a, huma.Operation{
		OperationID: "pause-webhook", Method: http.MethodPost, Path: "/webhooks/{id}/pause", Tags: tags,
		Summary: "暂停推送", Security: bearer, Errors: []int{401, 403, 404},
	}, h.pauseWebhook(true))
	huma.Register(a, huma.Operation{
		OperationID: "resume-webhook", Method: http.MethodPost, Path: "/webhooks/{id}/resume", Tags: tags,
		Summary: "恢复推送（暂停前已排队的按序继续发送）", Security: bearer, Errors: []int{401, 403, 404},
	}, h.pauseWebhook(false))
	huma.Register(a, huma.Operation{
		OperationID: "list-webhook-deliveries", Method: http.MethodGet, Path: "/webhooks/{id}/deliveries", Tags: tags,
		Summary: "推送记录", Security: bearer, Errors: []int{401, 403, 404},
	}, h.listWebhookDeliveries)
	huma.Register(a, huma.Operation{
		OperationID: "redeliver-webhook", Method: http.MethodPost, Path: "/webhook-deliveries/{id}/redeliver", Tags: tags,
		Summary:       "重新推送一条记录（webhook-id 不变，接收方可据此去重）",
		DefaultStatus: http.StatusCreated, Security: bearer, Errors: []int{401, 403, 404, 422},
	}, h.redeliverWebhook)
}

func (h *Handlers) listWebhooks(ctx context.Context, _ *struct{}) (*webhooksOutput, error) {
	list, err := h.svc.Webhooks(ctx)
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	out := &webhooksOutput{}
	out.Body.Webhooks, out.Body.EventTypes = list, webhook.Types()
	if out.Body.Webhooks == nil {
		out.Body.Webhooks = []webhook.Subscription{}
	}
	return out, nil
}

func (h *Handlers) createWebhook(ctx context.Context, in *webhookCreateInput) (*webhookCreatedOutput, error) {
	w, err := h.svc.CreateWebhook(ctx, in.Body.input())
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	return &webhookCreatedOutput{Body: w}, nil
}

func (h *Handlers) getWebhook(ctx context.Context, in *webhookIDInput) (*webhookOutput, error) {
	w, err := h.svc.Webhook(ctx, in.ID)
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	return &webhookOutput{Body: w}, nil
}

func (h *Handlers) updateWebhook(ctx context.Context, in *webhookUpdateInput) (*webhookOutput, error) {
	w, err := h.svc.UpdateWebhook(ctx, in.ID, in.Body.input())
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	return &webhookOutput{Body: w}, nil
}

func (h *Handlers) deleteWebhook(ctx context.Context, in *webhookIDInput) (*noContent, error) {
	if err := h.svc.DeleteWebhook(ctx, in.ID); err != nil {
		return nil, h.fail(ctx, err)
	}
	return &noContent{}, nil
}

func (h *Handlers) rotateWebhookSecret(ctx context.Context, in *webhookIDInput) (*webhookCreatedOutput, error) {
	w, err := h.svc.RotateWebhookSecret(ctx, in.ID)
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	return &webhookCreatedOutput{Body: w}, nil
}

func (h *Handlers) pauseWebhook(pause bool) func(context.Context, *webhookIDInput) (*webhookOutput, error) {
	return func(ctx context.Context, in *webhookIDInput) (*webhookOutput, error) {
		w, err := h.svc.PauseWebhook(ctx, in.ID, pause)
		if err != nil {
			return nil, h.fail(ctx, err)
		}
		return &webhookOutput{Body: w}, nil
	}
}

func (h *Handlers) listWebhookDeliveries(ctx context.Context, in *deliveriesInput) (*deliveriesOutput, error) {
	ds, err := h.svc.WebhookDeliveries(ctx, in.ID, in.Before)
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	out := &deliveriesOutput{}
	out.Body.Deliveries = ds
	if ds == nil {
		out.Body.Deliveries = []*webhook.Delivery{}
	}
	return out, nil
}

func (h *Handlers) redeliverWebhook(ctx context.Context, in *redeliverInput) (*deliveryOutput, error) {
	d, err := h.svc.RedeliverWebhook(ctx, in.ID, in.Body.Confirm)
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	return &deliveryOutput{Body: d}, nil
}
