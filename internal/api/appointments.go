package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/service"
)

type slotsInput struct {
	Hall     string `path:"hall" maxLength:"32" doc:"大厅编码"`
	Category string `query:"category" required:"true" maxLength:"16" doc:"取号类别编码"`
	Date     string `query:"date" required:"true" doc:"日期 YYYY-MM-DD"`
}

type slotsOutput struct {
	Body struct {
		Slots []service.Slot `json:"slots" doc:"当天的预约时段；非工作日为空"`
	}
}

type bookInput struct {
	Hall string `path:"hall" maxLength:"32" doc:"大厅编码"`
	Body struct {
		Category string `json:"category" maxLength:"16" doc:"取号类别编码"`
		Date     string `json:"date" doc:"日期 YYYY-MM-DD"`
		Slot     string `json:"slot" maxLength:"5" doc:"时段开始，如 09:00"`
		Name     string `json:"name" maxLength:"50"`
		IDNumber string `json:"id_number" maxLength:"32" doc:"居民身份证号码"`
		Phone    string `json:"phone" maxLength:"20" doc:"手机号码"`
	}
}

type bookingOutput struct {
	Body struct {
		Booking *service.BookingView `json:"booking"`
		Code    string               `json:"code,omitempty" doc:"预约码：只在预约时返回一次，取消和签到时使用"`
	}
}

type cancelInput struct {
	Body struct {
		Code string `json:"code" maxLength:"32" doc:"预约码"`
	}
}

func (h *Handlers) registerAppointments(a huma.API) {
	tags := []string{"预约"}
	huma.Register(a, huma.Operation{
		OperationID: "appointment-slots", Method: http.MethodGet, Path: "/appointments/{hall}/slots", Tags: tags,
		Summary: "某日某类别的预约时段及余位（按工作日历，节假日和大厅闭厅日没有时段）", Errors: []int{404, 422},
	}, h.appointmentSlots)
	huma.Register(a, huma.Operation{
		OperationID: "book-appointment", Method: http.MethodPost, Path: "/appointments/{hall}", Tags: tags,
		Summary: "预约（每个证件号码每天限一个有效预约）", DefaultStatus: http.StatusCreated, Errors: []int{404, 409, 422},
	}, h.bookAppointment)
	huma.Register(a, huma.Operation{
		OperationID: "cancel-appointment", Method: http.MethodPost, Path: "/appointments/cancel", Tags: tags,
		Summary: "凭预约码取消预约（时段开始前）", Errors: []int{404, 409, 422},
	}, h.cancelAppointment)
}

func (h *Handlers) appointmentSlots(ctx context.Context, in *slotsInput) (*slotsOutput, error) {
	day, err := calendar.ParseDate(in.Date)
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	slots, err := h.svc.AppointmentSlots(ctx, in.Hall, in.Category, day)
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	out := &slotsOutput{}
	out.Body.Slots = nonNilSlice(slots)
	return out, nil
}

func (h *Handlers) bookAppointment(ctx context.Context, in *bookInput) (*bookingOutput, error) {
	day, err := calendar.ParseDate(in.Body.Date)
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	v, code, err := h.svc.Book(ctx, service.BookingRequest{Hall: in.Hall, Category: in.Body.Category, Date: day,
		Slot: in.Body.Slot, Name: in.Body.Name, IDNumber: in.Body.IDNumber, Phone: in.Body.Phone})
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	out := &bookingOutput{}
	out.Body.Booking, out.Body.Code = v, code
	return out, nil
}

func (h *Handlers) cancelAppointment(ctx context.Context, in *cancelInput) (*bookingOutput, error) {
	v, err := h.svc.CancelByCode(ctx, in.Body.Code)
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	out := &bookingOutput{}
	out.Body.Booking = v
	return out, nil
}
