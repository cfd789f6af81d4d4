package api

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/service"
)

type eventsInput struct {
	After       string `query:"after" maxLength:"40" doc:"上次读到的最后一个事件的 cursor；不填从头读，end 表示只读此后发生的"`
	Limit       int    `query:"limit" minimum:"0" maximum:"1000" doc:"每次最多条数，默认 100，最多 1000"`
	Wait        string `query:"wait" maxLength:"10" doc:"长轮询：暂无新事件时最多等待多久，如 30s 或 30（秒），最长 60s；有事件提交即刻返回"`
	Accept      string `header:"Accept" doc:"text/event-stream 时以 SSE 推送（同 /events/stream）"`
	LastEventID string `header:"Last-Event-ID" maxLength:"40" doc:"SSE 断线重连时浏览器自动带上的游标，优先于 after"`
}

// query reads the input as the use case's query.
func (in *eventsInput) query() (service.EventsQuery, error) {
	q := service.EventsQuery{After: in.After, Limit: in.Limit}
	if in.LastEventID != "" {
		q.After = in.LastEventID
	}
	if in.Wait != "" {
		d, err := time.ParseDuration(in.Wait)
		if err != nil {
			n, nerr := strconv.Atoi(in.Wait)
			if nerr != nil {
				return q, apperr.Field("wait", "等待时间的写法如 30s 或 30")
			}
			d = time.Duration(n) * time.Second
		}
		q.Wait = d
	}
	return q, nil
}

type eventsOutput struct {
	Body *service.EventPage
}

func (h *Handlers) registerEvents(a huma.API) {
	about := "按提交顺序返回调用者可见的办件事件（部门人员与部门系统只见本部门办件，局内角色可见全部）：" +
		"办件编号、事件在该办件中的序号（与 GET /cases/{number} 的 events.seq 一致）、事件类型、变更后的办件状态与仍在计时的时限。" +
		"以返回的 cursor 作为下次的 after 继续读取，游标不会跳过任何事件：尚未提交的事务之后的事件会暂缓返回。"
	huma.Register(a, huma.Operation{
		OperationID: "list-events", Method: http.MethodGet, Path: "/events", Tags: []string{"事件订阅"},
		Summary:     "办件事件流（游标分页，可长轮询，可 SSE）",
		Description: about + "wait=30s 时若暂无新事件，请求挂起直到有事件提交或等待结束。Accept: text/event-stream 时改为 SSE 推送。",
		Security:    bearer, Errors: []int{401, 403, 422},
		Responses: map[string]*huma.Response{"200": {Description: "一页事件", Content: map[string]*huma.MediaType{
			"application/json":  {Schema: a.OpenAPI().Components.Schemas.Schema(reflect.TypeOf(service.EventPage{}), true, "")},
			"text/event-stream": {Schema: &huma.Schema{Type: "string"}},
		}}},
	}, h.listEvents)
	huma.Register(a, huma.Operation{
		OperationID: "stream-events", Method: http.MethodGet, Path: "/events/stream", Tags: []string{"事件订阅"},
		Summary: "办件事件流（SSE）",
		Description: about + "以 Server-Sent Events 推送：每条消息的 id 为游标、event 为事件类型、data 为事件 JSON；" +
			"断线重连时 Last-Event-ID 自动续读，不丢不重。空闲时每 25 秒发一行注释保持连接。",
		Security: bearer, Errors: []int{401, 403, 422},
		Responses: map[string]*huma.Response{"200": {Description: "SSE", Content: map[string]*huma.MediaType{
			"text/event-stream": {Schema: &huma.Schema{Type: "string"}},
		}}},
	}, h.streamEvents)
}

func (h *Handlers) listEvents(ctx context.Context, in *eventsInput) (*huma.StreamResponse, error) {
	if strings.Contains(in.Accept, "text/event-stream") {
		return h.streamEvents(ctx, in)
	}
	q, err := in.query()
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	p, err := h.svc.Events(ctx, q)
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	body, err := json.Marshal(p)
	if err != nil {
		return nil, h.fail(ctx, apperr.Wrap(err, "events"))
	}
	return &huma.StreamResponse{Body: func(hc huma.Context) {
		hc.SetHeader("Content-Type", "application/json")
		hc.SetHeader("Cache-Control", "no-store")
		hc.SetStatus(http.StatusOK)
		_, _ = hc.BodyWriter().Write(body)
	}}, nil
}

// sseHeartbeat is how long a quiet stream waits before a comment line
// keeps proxies from closing it.
const sseHeartbeat = 25 * time.Second

// streamEvents pushes the feed as Server-Sent Events. The first read is
// made before the first byte, so a refusal is a problem document.
func (h *Handlers) streamEvents(ctx context.Context, in *eventsInput) (*huma.StreamResponse, error) {
	q, err := in.query()
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	q.Wait = 0
	first, err := h.svc.Events(ctx, q)
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	return &huma.StreamResponse{Body: func(hc huma.Context) {
		_, w := humago.Unwrap(hc)
		rc := http.NewResponseController(w)
		hc.SetHeader("Content-Type", "text/event-stream; charset=utf-8")
		hc.SetHeader("Cache-Control", "no-store")
		hc.SetHeader("X-Accel-Buffering", "no")
		hc.SetStatus(http.StatusOK)
		send := func(chunk string) bool {
			_ = rc.SetWriteDeadline(time.Now().Add(sseHeartbeat + 30*time.Second))
			if _, err := fmt.Fprint(w, chunk); err != nil {
				return false
			}
			return rc.Flush() == nil
		}
		if !send("retry: 2000\n\n") {
			return
		}
		page := first
		for {
			var b strings.Builder
			for _, e := range page.Events {
				data, _ := json.Marshal(e)
				fmt.Fprintf(&b, "id: %s\nevent: %s\ndata: %s\n\n", e.Position, e.Type, data)
			}
			if b.Len() == 0 {
				b.WriteString(": heartbeat\n\n")
			}
			if !send(b.String()) {
				return
			}
			q.After = page.Cursor
			q.Wait = sseHeartbeat
			if page, err = h.svc.Events(ctx, q); err != nil || ctx.Err() != nil {
				if err != nil && ctx.Err() == nil {
					h.log.Error("event stream", "err", err, "request_id", service.RequestFrom(ctx).ID)
				}
				return
			}
		}
	}}, nil
}
