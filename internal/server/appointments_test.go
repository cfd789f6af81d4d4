package server_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/onewindow/onewindow/internal/service"
)

// TestAppointmentsAPI books, refuses a second booking for the same ID that
// day, lists the seat as taken and cancels by the booking code, through the
// JSON API; a holiday has no slots.
func TestAppointmentsAPI(t *testing.T) {
	eachDatabase(t, func(t *testing.T, f *fixture) {
		svc := service.New(f.st, f.clk, slog.New(slog.NewTextHandler(io.Discard, nil)), service.DefaultConfig())
		if err := svc.LoadDemoQueue(service.AsSystem(context.Background())); err != nil {
			t.Fatal(err)
		}
		booking := map[string]string{"category": "A", "date": "2026-10-08", "slot": "09:00",
			"name": "王小明", "id_number": "11010519491231002X", "phone": "13900139000"}
		var code string
		f.run(t, []scenario{
			{name: "a holiday has no slots", method: "GET", path: "/api/v1/appointments/JC-ZWZX/slots?category=A&date=2026-10-01",
				want: http.StatusOK, check: contains(`"slots":[]`)},
			{name: "slots of the first working day after the holiday", method: "GET", path: "/api/v1/appointments/JC-ZWZX/slots?category=A&date=2026-10-08",
				want: http.StatusOK, check: contains(`"start":"09:00"`)},
			{name: "book", method: "POST", path: "/api/v1/appointments/JC-ZWZX", body: booking, want: http.StatusCreated,
				check: func(t *testing.T, r *response) {
					out := decode[struct {
						Booking struct {
							IDNumber string `json:"id_number"`
							State    string `json:"state"`
						} `json:"booking"`
						Code string `json:"code"`
					}](t, r)
					if out.Code == "" || out.Booking.State != "booked" || strings.Contains(string(r.body), "11010519491231002X") {
						t.Fatalf("booking: %s", r.body)
					}
					code = out.Code
				}},
			{name: "a second booking that day for the same ID", method: "POST", path: "/api/v1/appointments/JC-ZWZX", body: booking,
				want: http.StatusConflict},
			{name: "a bad ID number", method: "POST", path: "/api/v1/appointments/JC-ZWZX",
				body: map[string]string{"category": "A", "date": "2026-10-08", "slot": "09:30", "name": "李四", "id_number": "110105194912310021", "phone": "13900139000"},
				want: http.StatusUnprocessableEntity},
			{name: "a wrong booking code", method: "POST", path: "/api/v1/appointments/cancel", body: map[string]string{"code": "NOPE000000"},
				want: http.StatusNotFound},
		})
		f.run(t, []scenario{
			{name: "cancel by the code", method: "POST", path: "/api/v1/appointments/cancel", body: map[string]string{"code": code},
				want: http.StatusOK, check: contains(`"state":"cancelled"`)},
			{name: "after cancelling the same ID may book again", method: "POST", path: "/api/v1/appointments/JC-ZWZX", body: booking,
				want: http.StatusCreated},
		})
	})
}
