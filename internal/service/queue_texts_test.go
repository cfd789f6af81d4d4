package service_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/demo"
	"github.com/onewindow/onewindow/internal/queue"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/store"
	"github.com/onewindow/onewindow/internal/store/storetest"
)

// lockedBuffer is a log sink the dispatcher and the test share.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// Queue texts (叫号短信提醒): a ticket taken with a mobile number is texted
// once when the hall's setting or fewer tickets are ahead of it, worded by
// its SMS template, the number masked in the logs.
func TestQueueNearTexts(t *testing.T) {
	clk := clock.At(start)
	storetest.Each(t, clk, func(t *testing.T, st *store.Store) {
		clk.Set(start)
		logs := &lockedBuffer{}
		svc := service.New(st, clk, slog.New(slog.NewTextHandler(logs, nil)), service.DefaultConfig())
		creds, err := svc.LoadDemo(service.AsSystem(context.Background()), demo.Load())
		if err != nil {
			t.Fatal(err)
		}
		as := map[string]context.Context{}
		for _, c := range creds {
			if c.Role == "applicant" {
				continue
			}
			u, err := svc.Login(context.Background(), c.Username, c.Password)
			if err != nil {
				t.Fatal(err)
			}
			as[c.Username] = service.WithUser(context.Background(), u)
		}
		rec := &recordingSender{}
		svc.Use(nil, rec)
		hallCode, kiosk := demo.DistrictHall, context.Background()
		cat := &queue.Category{HallCode: hallCode, Code: "A", Name: "企业开办", Prefix: "A", Hours: queue.DefaultHours(), DailyCap: 100}
		if err := svc.CreateCategory(as["admin"], cat); err != nil {
			t.Fatal(err)
		}

		// The setting: the default is 3; out of range is refused and changes nothing.
		set, err := svc.QueueSettings(as["admin"], hallCode)
		if err != nil || set.TextAhead != 3 {
			t.Fatalf("default settings %+v %v", set, err)
		}
		set.TextAhead = 21
		wantQueueCode(t, "text_ahead 21", svc.SetQueueSettings(as["admin"], hallCode, set), apperr.Invalid)
		set.TextAhead = 1
		wantQueueCode(t, "text_ahead by a clerk", svc.SetQueueSettings(as["shouli"], hallCode, set), apperr.Forbidden)
		if got, _ := svc.QueueSettings(as["admin"], hallCode); got.TextAhead != 3 {
			t.Fatalf("a refused setting changed it to %d", got.TextAhead)
		}
		wantQueueCode(t, "text_ahead 1", svc.SetQueueSettings(as["admin"], hallCode, set), "")
		if got, _ := svc.QueueSettings(as["admin"], hallCode); got.TextAhead != 1 || got.FairnessLimit != set.FairnessLimit {
			t.Fatalf("settings %+v", got)
		}
		// The bureau admin words the text like every other notice.
		if _, err := svc.SaveSMSTemplate(as["admin"], service.SMSTemplateEdit{Kind: service.QueueNearKind, Body: "【滨河政务】{{.Body}}"}); err != nil {
			t.Fatal(err)
		}

		// A bad number is refused and takes no number.
		_, err = svc.TakeTicket(kiosk, service.TicketRequest{Hall: hallCode, Category: "A", Phone: "1380013"})
		wantQueueCode(t, "bad phone", err, apperr.Invalid)
		take := func(phone string) *service.TicketView {
			t.Helper()
			v, err := svc.TakeTicket(kiosk, service.TicketRequest{Hall: hallCode, Category: "A", Phone: phone})
			if err != nil {
				t.Fatal(err)
			}
			return v
		}
		a1, a2 := take(""), take("")
		a3 := take("138 0013 8000")
		a4 := take("+8613900139000")
		a5 := take("13700137000")
		if a1.Ticket.Number != "A001" || a5.Ticket.Number != "A005" {
			t.Fatalf("numbers %s … %s: the refused ticket took a number", a1.Ticket.Number, a5.Ticket.Number)
		}
		_ = a2

		// Nothing is texted before the queue moves.
		dispatch(t, svc)
		if sent := rec.take(); len(sent) != 0 {
			t.Fatalf("texted before any call: %+v", sent)
		}
		if _, err := svc.Resume(as["shouli"], hallCode, "A01"); err != nil {
			t.Fatal(err)
		}
		// A001 called: A003 has one ahead (A002), A004 two.
		if _, err := svc.CallNext(as["shouli"], hallCode, "A01"); err != nil {
			t.Fatal(err)
		}
		dispatch(t, svc)
		sent := rec.take()
		if len(sent) != 1 || sent[0].To != "13800138000" ||
			sent[0].Body != "【滨河政务】您在"+hallName(t, svc, hallCode)+"取的 A003 号（企业开办）前面还有 1 位，请回到大厅留意叫号屏，过号后须重新排队。" {
			t.Fatalf("after the first call: %+v", sent)
		}
		// A005 is cancelled while waiting: never texted.
		if _, err := svc.Cancel(as["shouli"], a5.Ticket.ID); err != nil {
			t.Fatal(err)
		}
		// A002 called: A003 (none ahead) is not texted again; A004 is.
		if _, err := svc.NoShow(as["shouli"], hallCode, "A01", queue.ReasonAbsent); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.CallNext(as["shouli"], hallCode, "A01"); err != nil {
			t.Fatal(err)
		}
		dispatch(t, svc)
		sent = rec.take()
		if len(sent) != 1 || sent[0].To != "13900139000" || !strings.Contains(sent[0].Body, "A004 号") {
			t.Fatalf("after the second call: %+v", sent)
		}
		for range 2 {
			if _, err := svc.NoShow(as["shouli"], hallCode, "A01", queue.ReasonAbsent); err != nil {
				t.Fatal(err)
			}
			if _, err := svc.CallNext(as["shouli"], hallCode, "A01"); err != nil {
				t.Fatal(err)
			}
		}
		dispatch(t, svc)
		if sent := rec.take(); len(sent) != 0 {
			t.Fatalf("texted again: %+v", sent)
		}
		for _, tk := range []*service.TicketView{a3, a4, a5} {
			ns, err := st.TicketTexts(context.Background(), tk.Ticket.ID)
			if err != nil {
				t.Fatal(err)
			}
			want := 1
			if tk == a5 {
				want = 0
			}
			if len(ns) != want || (want == 1 && (ns[0].Kind != service.QueueNearKind || ns[0].SentAt.IsZero())) {
				t.Errorf("%s: texts %+v, want %d sent", tk.Ticket.Number, ns, want)
			}
		}
		// The logs name the numbers masked only.
		out := logs.String()
		for _, full := range []string{"13800138000", "13900139000"} {
			if strings.Contains(out, full) {
				t.Errorf("the logs show %s in full", full)
			}
		}
		if !strings.Contains(out, "138****8000") {
			t.Errorf("the logs do not name the text's number masked: %s", out)
		}

		// Several nodes texting one ticket at once make one text.
		clk.Advance(time.Minute)
		a6 := take("13600136000")
		var wg sync.WaitGroup
		var mu sync.Mutex
		queued := 0
		for range 6 {
			wg.Go(func() {
				ok, err := st.TextTicket(context.Background(), store.TicketText{TicketID: a6.Ticket.ID, To: "13600136000",
					Kind: service.QueueNearKind, Subject: "即将叫号", Body: "x", At: clk.Now()})
				if err != nil {
					t.Error(err)
				}
				if ok {
					mu.Lock()
					queued++
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		if ns, err := st.TicketTexts(context.Background(), a6.Ticket.ID); err != nil || len(ns) != 1 || queued != 1 {
			t.Errorf("six concurrent texts of one ticket: %d queued, %d rows (%v)", queued, len(ns), err)
		}
		dispatch(t, svc)
		if sent := rec.take(); len(sent) != 1 {
			t.Errorf("six concurrent texts of one ticket sent %d messages", len(sent))
		}

		// TextAhead 0: no texts at all.
		set.TextAhead = 0
		wantQueueCode(t, "text_ahead 0", svc.SetQueueSettings(as["admin"], hallCode, set), "")
		take("13500135000")
		if _, err := svc.NoShow(as["shouli"], hallCode, "A01", queue.ReasonAbsent); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.CallNext(as["shouli"], hallCode, "A01"); err != nil {
			t.Fatal(err)
		}
		dispatch(t, svc)
		if sent := rec.take(); len(sent) != 0 {
			t.Fatalf("texted with text_ahead 0: %+v", sent)
		}
	})
}

// hallName is the hall's name as applicants read it.
func hallName(t *testing.T, svc *service.Service, code string) string {
	t.Helper()
	halls, err := svc.Halls(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range halls {
		if h.Code == code {
			return h.Name
		}
	}
	t.Fatalf("no hall %s", code)
	return ""
}
