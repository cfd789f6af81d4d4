package store_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/store"
	"github.com/onewindow/onewindow/internal/store/storetest"
	"github.com/onewindow/onewindow/internal/webhook"
)

func subscribe(t *testing.T, st *store.Store, types, items []string) *webhook.Subscription {
	t.Helper()
	w := &webhook.Subscription{DepartmentCode: "SCJG", URL: "https://hooks.example/x", EventTypes: types, ItemCodes: items,
		Secrets: []webhook.Secret{webhook.NewSecret(start)}, CreatedBy: "scjg_admin", CreatedAt: start, UpdatedAt: start}
	must(t, st.CreateWebhook(t.Context(), w))
	return w
}

func TestWebhookDeliveriesQueuedInOrder(t *testing.T) {
	storetest.Each(t, clock.At(start), func(t *testing.T, st *store.Store) {
		ctx := t.Context()
		must(t, st.Load(ctx, demoSeed(), "test"))
		all := subscribe(t, st, nil, nil)
		accepted := subscribe(t, st, []string{"cn.gov.onewindow.case.accepted"}, nil)
		otherItem := subscribe(t, st, nil, []string{"NO-SUCH-ITEM"})
		got, err := st.Webhook(ctx, all.ID)
		must(t, err)
		if got.Secrets[0].Key != all.Secrets[0].Key || got.URL != all.URL {
			t.Fatalf("read back %+v", got)
		}

		a := feedCase(t, st, "SCJG-XK-001", "SCJG", start)
		b := feedCase(t, st, "SCJG-XK-001", "SCJG", start)
		must(t, feedStep(st, a.Number, start.Add(time.Minute), casework.ActAccept, casework.Accepted))
		must(t, feedStep(st, a.Number, start.Add(2*time.Minute), casework.ActPause, casework.Accepted))

		count := func(w *webhook.Subscription) int {
			ds, err := st.WebhookDeliveries(ctx, w.ID, 0, 100)
			must(t, err)
			return len(ds)
		}
		if n := count(all); n != 4 {
			t.Errorf("all-events subscription has %d deliveries, want 4", n)
		}
		if n := count(accepted); n != 1 {
			t.Errorf("accepted-only subscription has %d deliveries, want 1", n)
		}
		if n := count(otherItem); n != 0 {
			t.Errorf("other item's subscription has %d deliveries", n)
		}
		// Only the heads of each (subscription, case) line are due: a's
		// intake (for all), a's acceptance (for accepted), b's intake.
		now := start.Add(time.Hour)
		claimed, err := st.ClaimWebhookDeliveries(ctx, now, time.Minute, 100, 5)
		must(t, err)
		heads := map[string]bool{}
		for _, d := range claimed {
			heads[fmt.Sprintf("%d/%s/%d", d.SubscriptionID, d.CaseNumber, d.EventSeq)] = true
		}
		want := map[string]bool{fmt.Sprintf("%d/%s/1", all.ID, a.Number): true, fmt.Sprintf("%d/%s/1", all.ID, b.Number): true,
			fmt.Sprintf("%d/%s/2", accepted.ID, a.Number): true}
		if fmt.Sprint(heads) != fmt.Sprint(want) {
			t.Fatalf("claimed %v, want %v", heads, want)
		}
		// a's first delivery fails and will be retried: a's second is still not due.
		var outs []store.DeliveryOutcome
		for _, d := range claimed {
			o := store.DeliveryOutcome{Outcome: store.Outcome{ID: d.ID, Attempt: d.Attempts}, ResponseCode: 200}
			if d.SubscriptionID == all.ID && d.CaseNumber == a.Number {
				o.Err, o.RetryAt, o.ResponseCode = "503", now.Add(time.Second), 503
			}
			outs = append(outs, o)
		}
		paused, err := st.ReportWebhookDeliveries(ctx, now, outs, "停")
		must(t, err)
		if len(paused) != 0 {
			t.Fatalf("paused %v after a retryable failure", paused)
		}
		again, err := st.ClaimWebhookDeliveries(ctx, now, time.Minute, 100, 5)
		must(t, err)
		if len(again) != 0 {
			t.Fatalf("claimed %d while the line's head waits to be retried", len(again))
		}
		retry, err := st.ClaimWebhookDeliveries(ctx, now.Add(2*time.Second), time.Minute, 100, 5)
		must(t, err)
		if len(retry) != 1 || retry[0].EventSeq != 1 || retry[0].Attempts != 2 || retry[0].ResponseCode != 503 {
			t.Fatalf("retry claimed %+v", retry)
		}
		// Given up: the subscription is paused and nothing more is sent.
		paused, err = st.ReportWebhookDeliveries(ctx, now, []store.DeliveryOutcome{{Outcome: store.Outcome{ID: retry[0].ID, Attempt: 2, Err: "timeout"}}}, "连续失败，已暂停")
		must(t, err)
		if len(paused) != 1 || paused[0] != all.ID {
			t.Fatalf("paused %v, want [%d]", paused, all.ID)
		}
		w, err := st.Webhook(ctx, all.ID)
		must(t, err)
		if !w.Paused() || w.PausedReason != "连续失败，已暂停" {
			t.Fatalf("subscription after giving up: %+v", w)
		}
		if more, _ := st.ClaimWebhookDeliveries(ctx, now.Add(time.Hour), time.Minute, 100, 5); len(more) != 0 {
			t.Fatalf("a paused subscription's deliveries claimed: %d", len(more))
		}
		// Redelivery queues the event again; resumed, it goes out.
		d, err := st.RedeliverWebhook(ctx, retry[0].ID, now)
		must(t, err)
		if d.EventSeq != 1 || d.Status() != "pending" || d.MessageID() != retry[0].MessageID() {
			t.Fatalf("redelivery %+v", d)
		}
		w.PausedAt, w.PausedReason = time.Time{}, ""
		must(t, st.UpdateWebhook(ctx, w))
		next, err := st.ClaimWebhookDeliveries(ctx, now.Add(time.Hour), time.Minute, 100, 5)
		must(t, err)
		if len(next) != 1 || next[0].CaseNumber != a.Number || next[0].EventSeq != 2 {
			t.Fatalf("after resuming claimed %+v, want a's second event (the line goes on past the failed one)", next)
		}
	})
}

// TestWebhookClaimsOnSeveralNodes: dispatchers on several nodes claim at
// once; no delivery is ever held by two.
func TestWebhookClaimsOnSeveralNodes(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			nodes := storetest.OpenNodes(t, d, clock.At(start), 3)
			ctx := t.Context()
			must(t, nodes[0].Load(ctx, demoSeed(), "test"))
			subscribe(t, nodes[0], nil, nil)
			const cases = 40
			for range cases {
				feedCase(t, nodes[0], "SCJG-XK-001", "SCJG", start)
			}
			var mu sync.Mutex
			held := map[int64]int{}
			var wg sync.WaitGroup
			for _, n := range nodes {
				wg.Go(func() {
					for range 10 {
						ds, err := n.ClaimWebhookDeliveries(ctx, start.Add(time.Hour), time.Minute, 7, 5)
						if err != nil {
							t.Error(err)
							return
						}
						mu.Lock()
						for _, d := range ds {
							held[d.ID]++
						}
						mu.Unlock()
					}
				})
			}
			wg.Wait()
			if len(held) != cases {
				t.Errorf("%d deliveries claimed, want %d", len(held), cases)
			}
			for id, n := range held {
				if n != 1 {
					t.Errorf("delivery %d claimed %d times", id, n)
				}
			}
		})
	}
}
