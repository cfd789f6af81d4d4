package clock_test

import (
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/clock"
)

func TestTraining(t *testing.T) {
	if clock.Training(clock.System{}) {
		t.Error("the system clock is not training")
	}
	if !clock.Training(clock.StartingAt(time.Date(2026, 9, 30, 14, 0, 0, 0, clock.Shanghai))) {
		t.Error("serve --now's clock is training")
	}
	m := clock.At(time.Now())
	if clock.Training(m) {
		t.Error("a manual clock is not training until told")
	}
	m.SetTraining(true)
	if !clock.Training(m) {
		t.Error("SetTraining(true) did not count")
	}
}
