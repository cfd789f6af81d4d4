package hall_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/broadcast"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/demo"
	"github.com/onewindow/onewindow/internal/queue"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/store"
	"github.com/onewindow/onewindow/internal/store/storetest"
)

// boardHub attaches a hub on st to svc, as serve does; on PostgreSQL it
// listens on a channel of the test's own.
func boardHub(t *testing.T, st *store.Store, svc *service.Service) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	cfg := broadcast.Config{DB: st.DB()}
	if st.Dialect() == store.Postgres {
		cfg.Postgres, cfg.DSN = true, os.Getenv(storetest.PostgresEnv)
		cfg.Channel = fmt.Sprintf("board_web_test_%d", time.Now().UnixNano())
	}
	hub, err := broadcast.New(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { defer close(done); hub.Run(ctx) }()
	t.Cleanup(func() { hub.Close(); cancel(); <-done })
	<-hub.Listening()
	svc.SetBoard(hub)
}

// sseEvent is one message read off a board's stream.
type sseEvent struct {
	Type string
	ID   string
	Data broadcast.Event
}

// stream connects to a board's event stream and sends its messages on the
// returned channel until the test ends.
func stream(t *testing.T, url, lastID string) <-chan sseEvent {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	req, _ := http.NewRequestWithContext(ctx, "GET", url, nil)
	if lastID != "" {
		req.Header.Set("Last-Event-ID", lastID)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/event-stream") {
		t.Fatalf("stream: %s %s", res.Status, res.Header.Get("Content-Type"))
	}
	out := make(chan sseEvent, 100)
	go func() {
		defer res.Body.Close()
		sc := bufio.NewScanner(res.Body)
		ev := sseEvent{Type: "message"}
		for sc.Scan() {
			line := sc.Text()
			switch {
			case line == "":
				if ev.ID != "" {
					out <- ev
				}
				ev = sseEvent{Type: "message"}
			case strings.HasPrefix(line, "event: "):
				ev.Type = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "id: "):
				ev.ID = strings.TrimPrefix(line, "id: ")
			case strings.HasPrefix(line, "data: "):
				json.Unmarshal([]byte(strings.TrimPrefix(line, "data: ")), &ev.Data)
			}
		}
	}()
	return out
}

func next(t *testing.T, c <-chan sseEvent, typ, ticket string, kind broadcast.Kind) sseEvent {
	t.Helper()
	select {
	case ev := <-c:
		if ev.Type != typ || ev.Data.Ticket != ticket || ev.Data.Kind != kind {
			t.Fatalf("got %s %+v, want %s of %s %s", ev.Type, ev.Data, typ, kind, ticket)
		}
		return ev
	case <-time.After(5 * time.Second):
		t.Fatalf("no %s of %s within 5 s", kind, ticket)
	}
	return sseEvent{}
}

func TestBoardStreamsCalls(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 9, 30, 9, 0, 0, 0, clock.Shanghai)
	clk := clock.At(start)
	storetest.Each(t, clk, func(t *testing.T, st *store.Store) {
		clk.Set(start)
		h := newHall(t, st, clk)
		boardHub(t, st, h.svc)
		hallCode := demo.DistrictHall

		b := h.browser(t)
		b.get("/board/"+hallCode).want(t, 200, "江川区政务服务中心", "叫号显示", "board.js", `data-events="/board/JC-ZWZX/events"`)
		b.get("/board/NO-SUCH").want(t, 404)
		if res, err := http.Get(h.url + "/board/NO-SUCH/events"); err != nil || res.StatusCode != 404 {
			t.Fatalf("stream of an unknown hall: %v %v", res.Status, err)
		}

		live := stream(t, h.url+"/board/"+hallCode+"/events", "")
		cat := &queue.Category{HallCode: hallCode, Code: "BD", Name: "显示屏测试", Prefix: "D", Hours: queue.DefaultHours(), DailyCap: 100}
		if err := h.svc.CreateCategory(h.as["admin"], cat); err != nil {
			t.Fatal(err)
		}
		tk, err := h.svc.TakeTicket(context.Background(), service.TicketRequest{Hall: hallCode, Category: "BD", IDNumber: "11010519491231002X"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := h.svc.Resume(h.as["shouli"], hallCode, "A03"); err != nil {
			t.Fatal(err)
		}
		if _, err := h.svc.CallNext(h.as["shouli"], hallCode, "A03"); err != nil {
			t.Fatal(err)
		}
		called := next(t, live, "message", tk.Ticket.Number, broadcast.Call)
		if called.Data.Window != "A03" || called.Data.WindowName != "综合受理窗口（个人类）" || called.Data.Hall != hallCode ||
			!called.Data.At.Equal(clk.Now()) || called.ID != fmt.Sprint(called.Data.ID) {
			t.Fatalf("call event %+v", called)
		}
		if _, err := h.svc.Recall(h.as["shouli"], hallCode, "A03"); err != nil {
			t.Fatal(err)
		}
		next(t, live, "message", "D001", broadcast.Recall)
		if _, err := h.svc.NoShow(h.as["shouli"], hallCode, "A03", queue.ReasonAbsent); err != nil {
			t.Fatal(err)
		}
		next(t, live, "message", "D001", broadcast.NoShow)

		// A new board gets the recent calls as history, not to announce.
		fresh := stream(t, h.url+"/board/"+hallCode+"/events", "")
		next(t, fresh, "history", "D001", broadcast.Call)
		next(t, fresh, "history", "D001", broadcast.Recall)
		next(t, fresh, "history", "D001", broadcast.NoShow)
		// A board reconnecting after the call catches up on what it missed.
		again := stream(t, h.url+"/board/"+hallCode+"/events", called.ID)
		next(t, again, "message", "D001", broadcast.Recall)
		next(t, again, "message", "D001", broadcast.NoShow)
	})
}
