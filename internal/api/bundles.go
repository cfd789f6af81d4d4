package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/bundle"
	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/service"
)

// BundleOut is a joint application (一件事) with its member cases.
type BundleOut struct {
	bundle.Bundle
	StateLabel string           `json:"state_label" doc:"状态的中文名"`
	Warning    calendar.Warning `json:"warning" enum:"none,yellow,red" doc:"一件事整体期限的预警"`
	Cases      []*CaseOut       `json:"cases" doc:"成员办件，按一件事的事项顺序"`
}

func bundleOut(v *service.BundleView) *BundleOut {
	b := *v.Bundle
	b.Applicant = b.Applicant.Masked()
	out := &BundleOut{Bundle: b, StateLabel: b.State.Label(), Warning: v.Warning, Cases: []*CaseOut{}}
	for _, c := range v.Cases {
		out.Cases = append(out.Cases, caseOut(c))
	}
	return out
}

type bundleOutput struct {
	Location string `header:"Location"`
	Body     *BundleOut
}

// BundleMemberIn is one member's materials in a window intake.
type BundleMemberIn struct {
	ItemCode    string                   `json:"item_code" doc:"事项编码"`
	Materials   []casework.MaterialInput `json:"materials"`
	DeferralDue string                   `json:"deferral_due,omitempty" doc:"容缺补齐期限 YYYY-MM-DD"`
}

type bundleIntakeInput struct {
	Body struct {
		Template  string             `json:"template" doc:"一件事编码，如 YJS-CY"`
		Applicant casework.Party     `json:"applicant"`
		Agent     *casework.Party    `json:"agent,omitempty"`
		Form      map[string]string  `json:"form" doc:"一表式申请表的共享字段"`
		Members   []BundleMemberIn   `json:"members" doc:"每个事项的材料"`
		Delivery  *casework.Delivery `json:"delivery,omitempty"`
	}
}

type bundleInput struct {
	Number string `path:"number" maxLength:"32" doc:"一件事编号"`
}

type bundlesInput struct {
	State string `query:"state" enum:"open,done," doc:"open 办理中，done 已办结"`
}

type bundlesOutput struct {
	Body struct {
		Bundles []bundle.Bundle `json:"bundles"`
	}
}

type templatesOutput struct {
	Body struct {
		Templates []bundle.Template `json:"templates"`
	}
}

type templateInput struct {
	Code string `path:"code" maxLength:"32" doc:"一件事编码"`
}

type templateOutput struct {
	Body *bundle.Template
}

func (h *Handlers) registerBundles(a huma.API) {
	huma.Register(a, huma.Operation{
		OperationID: "list-bundle-templates", Method: http.MethodGet, Path: "/bundle-templates", Tags: []string{"一件事"},
		Summary: "可办理的一件事（公开）",
	}, h.listTemplates)
	huma.Register(a, huma.Operation{
		OperationID: "get-bundle-template", Method: http.MethodGet, Path: "/bundle-templates/{code}", Tags: []string{"一件事"},
		Summary: "一件事：共享表单字段、成员事项与前后置关系（公开）", Errors: []int{404},
	}, h.getTemplate)
	huma.Register(a, huma.Operation{
		OperationID: "put-bundle-template", Method: http.MethodPut, Path: "/bundle-templates/{code}", Tags: []string{"一件事"},
		Summary: "新增或修改一件事（局管理员）",
		Description: "成员事项须为现行事项；after 为前置事项（须在本一件事内，不得成环）；牵头部门须负责其中至少一个事项。" +
			"修改只影响此后收件的一件事。",
		Security: bearer, Errors: []int{401, 403, 422},
	}, h.putTemplate)
	huma.Register(a, huma.Operation{
		OperationID: "intake-bundle", Method: http.MethodPost, Path: "/bundles", Tags: []string{"一件事"},
		Summary: "一表式收件（综合受理窗口）",
		Description: "一张表收取一件事的全部事项：每个事项生成一个办件，共享申请人和表单字段；有前置事项的办件在前置事项作出准予决定后才开始受理。" +
			"任何一个事项的材料不符合要求时，整件不收。",
		Security: bearer, DefaultStatus: http.StatusCreated, Errors: []int{401, 403, 422},
	}, h.intakeBundle)
	huma.Register(a, huma.Operation{
		OperationID: "get-bundle", Method: http.MethodGet, Path: "/bundles/{number}", Tags: []string{"一件事"},
		Summary: "一件事的状态、整体期限和成员办件（牵头部门可见全部）", Security: bearer, Errors: []int{401, 403, 404},
	}, h.getBundle)
	huma.Register(a, huma.Operation{
		OperationID: "list-bundles", Method: http.MethodGet, Path: "/bundles", Tags: []string{"一件事"},
		Summary: "一件事清单：部门人员看本部门牵头或参与的", Security: bearer, Errors: []int{401, 403},
	}, h.listBundles)
}

func (h *Handlers) listTemplates(ctx context.Context, _ *struct{}) (*templatesOutput, error) {
	ts, err := h.svc.BundleTemplates(ctx)
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	out := &templatesOutput{}
	out.Body.Templates = nonNilSlice(ts)
	return out, nil
}

func (h *Handlers) getTemplate(ctx context.Context, in *templateInput) (*templateOutput, error) {
	t, err := h.svc.BundleTemplate(ctx, in.Code)
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	return &templateOutput{Body: t}, nil
}

func (h *Handlers) intakeBundle(ctx context.Context, in *bundleIntakeInput) (*bundleOutput, error) {
	b := in.Body
	x := service.BundleIntake{Template: b.Template, Applicant: b.Applicant, Agent: b.Agent, Form: b.Form, Delivery: b.Delivery}
	for _, m := range b.Members {
		x.Members = append(x.Members, service.BundleMember{ItemCode: m.ItemCode, Materials: m.Materials, DeferralDue: m.DeferralDue})
	}
	v, err := h.svc.IntakeBundle(ctx, x)
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	return &bundleOutput{Location: Prefix + "/bundles/" + v.Bundle.Number, Body: bundleOut(v)}, nil
}

func (h *Handlers) getBundle(ctx context.Context, in *bundleInput) (*bundleOutput, error) {
	v, err := h.svc.Bundle(ctx, in.Number)
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	return &bundleOutput{Body: bundleOut(v)}, nil
}

func (h *Handlers) listBundles(ctx context.Context, in *bundlesInput) (*bundlesOutput, error) {
	bs, err := h.svc.Bundles(ctx, bundle.State(in.State))
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	out := &bundlesOutput{}
	out.Body.Bundles = []bundle.Bundle{}
	for _, b := range bs {
		b.Applicant = b.Applicant.Masked()
		out.Body.Bundles = append(out.Body.Bundles, b)
	}
	return out, nil
}

type putTemplateInput struct {
	Code string `path:"code" maxLength:"32" doc:"一件事编码"`
	Body bundle.Template
}

func (h *Handlers) putTemplate(ctx context.Context, in *putTemplateInput) (*templateOutput, error) {
	t := in.Body
	if t.Code != in.Code {
		return nil, h.fail(ctx, apperr.Field("code", "请求体的编码与路径不一致"))
	}
	if err := h.svc.SaveBundleTemplate(ctx, &t); err != nil {
		return nil, h.fail(ctx, err)
	}
	return &templateOutput{Body: &t}, nil
}
