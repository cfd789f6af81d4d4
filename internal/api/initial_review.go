package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/onewindow/onewindow/internal/service"
)

// Delegated initial review (委托初审, issue 15 item 4): a street's work list.
// The review itself is two actions of the case route:
// POST /cases/{number}/pass-initial-review and …/return-initial-review.

type initialReviewsInput struct {
	Hall string `query:"hall" maxLength:"32" doc:"街道为民服务中心编码；街道初审人员和大厅负责人可不填（本大厅）"`
}

type initialReviewsOutput struct {
	Body struct {
		Hall     string     `json:"hall" doc:"大厅编码"`
		HallName string     `json:"hall_name" doc:"大厅名称"`
		Pending  []*CaseOut `json:"pending" doc:"待初审的办件，初审期限早的在前"`
		Passed   []*CaseOut `json:"passed" doc:"已初审通过、待部门受理的办件"`
	}
}

func (h *Handlers) registerInitialReview(a huma.API) {
	huma.Register(a, huma.Operation{
		OperationID: "list-initial-reviews", Method: http.MethodGet, Path: "/initial-reviews", Tags: []string{"街道社区网络"},
		Summary: "委托初审清单（街道初审人员）",
		Description: "行政审批局标记委托初审的事项，在设有街道初审人员的街道为民服务中心收件后，先由该街道的初审人员在事项规定的工作日内初审（材料齐全、符合法定形式），" +
			"初审通过后部门方可受理；初审期限（initial_review_by）计入办件的期限和预警，申请人的受理期限（accept_by）仍自收件起算、不因初审延长。" +
			"初审通过：POST /cases/{number}/pass-initial-review（reason 为初审意见，可不填）；初审退回：POST /cases/{number}/return-initial-review（同 return，出具材料补齐补正通知书）。" +
			"街道初审人员和大厅负责人看到本大厅的清单，局管理员和监督人员须指明 hall。",
		Security: bearer, Errors: []int{401, 403, 404, 422},
	}, h.initialReviews)
}

func (h *Handlers) initialReviews(ctx context.Context, in *initialReviewsInput) (*initialReviewsOutput, error) {
	l, err := h.svc.InitialReviews(ctx, in.Hall)
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	out := &initialReviewsOutput{}
	out.Body.Hall, out.Body.HallName = l.Hall.Code, l.Hall.Name
	out.Body.Pending, out.Body.Passed = casesOut(l.Pending), casesOut(l.Passed)
	return out, nil
}

func casesOut(vs []*service.CaseView) []*CaseOut {
	out := make([]*CaseOut, 0, len(vs))
	for _, v := range vs {
		out = append(out, caseOut(v))
	}
	return out
}
