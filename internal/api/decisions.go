package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/onewindow/onewindow/internal/casework"
)

// previewOutput is what a decision would issue: nothing is changed.
type previewOutput struct {
	Body struct {
		Number     string              `json:"number" doc:"办件编号"`
		Action     casework.Action     `json:"action" doc:"预览的操作"`
		StateLabel string              `json:"state_label" doc:"确认后办件的状态"`
		Documents  []casework.Document `json:"documents" doc:"确认后将出具的文书（预览不编号，确认时编号）"`
	}
}

// registerDecisionPreviews registers POST /cases/{number}/{action}/preview
// for the steps that issue a written decision (casework.NeedsConfirm): the
// same use case the case page shows before its confirmation.
func (h *Handlers) registerDecisionPreviews(a huma.API) {
	for _, action := range casework.Actions() {
		if !casework.NeedsConfirm(action) {
			continue
		}
		huma.Register(a, huma.Operation{
			OperationID: "case-" + string(action) + "-preview", Method: http.MethodPost, Path: "/cases/{number}/" + string(action) + "/preview",
			Tags: []string{"办件操作"}, Summary: action.Label() + "：预览将出具的决定书（不作任何改变）",
			Description: "与 POST /cases/{number}/" + string(action) + " 同样校验（缺少理由等返回 422，状态不允许返回 409），但不生效、不编号，返回确认后将出具的文书；" +
				"核对无误后带 confirm: true 提交该操作。",
			Security: bearer, Errors: []int{401, 403, 404, 409, 422},
		}, h.preview(action))
	}
}

func (h *Handlers) preview(action casework.Action) func(context.Context, *actionInput) (*previewOutput, error) {
	return func(ctx context.Context, in *actionInput) (*previewOutput, error) {
		p, err := h.svc.PreviewDecision(ctx, in.Number, action, in.Body.Input, in.Body.Version)
		if err != nil {
			return nil, h.fail(ctx, err)
		}
		out := &previewOutput{}
		out.Body.Number, out.Body.Action, out.Body.StateLabel = p.View.Case.Number, action, p.StateLabel
		out.Body.Documents = nonNilSlice(p.Documents)
		return out, nil
	}
}
