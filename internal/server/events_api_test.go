package server_test

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/service"
)

// TestEventFeedAPI: the feed through HTTP, as a department system reads it:
// pages by cursor, long polling, SSE with Last-Event-ID, and who may read.
func TestEventFeedAPI(t *testing.T) {
	eachDesk(t, "2026-09-30T09:00:00+08:00", func(t *testing.T, d *caseDesk) {
		c := d.take(t, foodLicence())
		d.mustAct(t, "shenpi", c.Number, casework.ActAccept, nil)

		r := d.get(t, "shenpi", "/api/v1/events?limit=1")
		mustStatus(t, r, http.StatusOK)
		p := decodeAs[service.EventPage](t, r)
		if len(p.Events) != 1 || p.Events[0].Number != c.Number || p.Events[0].Seq != 1 || p.Cursor != p.Events[0].Position {
			t.Fatalf("first page %+v", p)
		}
		p = decodeAs[service.EventPage](t, d.get(t, "shenpi", "/api/v1/events?after="+p.Cursor))
		if len(p.Events) != 1 || p.Events[0].Seq != 2 || p.Events[0].State != "accepted" || p.Events[0].Type != "cn.gov.onewindow.case.accepted" {
			t.Fatalf("second page %+v", p)
		}
		end := p.Cursor
		if p := decodeAs[service.EventPage](t, d.get(t, "shenpi2", "/api/v1/events")); len(p.Events) != 0 {
			t.Errorf("another department's reviewer reads %d events", len(p.Events))
		}
		mustStatus(t, d.get(t, "daiban", "/api/v1/events"), http.StatusForbidden)
		mustStatus(t, d.get(t, "", "/api/v1/events"), http.StatusUnauthorized)
		mustStatus(t, d.get(t, "shenpi", "/api/v1/events?wait=forever"), http.StatusUnprocessableEntity)
		mustStatus(t, d.get(t, "shenpi", "/api/v1/events?after=nonsense"), http.StatusUnprocessableEntity)

		// Long poll: held open until the next commit.
		done := make(chan *reply, 1)
		go func() {
			r, _ := d.send(http.MethodGet, "shenpi", "/api/v1/events?wait=20s&after="+end, nil)
			done <- r
		}()
		time.Sleep(200 * time.Millisecond)
		d.mustAct(t, "shenpi", c.Number, casework.ActPause, nil)
		select {
		case r := <-done:
			p := decodeAs[service.EventPage](t, r)
			if len(p.Events) != 1 || p.Events[0].Seq != 3 {
				t.Fatalf("long poll %+v", p)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("the long poll was not answered by the commit")
		}

		// SSE from a Last-Event-ID: the events after it, each with its cursor as id.
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, d.base+"/api/v1/events/stream", nil)
		req.Header.Set("Authorization", "Bearer "+d.tokens["shenpi"])
		req.Header.Set("Last-Event-ID", end)
		res, err := d.client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/event-stream") {
			t.Fatalf("stream: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
		}
		sc := bufio.NewScanner(res.Body)
		var lines []string
		for sc.Scan() {
			lines = append(lines, sc.Text())
			if strings.HasPrefix(sc.Text(), "data: ") {
				break
			}
		}
		got := strings.Join(lines, "\n")
		if !strings.Contains(got, "event: cn.gov.onewindow.case.paused") || !strings.Contains(got, fmt.Sprintf(`"number":"%s","seq":3`, c.Number)) {
			t.Fatalf("stream began:\n%s", got)
		}
	})
}

// TestWebhooksAPI: subscriptions through the API, with the address rule.
func TestWebhooksAPI(t *testing.T) {
	eachDesk(t, "2026-09-30T09:00:00+08:00", func(t *testing.T, d *caseDesk) {
		r := d.post(t, "bumen", "/api/v1/webhooks", map[string]any{"url": "http://127.0.0.1:8080/hook"})
		mustStatus(t, r, http.StatusUnprocessableEntity)
		r = d.post(t, "bumen", "/api/v1/webhooks", map[string]any{"url": "http://169.254.169.254/latest"})
		mustStatus(t, r, http.StatusUnprocessableEntity)
		mustStatus(t, d.post(t, "shenpi", "/api/v1/webhooks", map[string]any{"url": "https://93.184.216.34/h"}), http.StatusForbidden)
		r = d.post(t, "bumen", "/api/v1/webhooks", map[string]any{"url": "https://93.184.216.34/h", "event_types": []string{"cn.gov.onewindow.case.decided"}})
		mustStatus(t, r, http.StatusCreated)
		w := decodeAs[struct {
			ID     int64
			Secret string
		}](t, r)
		if w.ID == 0 || !strings.HasPrefix(w.Secret, "whsec_") {
			t.Fatalf("created %+v", w)
		}
		path := fmt.Sprintf("/api/v1/webhooks/%d", w.ID)
		mustStatus(t, d.get(t, "bumen", path), http.StatusOK)
		mustStatus(t, d.get(t, "admin", path), http.StatusOK)
		mustStatus(t, d.get(t, "bumen", path+"/deliveries"), http.StatusOK)
		r = d.get(t, "bumen", "/api/v1/webhooks")
		mustStatus(t, r, http.StatusOK)
		if !strings.Contains(string(r.body), "cn.gov.onewindow.case.accepted") || strings.Contains(string(r.body), w.Secret) {
			t.Errorf("list: %s", r.body)
		}
		r = d.post(t, "bumen", path+"/rotate-secret", nil)
		mustStatus(t, r, http.StatusOK)
		mustStatus(t, d.post(t, "bumen", path+"/pause", nil), http.StatusOK)
		r, err := d.send(http.MethodDelete, "bumen", path, nil)
		if err != nil {
			t.Fatal(err)
		}
		mustStatus(t, r, http.StatusNoContent)
		mustStatus(t, d.get(t, "bumen", path), http.StatusNotFound)
	})
}
