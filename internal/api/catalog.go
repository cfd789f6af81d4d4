package api

import (
	"context"
	"net/http"
	"strconv"

	"github.com/danielgtaylor/huma/v2"

	"github.com/onewindow/onewindow/internal/catalog"
	"github.com/onewindow/onewindow/internal/org"
	"github.com/onewindow/onewindow/internal/service"
)

type itemsInput struct {
	Department string `query:"department" doc:"部门编码"`
	Kind       string `query:"kind" enum:"instant,promised," doc:"instant 即办件 / promised 承诺件"`
	Q          string `query:"q" maxLength:"100" doc:"事项名称或编码的一部分"`
}

type itemsOutput struct {
	Body struct {
		Items []catalog.Item `json:"items"`
		Total int            `json:"total"`
	}
}

type itemInput struct {
	Code    string `path:"code" maxLength:"64" doc:"事项编码"`
	Version int    `query:"version" minimum:"0" doc:"版本号；不填为现行版本"`
}

type itemOutput struct {
	ETag string `header:"ETag" doc:"现行版本号，修改时作为 If-Match 或 base_version 提交"`
	Body *catalog.Item
}

type versionsOutput struct {
	Body struct {
		Versions []catalog.Item `json:"versions" doc:"各版本（不含材料），新版本在前"`
	}
}

type createItemInput struct {
	Body catalog.Item
}

type updateItemInput struct {
	Code string `path:"code" maxLength:"64"`
	Body struct {
		BaseVersion int `json:"base_version" minimum:"1" doc:"所修改的版本号；已被他人修改时返回 409"`
		catalog.Item
	}
}

type departmentsOutput struct {
	Body struct {
		Departments []org.Department `json:"departments"`
	}
}

type hallsOutput struct {
	Body struct {
		Halls   []org.Hall   `json:"halls"`
		Windows []org.Window `json:"windows"`
	}
}

func (h *Handlers) registerCatalog(a huma.API) {
	huma.Register(a, huma.Operation{
		OperationID: "list-items", Method: http.MethodGet, Path: "/items", Tags: []string{"办事指南"},
		Summary: "事项目录（现行版本）", Description: "办事指南为公开信息，无需登录。",
	}, h.listItems)
	huma.Register(a, huma.Operation{
		OperationID: "get-item", Method: http.MethodGet, Path: "/items/{code}", Tags: []string{"办事指南"},
		Summary: "一个事项的办事指南，含申请材料", Errors: []int{404},
	}, h.getItem)
	huma.Register(a, huma.Operation{
		OperationID: "list-item-versions", Method: http.MethodGet, Path: "/items/{code}/versions", Tags: []string{"办事指南"},
		Summary: "事项的历史版本", Errors: []int{404},
	}, h.itemVersions)
	huma.Register(a, huma.Operation{
		OperationID: "create-item", Method: http.MethodPost, Path: "/items", Tags: []string{"办事指南"},
		Summary: "新增事项（局管理员；部门管理员限本部门）", Security: bearer, DefaultStatus: http.StatusCreated,
		Errors: []int{401, 403, 422},
	}, h.createItem)
	huma.Register(a, huma.Operation{
		OperationID: "update-item", Method: http.MethodPut, Path: "/items/{code}", Tags: []string{"办事指南"},
		Summary:     "修改事项，生成新版本",
		Description: "每次修改生成一个新版本；已受理的办件仍按受理时的版本办理。base_version 不是现行版本时返回 409。",
		Security:    bearer, Errors: []int{401, 403, 404, 409, 422},
	}, h.updateItem)
	huma.Register(a, huma.Operation{
		OperationID: "list-departments", Method: http.MethodGet, Path: "/departments", Tags: []string{"组织机构"},
		Summary: "部门",
	}, h.departments)
	huma.Register(a, huma.Operation{
		OperationID: "list-halls", Method: http.MethodGet, Path: "/halls", Tags: []string{"组织机构"},
		Summary: "大厅（区中心、街道中心、社区站）及其窗口",
	}, h.halls)
}

func (h *Handlers) listItems(ctx context.Context, in *itemsInput) (*itemsOutput, error) {
	items, err := h.svc.Items(ctx, service.ItemFilter{Department: in.Department, Kind: catalog.Kind(in.Kind), Query: in.Q})
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	out := &itemsOutput{}
	out.Body.Items = nonNilSlice(items)
	out.Body.Total = len(items)
	return out, nil
}

func (h *Handlers) getItem(ctx context.Context, in *itemInput) (*itemOutput, error) {
	it, err := h.svc.Item(ctx, in.Code, in.Version)
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	return &itemOutput{ETag: etag(it.Version), Body: it}, nil
}

func (h *Handlers) itemVersions(ctx context.Context, in *itemInput) (*versionsOutput, error) {
	vs, err := h.svc.ItemVersions(ctx, in.Code)
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	out := &versionsOutput{}
	out.Body.Versions = vs
	return out, nil
}

func (h *Handlers) createItem(ctx context.Context, in *createItemInput) (*itemOutput, error) {
	it := in.Body
	if err := h.svc.SaveItem(ctx, &it, 0); err != nil {
		return nil, h.fail(ctx, err)
	}
	return &itemOutput{ETag: etag(it.Version), Body: &it}, nil
}

func (h *Handlers) updateItem(ctx context.Context, in *updateItemInput) (*itemOutput, error) {
	it := in.Body.Item
	it.Code = in.Code
	if err := h.svc.SaveItem(ctx, &it, in.Body.BaseVersion); err != nil {
		return nil, h.fail(ctx, err)
	}
	return &itemOutput{ETag: etag(it.Version), Body: &it}, nil
}

func (h *Handlers) departments(ctx context.Context, _ *struct{}) (*departmentsOutput, error) {
	ds, err := h.svc.Departments(ctx)
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	out := &departmentsOutput{}
	out.Body.Departments = nonNilSlice(ds)
	return out, nil
}

func (h *Handlers) halls(ctx context.Context, _ *struct{}) (*hallsOutput, error) {
	hs, err := h.svc.Halls(ctx)
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	ws, err := h.svc.Windows(ctx, "")
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	out := &hallsOutput{}
	out.Body.Halls, out.Body.Windows = nonNilSlice(hs), nonNilSlice(ws)
	return out, nil
}

func etag(version int) string { return strconv.Quote(strconv.Itoa(version)) }

func nonNilSlice[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
