package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/service"
)

type policyOutput struct {
	Body *casework.PublishedPolicy
}

type policyVersionsOutput struct {
	Body struct {
		Versions []casework.PublishedPolicy `json:"versions" doc:"各版期限规则，新版在前"`
	}
}

type publishPolicyInput struct {
	Body service.PolicyEdit
}

type publishedPolicyOutput struct {
	Body *casework.Policy
}

// The deadline policy: the working-day limits and handover times every new
// case keeps, published in versions by the bureau admin.
func (h *Handlers) registerPolicy(a huma.API) {
	tags := []string{"期限规则"}
	huma.Register(a, huma.Operation{
		OperationID: "get-deadline-policy", Method: http.MethodGet, Path: "/deadline-policy", Tags: tags,
		Summary: "现行期限规则",
		Description: "受理（R5）、网上预审（R13）、结果更正（R9）、归档（R12）的工作日时限和纸质材料交接的时点（R6）。" +
			"办件在收件（或网上提交）时保存当时的规则，此后各项期限都按该版计算（办件的 deadline_policy）。",
	}, h.deadlinePolicy)
	huma.Register(a, huma.Operation{
		OperationID: "list-deadline-policies", Method: http.MethodGet, Path: "/deadline-policy/versions", Tags: tags,
		Summary: "期限规则的各个版本（局管理员、监督人员）", Security: bearer, Errors: []int{401, 403},
	}, h.deadlinePolicies)
	huma.Register(a, huma.Operation{
		OperationID: "publish-deadline-policy", Method: http.MethodPost, Path: "/deadline-policy", Tags: tags,
		Summary: "发布新版期限规则（局管理员）",
		Description: "以 base_version 为基础发布下一版，立即对此后收件的办件生效；已收件的办件仍按收件时的版本计算期限。" +
			"各项时限至少 1 个工作日；上下午分界早于下班时间；上午收件的交接时点不早于分界；两个交接时点不晚于下班时间。",
		Security: bearer, DefaultStatus: http.StatusCreated, Errors: []int{401, 403, 409, 422},
	}, h.publishPolicy)
}

func (h *Handlers) deadlinePolicy(ctx context.Context, _ *struct{}) (*policyOutput, error) {
	p, err := h.svc.DeadlinePolicy(ctx)
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	return &policyOutput{Body: p}, nil
}

func (h *Handlers) deadlinePolicies(ctx context.Context, _ *struct{}) (*policyVersionsOutput, error) {
	all, err := h.svc.DeadlinePolicies(ctx)
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	out := &policyVersionsOutput{}
	out.Body.Versions = all
	return out, nil
}

func (h *Handlers) publishPolicy(ctx context.Context, in *publishPolicyInput) (*publishedPolicyOutput, error) {
	p, err := h.svc.PublishDeadlinePolicy(ctx, in.Body)
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	return &publishedPolicyOutput{Body: p}, nil
}
