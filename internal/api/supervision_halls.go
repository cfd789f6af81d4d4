package api

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"reflect"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/export"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/supervision"
)

// The per-hall figures (各大厅, issue 15 item 6) and their transit and
// pickup drill-downs.

type hallFiguresInput struct {
	From       string `query:"from" required:"true" maxLength:"10" doc:"开始日期（含），如 2026-01-01"`
	To         string `query:"to" required:"true" maxLength:"10" doc:"结束日期（含）；最长三年"`
	Department string `query:"department" maxLength:"32" doc:"只看一个部门的办件和评价（部门管理员只能看本部门）"`
	Format     string `query:"format" maxLength:"8" doc:"xlsx 或 csv 导出（也可用 Accept 头）；不填或 json 返回 JSON"`
	Accept     string `header:"Accept" doc:"xlsx 或 text/csv 时导出"`
}

type hallFiguresBody struct {
	Period service.Period        `json:"period"`
	Rows   []service.HallFigures `json:"rows"`
}

type hallMovesInput struct {
	From       string `query:"from" required:"true" maxLength:"10" doc:"开始日期（含）"`
	To         string `query:"to" required:"true" maxLength:"10" doc:"结束日期（含）"`
	Group      string `query:"group" enum:"hall," default:"hall" doc:"统计的分组（大厅）"`
	Key        string `query:"key" required:"true" maxLength:"32" doc:"大厅编码"`
	Kind       string `query:"kind" required:"true" enum:"transit,pickup" doc:"transit：该大厅收件的纸质材料送达区政务服务中心的交接（按签收日，在途时间长的在前）；pickup：在该大厅领取的结果（按领取日）"`
	Department string `query:"department" maxLength:"32" doc:"统计时所限的部门"`
	Hall       string `query:"hall" maxLength:"32" doc:"大厅负责人的本大厅"`
	Limit      int    `query:"limit" minimum:"0" maximum:"1000" default:"100" doc:"每页条数"`
	Offset     int    `query:"offset" minimum:"0" doc:"跳过的条数"`
}

type hallMovesOutput struct {
	Body *service.MoveList
}

func (h *Handlers) registerSupervisionHalls(a huma.API) {
	tags := []string{"督查考核"}
	huma.Register(a, huma.Operation{
		OperationID: "supervision-halls", Method: http.MethodGet, Path: "/supervision/halls", Tags: tags,
		Summary: "各大厅：收件、按时率、交接在途时间、领取、满意率", Security: bearer, Errors: []int{401, 403, 422},
		Description: "区政务服务中心、各街道为民服务中心、各社区便民服务站各一行（按大厅树排列）：期间内收件数；本大厅收件办件各限时环节的按时、超时、超期未办和按时率；" +
			"纸质材料送达区政务服务中心的交接次数（按签收日）、平均在途工作时间和 90% 分位（取整到工作小时）；在本大厅领取的结果数（邮寄不计）；在本大厅作出的评价数和满意率。" +
			"每个数字带明细接口地址（*_cases、transit.cases）。大厅负责人只看到本大厅一行；部门管理员看到本部门的办件和评价。" +
			"format=xlsx|csv 或 Accept 为对应类型时导出（CSV 为带 BOM 的 UTF-8；以 = + - @ 开头的单元格前加单引号）。",
		Responses: map[string]*huma.Response{"200": {
			Description: "各大厅统计",
			Content: map[string]*huma.MediaType{
				"application/json": {Schema: a.OpenAPI().Components.Schemas.Schema(reflect.TypeOf(hallFiguresBody{}), true, "")},
				export.XLSXType:    {Schema: &huma.Schema{Type: "string", Format: "binary"}},
				export.CSVType:     {Schema: &huma.Schema{Type: "string"}},
			},
		}},
	}, h.hallFigures)
	huma.Register(a, huma.Operation{
		OperationID: "supervision-hall-moves", Method: http.MethodGet, Path: "/supervision/moves", Tags: tags,
		Summary: "明细：一个大厅的交接在途或领取背后的办件", Security: bearer, Errors: []int{401, 403, 422},
		Description: "各大厅统计中交接次数和领取数的下钻明细；total 等于该数字，交接的 minutes 为其在途工作分钟数。",
	}, h.hallMoves)
}

// hallFigures answers the per-hall figures as JSON or as a spreadsheet;
// every check runs before the first byte.
func (h *Handlers) hallFigures(ctx context.Context, in *hallFiguresInput) (*huma.StreamResponse, error) {
	var format export.Format
	switch f := strings.ToLower(strings.TrimSpace(in.Format)); f {
	case "":
		format, _ = export.FromAccept(in.Accept)
	case "json":
	default:
		parsed, err := export.ParseFormat(f)
		if err != nil {
			return nil, h.fail(ctx, err)
		}
		format = parsed
	}
	p := service.Period{From: in.From, To: in.To, Department: in.Department}
	rows, err := h.svc.Supervision().Halls(ctx, p)
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	p.Group = supervision.ByHall
	if format == "" {
		body, err := json.Marshal(hallFiguresBody{Period: p, Rows: nonNil(rows)})
		if err != nil {
			return nil, h.fail(ctx, apperr.Wrap(err, "hall figures"))
		}
		return &huma.StreamResponse{Body: func(hc huma.Context) {
			hc.SetHeader("Content-Type", "application/json")
			hc.SetStatus(http.StatusOK)
			_, _ = hc.BodyWriter().Write(body)
		}}, nil
	}
	name := service.HallFiguresFileName(p, format)
	return &huma.StreamResponse{Body: func(hc huma.Context) {
		hc.SetHeader("Content-Type", format.MediaType())
		hc.SetHeader("Content-Disposition", "attachment; filename=\"halls-"+p.From+"-"+p.To+"."+string(format)+"\"; filename*=UTF-8''"+url.PathEscape(name))
		hc.SetHeader("Cache-Control", "no-store")
		hc.SetStatus(http.StatusOK)
		if err := service.WriteHallFigures(hc.BodyWriter(), format, rows); err != nil {
			h.log.Error("hall figures export failed", "err", err, "request_id", service.RequestFrom(ctx).ID)
		}
	}}, nil
}

func (h *Handlers) hallMoves(ctx context.Context, in *hallMovesInput) (*hallMovesOutput, error) {
	p := service.Period{From: in.From, To: in.To, Group: supervision.ByHall, Department: in.Department, Hall: in.Hall}
	list, err := h.svc.Supervision().HallMoves(ctx, p, in.Key, supervision.MoveKind(in.Kind), in.Limit, in.Offset)
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	list.Moves = nonNil(list.Moves)
	return &hallMovesOutput{Body: list}, nil
}
