package broadcast

import (
	"context"
	"encoding/json"
	"time"

	"github.com/jackc/pgx/v5"
)

// listen keeps a LISTEN connection open until ctx ends, delivering each
// notification to this node's subscribers.
func (h *Hub) listen(ctx context.Context) error {
	backoff := 100 * time.Millisecond
	for first := true; ; first = false {
		err := h.listenOnce(ctx, !first)
		if ctx.Err() != nil {
			return nil
		}
		h.log.Warn("board listener lost its connection; reconnecting", "err", err, "in", backoff)
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, 5*time.Second)
	}
}

func (h *Hub) listenOnce(ctx context.Context, again bool) error {
	conn, err := pgx.Connect(ctx, h.cfg.DSN)
	if err != nil {
		return err
	}
	defer func() {
		closeCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
		defer cancel()
		conn.Close(closeCtx)
	}()
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{h.cfg.Channel}.Sanitize()); err != nil {
		return err
	}
	if again {
		h.catchUp(ctx)
	}
	h.listeningOnce.Do(func() { close(h.listening) })
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		var ev Event
		if err := json.Unmarshal([]byte(n.Payload), &ev); err != nil {
			h.log.Error("board notification unreadable", "err", err)
			continue
		}
		h.deliver(ev)
	}
}

// catchUp delivers what the subscribed halls recorded while the listener
// was away.
func (h *Hub) catchUp(ctx context.Context) {
	h.mu.Lock()
	from := map[string]int64{}
	for hall, set := range h.subs {
		if len(set) > 0 {
			from[hall] = h.seen[hall]
		}
	}
	h.mu.Unlock()
	for hall, after := range from {
		evs, err := h.since(ctx, hall, after, h.cfg.Keep)
		if err != nil {
			h.log.Error("board catch-up", "hall", hall, "err", err)
			continue
		}
		for _, ev := range evs {
			h.deliver(ev)
		}
	}
}
