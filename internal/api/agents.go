package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/onewindow/onewindow/internal/applicant"
	"github.com/onewindow/onewindow/internal/service"
)

// The agents' network (issue 15 item 5): an agent's work list and service
// log, an agent manager's team and hand-overs.

type workListOutput struct {
	Body *service.AgentWorkList
}

type agentApplicantPath struct {
	Account int64 `path:"account" doc:"申请人账户编号"`
}

type agentApplicantOutput struct {
	Body *service.AgentApplicant
}

type agentLogInput struct {
	Account int64 `path:"account" doc:"申请人账户编号"`
	Body    service.AgentLogInput
}

type agentLogOutput struct {
	Body *applicant.LogEntry
}

type agentTeamOutput struct {
	Body *service.AgentTeam
}

type assignInput struct {
	Body service.AssignInput
}

type assignOutput struct {
	Body *applicant.Assignment
}

func (h *Handlers) registerAgents(a huma.API) {
	tags := []string{"代办"}
	huma.Register(a, huma.Operation{
		OperationID: "get-agent-worklist", Method: http.MethodGet, Path: "/agent/worklist", Tags: tags,
		Summary:     "代办工作台（代办员）",
		Description: "承办的申请人、未办结的办件（申请人所等待的期限及预警，超期在前）和代办员下一步要做的事，以及最近的期限提醒（期限前一个工作日发出）。",
		Security:    bearer, Errors: []int{401, 403},
	}, h.agentWorkList)
	huma.Register(a, huma.Operation{
		OperationID: "get-agent-applicant", Method: http.MethodGet, Path: "/agent/applicants/{account}", Tags: tags,
		Summary:     "申请人的代办授权、代办记录和改派记录",
		Description: "承办该申请人的代办员，或其所在街道的代办管理员可查看。",
		Security:    bearer, Errors: []int{401, 403, 404},
	}, h.agentApplicant)
	huma.Register(a, huma.Operation{
		OperationID: "add-agent-log", Method: http.MethodPost, Path: "/agent/applicants/{account}/log", Tags: tags,
		Summary:     "填写代办记录（承办的代办员）",
		Description: "记录为申请人办理的事项：日期、所涉办件（可不填）和内容；只增不改，记录填写人和时间。",
		Security:    bearer, DefaultStatus: http.StatusCreated, Errors: []int{401, 403, 404, 422},
	}, h.addAgentLog)
	huma.Register(a, huma.Operation{
		OperationID: "get-agent-team", Method: http.MethodGet, Path: "/agent/team", Tags: tags,
		Summary:     "代办分派（代办管理员）",
		Description: "本街道（含所属社区）或本区的在岗代办员及各自承办的申请人，以及最近的改派记录。",
		Security:    bearer, Errors: []int{401, 403},
	}, h.agentTeam)
	huma.Register(a, huma.Operation{
		OperationID: "assign-applicant", Method: http.MethodPost, Path: "/agent/assignments", Tags: tags,
		Summary:     "改派申请人（代办管理员）",
		Description: "把申请人交给本街道（含所属社区）的另一位代办员：申请人给本街道代办员的有效授权随之转给接手人（范围和期限不变），原代办员不再承办。",
		Security:    bearer, DefaultStatus: http.StatusCreated, Errors: []int{401, 403, 404, 409, 422},
	}, h.assignApplicant)
}

func (h *Handlers) agentWorkList(ctx context.Context, _ *struct{}) (*workListOutput, error) {
	w, err := h.svc.AgentWorkList(ctx)
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	return &workListOutput{Body: w}, nil
}

func (h *Handlers) agentApplicant(ctx context.Context, in *agentApplicantPath) (*agentApplicantOutput, error) {
	v, err := h.svc.AgentApplicant(ctx, in.Account)
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	return &agentApplicantOutput{Body: v}, nil
}

func (h *Handlers) addAgentLog(ctx context.Context, in *agentLogInput) (*agentLogOutput, error) {
	e, err := h.svc.AddAgentLog(ctx, in.Account, in.Body)
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	return &agentLogOutput{Body: e}, nil
}

func (h *Handlers) agentTeam(ctx context.Context, _ *struct{}) (*agentTeamOutput, error) {
	t, err := h.svc.AgentTeam(ctx)
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	return &agentTeamOutput{Body: t}, nil
}

func (h *Handlers) assignApplicant(ctx context.Context, in *assignInput) (*assignOutput, error) {
	as, err := h.svc.AssignApplicant(ctx, in.Body)
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	return &assignOutput{Body: as}, nil
}
