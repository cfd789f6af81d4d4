package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/onewindow/onewindow/internal/service"
)

type receiptInput struct {
	Signature string `header:"X-Signature" doc:"签名：t=<Unix 秒>,v1=<HMAC-SHA256(短信密钥, t + \".\" + 请求体) 的十六进制>"`
	Token     string `query:"token" doc:"无法签名的网关改用回执令牌（--notify 地址的 receipt_token 参数）"`
	RawBody   []byte `contentType:"application/json"`
}

type receiptOutput struct {
	Body service.ReceiptReport
}

type smsTemplate struct {
	Kind      string     `json:"kind" doc:"通知种类（办件动作），如 return"`
	Label     string     `json:"label"`
	Body      string     `json:"template" doc:"模板（text/template）：{{.Body}} 通知正文，{{.Number}} 办件编号（queue_near 叫号提醒没有），{{.Subject}} 标题，{{.Link}} 通知书短链接"`
	Default   string     `json:"default"`
	Custom    bool       `json:"custom" doc:"true：局管理员改过"`
	UpdatedAt *time.Time `json:"updated_at,omitempty"`
	UpdatedBy string     `json:"updated_by,omitempty" doc:"修改人姓名"`
	Preview   string     `json:"preview" doc:"套用示例通知后的短信"`
	Chars     int        `json:"chars"`
	Segments  int        `json:"segments" doc:"计费条数：70 字一条，长短信每条 67 字"`
}

type smsTemplatesOutput struct {
	Body struct {
		Templates []smsTemplate `json:"templates"`
	}
}

type smsTemplateInput struct {
	Kind string `path:"kind"`
	Body struct {
		Body  string `json:"template" maxLength:"2000" doc:"新模板；空则恢复默认"`
		Reset bool   `json:"reset,omitempty" doc:"true：恢复默认模板"`
	}
}

type smsTemplateOutput struct {
	Body smsTemplate
}

type smsPreviewOutput struct {
	Body struct {
		Text     string `json:"text" doc:"套用示例通知后的短信"`
		Chars    int    `json:"chars"`
		Segments int    `json:"segments" doc:"计费条数：70 字一条，长短信每条 67 字"`
		Note     string `json:"note"`
	}
}

func (h *Handlers) registerMessages(a huma.API) {
	huma.Register(a, huma.Operation{
		OperationID: "sms-delivery-receipts", Method: http.MethodPost, Path: "/sms/receipts", Tags: []string{"短信"},
		Summary:     "短信网关的送达回执",
		Description: "网关回调：一个或一组回执（JSON），以 out_id / ext / ref 中的 n-<编号> 指明通知，以 success / report_status / status / err_code 说明结果。须带签名头或回执令牌。",
		Errors:      []int{401, 422},
		// The body is read raw: its signature is over the bytes as sent,
		// and the service parses the gateways' several shapes itself.
		SkipValidateBody: true,
	}, h.smsReceipts)
	huma.Register(a, huma.Operation{
		OperationID: "list-sms-templates", Method: http.MethodGet, Path: "/sms/templates", Tags: []string{"短信"},
		Summary: "各类通知的短信模板（局管理员）", Security: bearer, Errors: []int{401, 403},
	}, h.smsTemplates)
	huma.Register(a, huma.Operation{
		OperationID: "set-sms-template", Method: http.MethodPut, Path: "/sms/templates/{kind}", Tags: []string{"短信"},
		Summary: "修改一类通知的短信模板（局管理员）", Security: bearer, Errors: []int{401, 403, 422},
	}, h.setSMSTemplate)
	huma.Register(a, huma.Operation{
		OperationID: "preview-sms-template", Method: http.MethodPost, Path: "/sms/templates/{kind}/preview", Tags: []string{"短信"},
		Summary: "预览短信模板：套用示例通知，不保存（局管理员）", Security: bearer, Errors: []int{401, 403, 422},
	}, h.previewSMSTemplate)
}

func (h *Handlers) previewSMSTemplate(ctx context.Context, in *smsTemplateInput) (*smsPreviewOutput, error) {
	p, err := h.svc.PreviewSMSTemplate(ctx, service.SMSTemplateEdit{Kind: in.Kind, Body: in.Body.Body, Reset: in.Body.Reset})
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	out := &smsPreviewOutput{}
	out.Body.Text, out.Body.Chars, out.Body.Segments, out.Body.Note = p.Text, p.Chars, p.Segments, p.Note
	return out, nil
}

func (h *Handlers) smsReceipts(ctx context.Context, in *receiptInput) (*receiptOutput, error) {
	rep, err := h.svc.RecordDeliveryReceipts(ctx, service.DeliveryReceiptCall{Signature: in.Signature, Token: in.Token, Body: in.RawBody})
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	return &receiptOutput{Body: rep}, nil
}

func (h *Handlers) smsTemplates(ctx context.Context, _ *struct{}) (*smsTemplatesOutput, error) {
	list, err := h.svc.SMSTemplates(ctx)
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	out := &smsTemplatesOutput{}
	out.Body.Templates = []smsTemplate{}
	for _, v := range list {
		out.Body.Templates = append(out.Body.Templates, smsTemplateOf(v))
	}
	return out, nil
}

func (h *Handlers) setSMSTemplate(ctx context.Context, in *smsTemplateInput) (*smsTemplateOutput, error) {
	v, err := h.svc.SaveSMSTemplate(ctx, service.SMSTemplateEdit{Kind: in.Kind, Body: in.Body.Body, Reset: in.Body.Reset})
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	return &smsTemplateOutput{Body: smsTemplateOf(*v)}, nil
}

func smsTemplateOf(v service.SMSTemplateView) smsTemplate {
	t := smsTemplate{Kind: v.Kind, Label: v.Label, Body: v.Body, Default: v.Default, Custom: v.Custom, UpdatedBy: v.UpdatedBy,
		Preview: v.Preview.Text, Chars: v.Preview.Chars, Segments: v.Preview.Segments}
	if !v.UpdatedAt.IsZero() {
		at := v.UpdatedAt
		t.UpdatedAt = &at
	}
	return t
}
