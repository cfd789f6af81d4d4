package api

import (
	"context"
	"fmt"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/service"
)

type yearInput struct {
	Year int    `path:"year" minimum:"2000" maximum:"2100" doc:"年份"`
	Hall string `query:"hall" doc:"大厅编码；填写时叠加该大厅自己的休息日"`
}

type yearOutput struct {
	Body struct {
		Year        int                `json:"year"`
		Hall        string             `json:"hall,omitempty"`
		WorkingDays int                `json:"working_days" doc:"全年工作日数"`
		CloseTime   string             `json:"close_time" doc:"期限截止的下班时间"`
		Days        []calendar.DayInfo `json:"days"`
	}
}

type dayInput struct {
	Date string `path:"date" doc:"日期 YYYY-MM-DD"`
	Body struct {
		Working bool   `json:"working" doc:"true 为工作日（含调休上班），false 为休息日"`
		Name    string `json:"name" minLength:"1" maxLength:"50" doc:"原因，如“春节”“春节调休上班”“设备检修”"`
		Hall    string `json:"hall,omitempty" doc:"大厅编码；填写时只改该大厅"`
	}
}

type resetDayInput struct {
	Date string `path:"date" doc:"日期 YYYY-MM-DD"`
	Hall string `query:"hall" doc:"大厅编码；填写时只改该大厅"`
}

func (h *Handlers) registerCalendar(a huma.API) {
	huma.Register(a, huma.Operation{
		OperationID: "get-calendar", Method: http.MethodGet, Path: "/calendar/{year}", Tags: []string{"工作日历"},
		Summary:     "一年的工作日历",
		Description: "周一至周五为工作日，减去法定节假日，加上调休上班的周末。期限按工作日计算：事件当日不计，截止于第 N 个工作日下班时。",
		Errors:      []int{422},
	}, h.calendarYear)
	huma.Register(a, huma.Operation{
		OperationID: "set-calendar-day", Method: http.MethodPut, Path: "/calendar/days/{date}", Tags: []string{"工作日历"},
		Summary: "设定某日为工作日或休息日（局管理员）", Security: bearer, DefaultStatus: http.StatusNoContent,
		Errors: []int{401, 403, 422},
	}, h.setDay)
	huma.Register(a, huma.Operation{
		OperationID: "reset-calendar-day", Method: http.MethodDelete, Path: "/calendar/days/{date}", Tags: []string{"工作日历"},
		Summary: "取消某日的设定，恢复按星期计算（局管理员）", Security: bearer, DefaultStatus: http.StatusNoContent,
		Errors: []int{401, 403, 422},
	}, h.resetDay)
}

func (h *Handlers) calendarYear(ctx context.Context, in *yearInput) (*yearOutput, error) {
	days, err := h.svc.CalendarYear(ctx, in.Year, in.Hall)
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	out := &yearOutput{}
	out.Body.Year, out.Body.Hall, out.Body.Days = in.Year, in.Hall, days
	for _, d := range days {
		if d.Working {
			out.Body.WorkingDays++
		}
	}
	s := h.svc.Config().Calendar
	out.Body.CloseTime = fmt.Sprintf("%02d:%02d", s.CloseHour, s.CloseMinute)
	return out, nil
}

func (h *Handlers) setDay(ctx context.Context, in *dayInput) (*struct{}, error) {
	d, err := calendar.ParseDate(in.Date)
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	change := service.DayChange{Override: calendar.Override{Date: d, Working: in.Body.Working, Name: in.Body.Name}}
	if err := h.svc.ChangeDays(ctx, in.Body.Hall, []service.DayChange{change}); err != nil {
		return nil, h.fail(ctx, err)
	}
	return nil, nil
}

func (h *Handlers) resetDay(ctx context.Context, in *resetDayInput) (*struct{}, error) {
	d, err := calendar.ParseDate(in.Date)
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	change := service.DayChange{Override: calendar.Override{Date: d}, Reset: true}
	if err := h.svc.ChangeDays(ctx, in.Hall, []service.DayChange{change}); err != nil {
		return nil, h.fail(ctx, err)
	}
	return nil, nil
}
