package service

// Observer is told what the metrics count and only the use cases see:
// deliveries that failed. (Transitions are counted by the store's commit
// hook, requests by the server's middleware, gauges on each scrape.) Its
// methods must not block.
type Observer interface {
	// DeliveryFailed counts a message or delivery that failed for good:
	// channel is "notification" (the outbox gave up) or "sms_receipt" (the
	// gateway reported it undelivered).
	DeliveryFailed(channel string)
}

// noObserver counts nothing: the default.
type noObserver struct{}

func (noObserver) DeliveryFailed(string) {}

// Observe makes o the observer of the use cases' counts (nil: none).
func (s *Service) Observe(o Observer) {
	if o == nil {
		o = noObserver{}
	}
	s.metrics = o
}
