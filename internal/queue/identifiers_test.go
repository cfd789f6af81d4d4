package queue_test

import (
	"testing"

	"github.com/onewindow/onewindow/internal/queue"
)

func TestParseTicketNumber(t *testing.T) {
	for in, want := range map[string]string{"A003": "A003", "a003": "A003", "AB120": "AB120", " A003": "", "A003\t": "",
		"A 003": "", "A03": "", "\u0131003": "", "": ""} {
		got, err := queue.ParseTicketNumber("ticket", in)
		if (want == "") != (err != nil) || got != want {
			t.Errorf("ParseTicketNumber(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
}
