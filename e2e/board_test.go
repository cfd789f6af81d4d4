package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/onewindow/onewindow/internal/broadcast"
	"github.com/onewindow/onewindow/internal/demo"
	"github.com/onewindow/onewindow/internal/queue"
	"github.com/onewindow/onewindow/internal/service"
)

// The hall's TV shows a call made at a window within moments, without
// reloading: server-sent events in a real browser.
func TestBoardShowsCallsLive(t *testing.T) {
	h := newHall(t)
	ctx := browser(t)
	hub, err := broadcast.New(context.Background(), broadcast.Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(hub.Close)
	h.svc.SetBoard(hub)

	// The board hides the layout's header and footer: wait for its own parts.
	do(t, ctx, "open the board", chromedp.Navigate(h.base+"/board/"+demo.DistrictHall),
		chromedp.WaitVisible(chromedp.CSS(`#board-status[data-state="live"]`)))
	if title := text(t, ctx, ".board-head h1"); !strings.Contains(title, "江川区政务服务中心") {
		t.Fatalf("board title %q", title)
	}

	as := func(user string) context.Context {
		u, err := h.svc.Login(context.Background(), user, h.creds[user])
		if err != nil {
			t.Fatal(err)
		}
		return service.WithRequest(service.WithUser(context.Background(), u), service.Request{ID: "e2e", Channel: "web"})
	}
	cat := &queue.Category{HallCode: demo.DistrictHall, Code: "BD", Name: "显示屏测试", Prefix: "D", Hours: queue.DefaultHours(), DailyCap: 100}
	if err := h.svc.CreateCategory(as("admin"), cat); err != nil {
		t.Fatal(err)
	}
	tk, err := h.svc.TakeTicket(context.Background(), service.TicketRequest{Hall: demo.DistrictHall, Category: "BD"})
	if err != nil {
		t.Fatal(err)
	}
	clerk := as("shouli")
	if _, err := h.svc.Resume(clerk, demo.DistrictHall, "A03"); err != nil {
		t.Fatal(err)
	}
	calledAt := time.Now()
	if _, err := h.svc.CallNext(clerk, demo.DistrictHall, "A03"); err != nil {
		t.Fatal(err)
	}
	waitCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := chromedp.Do(waitCtx, chromedp.WaitVisible(chromedp.CSS(`#board-latest li[data-ticket="`+tk.Ticket.Number+`"]`))); err != nil {
		t.Fatalf("call of %s not on the board within 5 s: %v", tk.Ticket.Number, err)
	}
	t.Logf("call shown on the board %v after CallNext", time.Since(calledAt).Round(time.Millisecond))
	latest := text(t, ctx, "#board-latest li")
	if !strings.Contains(latest, "D001") || !strings.Contains(latest, "A03 号窗口") {
		t.Fatalf("latest call reads %q", latest)
	}
	if recent := text(t, ctx, "#board-recent"); !strings.Contains(recent, "D001") {
		t.Fatalf("recent list reads %q", recent)
	}
	shot(t, ctx, "board")
}
