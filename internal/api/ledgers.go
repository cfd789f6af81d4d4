package api

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"reflect"

	"github.com/danielgtaylor/huma/v2"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/export"
	"github.com/onewindow/onewindow/internal/ledger"
	"github.com/onewindow/onewindow/internal/service"
)

type ledgerInput struct {
	From       string   `query:"from" doc:"起始日期 YYYY-MM-DD（含）；与 to 都不填时为本月"`
	To         string   `query:"to" doc:"截止日期 YYYY-MM-DD（含）；一次最多两年"`
	Department string   `query:"department" maxLength:"64" doc:"部门编码；部门管理员只能查本部门"`
	Item       string   `query:"item" maxLength:"64" doc:"事项编码"`
	Hall       string   `query:"hall" maxLength:"64" doc:"大厅编码：办件与交接为收件大厅，送达为出件大厅，评价为被评价的大厅"`
	State      []string `query:"state" doc:"状态，可多选：办件台账为办件状态；督办单台账为 open 待回复、answered 已回复、overdue 逾期未回复、escalated 已上报"`
	Late       bool     `query:"late" doc:"只看超期件：有环节超时办理，或时限已过仍未办理（仅办件台账）"`
	RevealIDs  bool     `query:"reveal_ids" doc:"显示完整证件号码：仅部门管理员可用，每次查看均记录日志；其他角色一律脱敏"`
	Page       int      `query:"page" minimum:"0" doc:"页码，从 1 开始"`
	Size       int      `query:"size" minimum:"0" maximum:"500" doc:"每页条数，默认 50，最多 500"`
	Format     string   `query:"format" doc:"导出格式 xlsx 或 csv（也可用 Accept 头）；不填返回 JSON 分页"`
	Accept     string   `header:"Accept" doc:"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet 或 text/csv 时导出整本台账"`
}

// request reads the input as a ledger request and the export format it
// asks for ("" for a JSON page).
func (in *ledgerInput) request(kind ledger.Kind) (service.LedgerRequest, export.Format, error) {
	r, err := service.NewLedgerRequest(kind, service.LedgerQuery{From: in.From, To: in.To, Department: in.Department,
		Item: in.Item, Hall: in.Hall, Late: in.Late, States: in.State, RevealIDs: in.RevealIDs, Page: in.Page, Size: in.Size})
	var errs apperr.Collector
	for _, f := range apperr.FieldsOf(err) {
		errs.Add(f.Field, f.Message)
	}
	var format export.Format
	if in.Format != "" && in.Format != "json" {
		f, err := export.ParseFormat(in.Format)
		if err != nil {
			errs.Add("format", apperr.MessageOf(err))
		}
		format = f
	} else if in.Format == "" {
		format, _ = export.FromAccept(in.Accept)
	}
	return r, format, errs.Err("台账查询条件有误")
}

// ledgerPageMeta is what every ledger page says besides its entries.
type ledgerPageMeta struct {
	Ledger     ledger.Kind   `json:"ledger" doc:"台账"`
	Title      string        `json:"title" doc:"台账名称"`
	From       calendar.Date `json:"from" doc:"起始日期（含）"`
	To         calendar.Date `json:"to" doc:"截止日期（含）"`
	Department string        `json:"department,omitempty" doc:"部门编码筛选"`
	Total      int           `json:"total" doc:"符合条件的总条数"`
	Page       int           `json:"page"`
	Size       int           `json:"size"`
}

// CaseLedgerPage is a page of the case ledger.
type CaseLedgerPage struct {
	ledgerPageMeta
	Entries []ledger.CaseEntry `json:"entries"`
}

// HandoverLedgerPage is a page of the paper handover ledger.
type HandoverLedgerPage struct {
	ledgerPageMeta
	Entries []ledger.HandoverEntry `json:"entries"`
}

// DeliveryLedgerPage is a page of the delivery ledger.
type DeliveryLedgerPage struct {
	ledgerPageMeta
	Entries []ledger.DeliveryEntry `json:"entries"`
}

// RatingLedgerPage is a page of the rating ledger.
type RatingLedgerPage struct {
	ledgerPageMeta
	Entries []ledger.RatingEntry `json:"entries"`
}

// NoticeLedgerPage is a page of the supervision-notice ledger.
type NoticeLedgerPage struct {
	ledgerPageMeta
	Entries []ledger.NoticeEntry `json:"entries"`
}

func ledgerPageBody(p *service.LedgerPage) any {
	meta := ledgerPageMeta{Ledger: p.Kind, Title: p.Kind.Label(), From: p.Filter.From, To: p.Filter.To,
		Department: p.Filter.Department, Total: p.Total, Page: p.Page, Size: p.Size}
	switch p.Kind {
	case ledger.Handovers:
		return HandoverLedgerPage{meta, p.Handovers}
	case ledger.Deliveries:
		return DeliveryLedgerPage{meta, p.Deliveries}
	case ledger.Ratings:
		return RatingLedgerPage{meta, p.Ratings}
	case ledger.Notices:
		return NoticeLedgerPage{meta, p.Notices}
	}
	return CaseLedgerPage{meta, p.Cases}
}

func (h *Handlers) registerLedgers(a huma.API) {
	pages := map[ledger.Kind]any{ledger.Cases: CaseLedgerPage{}, ledger.Handovers: HandoverLedgerPage{},
		ledger.Deliveries: DeliveryLedgerPage{}, ledger.Ratings: RatingLedgerPage{}, ledger.Notices: NoticeLedgerPage{}}
	about := map[ledger.Kind]string{
		ledger.Cases:      "按收件日期列出办件：事项、部门、大厅、申请人（证件号码脱敏）、状态、各环节时间、办结时限与是否超期。可按部门、事项、大厅、状态筛选，或只看超期件。",
		ledger.Handovers:  "按签收日期列出纸质材料交接表：收件时间与收件人、材料及份数、签收时限、签收时间与签收人、是否按时。",
		ledger.Deliveries: "按送达日期列出送达回执：结果文书、窗口领取（签收人）或邮寄（寄递企业、邮件号）、收回物品、经办人。",
		ledger.Ratings:    "按评价日期列出好差评：等级、渠道、大厅、窗口、工作人员、部门、办件、评价内容与差评整改状态（不含评价人手机号）。",
		ledger.Notices:    "按开具日期列出督办单：办件、事项、责任部门、收件大厅、开具方式与事由、开具人、回复期限、状态、回复人与回复内容、上报时间、是否逾期回复。可按部门、事项、大厅与状态（open 待回复、answered 已回复、overdue 逾期未回复、escalated 已上报）筛选。",
	}
	binary := &huma.Schema{Type: "string", Format: "binary"}
	for _, kind := range ledger.Kinds {
		schema := a.OpenAPI().Components.Schemas.Schema(reflect.TypeOf(pages[kind]), true, "")
		huma.Register(a, huma.Operation{
			OperationID: "ledger-" + string(kind), Method: http.MethodGet, Path: "/ledgers/" + string(kind), Tags: []string{"台账"},
			Summary: kind.Label() + "：分页查询或导出 xlsx / CSV",
			Description: about[kind] + "监督人员和局管理员可查全部，部门管理员只查本部门，其他角色 403。" +
				"format=xlsx|csv 或 Accept 为对应类型时导出整本台账（流式生成，CSV 为带 BOM 的 UTF-8）；" +
				"以 = + - @ 开头的单元格前加单引号，防止公式注入。",
			Security: bearer, Errors: []int{401, 403, 422},
			Responses: map[string]*huma.Response{"200": {
				Description: kind.Label(),
				Content: map[string]*huma.MediaType{
					"application/json": {Schema: schema},
					export.XLSXType:    {Schema: binary},
					export.CSVType:     {Schema: binary},
				},
			}},
		}, h.ledger(kind))
	}
}

// ledger answers one ledger's operation: a JSON page, or the whole ledger
// as a file. Everything that may refuse the request is checked before the
// first byte, so that a refusal is a problem document, never half a file.
func (h *Handlers) ledger(kind ledger.Kind) func(context.Context, *ledgerInput) (*huma.StreamResponse, error) {
	return func(ctx context.Context, in *ledgerInput) (*huma.StreamResponse, error) {
		r, format, err := in.request(kind)
		if err != nil {
			return nil, h.fail(ctx, err)
		}
		ledgers := h.svc.Ledgers()
		if format == "" {
			p, err := ledgers.Page(ctx, r)
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			body, err := json.Marshal(ledgerPageBody(p))
			if err != nil {
				return nil, h.fail(ctx, apperr.Wrap(err, "ledger page"))
			}
			return &huma.StreamResponse{Body: func(hc huma.Context) {
				hc.SetHeader("Content-Type", "application/json")
				hc.SetStatus(http.StatusOK)
				_, _ = hc.BodyWriter().Write(body)
			}}, nil
		}
		if err := ledgers.Check(ctx, &r); err != nil {
			return nil, h.fail(ctx, err)
		}
		return &huma.StreamResponse{Body: func(hc huma.Context) {
			hc.SetHeader("Content-Type", format.MediaType())
			hc.SetHeader("Content-Disposition", "attachment; filename=\"ledger."+string(format)+"\"; filename*=UTF-8''"+
				url.PathEscape(r.FileName(format)))
			hc.SetHeader("Cache-Control", "no-store")
			hc.SetStatus(http.StatusOK)
			if _, err := ledgers.Export(ctx, r, format, hc.BodyWriter()); err != nil {
				// The header is out: the client sees a cut-off file.
				h.log.Error("ledger export failed", "ledger", kind, "err", err, "request_id", service.RequestFrom(ctx).ID)
			}
		}}, nil
	}
}
