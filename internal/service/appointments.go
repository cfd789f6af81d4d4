package service

import (
	"context"
	"crypto/rand"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/identity"
	"github.com/onewindow/onewindow/internal/org"
	"github.com/onewindow/onewindow/internal/queue"
	"github.com/onewindow/onewindow/internal/store"
)

// Appointments (预约): a category's issuing hours on each working day of
// the hall's calendar are cut into slots (store.AppointmentPlan) with a
// number of seats each. Slots are not stored ahead: they are worked out
// from the calendar and the category when asked for, so a holiday or a
// hall closure entered later simply has none. Booking is public (the
// applicant online) or by a clerk of the hall; the applicant gets a
// booking code, shown once, to cancel or check in with. Checking in at the
// hall turns the booking into an appointment-priority ticket through the
// kiosk's own TakeTicket path, so numbering, the daily cap and the
// one-open-ticket-per-ID rule are the kiosk's.

// The appointment rules.
const (
	// BookAhead is how many days ahead, today included, may be booked.
	BookAhead = 14
	// CheckInEarly and CheckInLate bound check-in around the slot's start.
	CheckInEarly = 30 * time.Minute
	CheckInLate  = 15 * time.Minute
)

// Slot is one appointment slot of a category's day with its free seats.
type Slot struct {
	Start     string    `json:"start" example:"09:00" doc:"时段开始（北京时间）"`
	End       string    `json:"end" example:"09:30" doc:"时段结束"`
	StartsAt  time.Time `json:"starts_at"`
	EndsAt    time.Time `json:"ends_at"`
	Capacity  int       `json:"capacity" doc:"本时段可预约人数"`
	Remaining int       `json:"remaining" doc:"剩余可预约人数"`
	Open      bool      `json:"open" doc:"是否仍可预约（尚未开始且有余位）"`
}

// Label writes the slot as "09:00–09:30".
func (s Slot) Label() string { return s.Start + "–" + s.End }

// daySlots cuts a category's issuing hours of day into slots of the plan's
// length; a slot must end inside its span.
func daySlots(c *queue.Category, p store.AppointmentPlan, day calendar.Date) []Slot {
	var out []Slot
	for _, span := range c.Hours {
		start, err1 := time.Parse("15:04", span.Start)
		end, err2 := time.Parse("15:04", span.End)
		if err1 != nil || err2 != nil {
			continue
		}
		for t := start; !t.Add(time.Duration(p.SlotMinutes) * time.Minute).After(end); t = t.Add(time.Duration(p.SlotMinutes) * time.Minute) {
			e := t.Add(time.Duration(p.SlotMinutes) * time.Minute)
			out = append(out, Slot{Start: t.Format("15:04"), End: e.Format("15:04"),
				StartsAt: day.At(t.Hour(), t.Minute()), EndsAt: day.At(e.Hour(), e.Minute()), Capacity: p.Capacity})
		}
	}
	return out
}

// AppointmentDays lists the dates that may be booked in a hall (public):
// the working days of its calendar from today for BookAhead days.
func (s *Hall) AppointmentDays(ctx context.Context, hall string) ([]calendar.Date, error) {
	cal, err := s.Calendar(ctx, hall)
	if err != nil {
		return nil, err
	}
	today := calendar.DateOf(s.clock.Now())
	out := []calendar.Date{}
	for i := range BookAhead {
		if d := today.AddDays(i); cal.IsWorkingDay(d) {
			out = append(out, d)
		}
	}
	return out, nil
}

// AppointmentSlots lists a category's slots of day with their free seats
// (public). A day that is not a working day of the hall has none; a day
// outside the booking range is refused.
func (s *Hall) AppointmentSlots(ctx context.Context, hall, category string, day calendar.Date) ([]Slot, error) {
	c, err := s.store.Category(ctx, hall, category)
	if err != nil {
		return nil, err
	}
	cal, err := s.Calendar(ctx, hall)
	if err != nil {
		return nil, err
	}
	now := s.clock.Now()
	today := calendar.DateOf(now)
	if day.Before(today) || !day.Before(today.AddDays(BookAhead)) {
		return nil, apperr.Field("date", fmt.Sprintf("只能预约 %s 起 %d 天内的日期", today, BookAhead))
	}
	if !cal.IsWorkingDay(day) {
		return []Slot{}, nil
	}
	plan, err := s.store.AppointmentPlanOf(ctx, hall, category)
	if err != nil {
		return nil, err
	}
	booked, err := s.store.SlotsBooked(ctx, hall, category, day)
	if err != nil {
		return nil, err
	}
	slots := daySlots(c, plan, day)
	for i := range slots {
		sl := &slots[i]
		sl.Remaining = max(sl.Capacity-booked[sl.Start], 0)
		sl.Open = sl.Remaining > 0 && now.Before(sl.StartsAt)
	}
	return slots, nil
}

// SetAppointmentPlan sets a category's slot length and seats per slot
// (bureau admins only).
func (s *Hall) SetAppointmentPlan(ctx context.Context, hall, category string, p store.AppointmentPlan) error {
	a, err := require(ctx, "设置预约号源", org.RoleAdmin)
	if err != nil {
		return err
	}
	var v apperr.Collector
	v.Check(p.SlotMinutes >= 10 && p.SlotMinutes <= 240, "slot_minutes", "时段长度须在 10 至 240 分钟之间")
	v.Check(p.Capacity >= 1 && p.Capacity <= 999, "capacity", "每个时段可预约人数须在 1 至 999 之间")
	if err := v.Err("预约设置有误"); err != nil {
		return err
	}
	if _, err := s.store.Category(ctx, hall, category); err != nil {
		return err
	}
	return s.store.SetAppointmentPlan(ctx, hall, category, p, a.Name())
}

// BookingRequest is a booking, online or by a clerk.
type BookingRequest struct {
	Hall     string
	Category string
	Date     calendar.Date
	Slot     string // the slot's start, "09:00"
	Name     string
	IDNumber string // resident ID, required
	Phone    string // mobile number
}

// BookingView is a booking as shown: the ID number masked, with the
// applicant's no-show count and whether it counts as a no-show itself.
type BookingView struct {
	ID           int64         `json:"id"`
	Hall         string        `json:"hall"`
	Category     string        `json:"category"`
	CategoryName string        `json:"category_name"`
	Date         calendar.Date `json:"date"`
	Slot         string        `json:"slot" doc:"时段，如 09:00–09:30"`
	StartsAt     time.Time     `json:"starts_at"`
	EndsAt       time.Time     `json:"ends_at"`
	Name         string        `json:"name"`
	IDMasked     string        `json:"id_number" doc:"证件号码（已遮盖）"`
	PhoneMasked  string        `json:"phone" doc:"手机号码（已遮盖）"`
	State        string        `json:"state" doc:"booked 已预约、checked_in 已签到、cancelled 已取消"`
	StateLabel   string        `json:"state_label"`
	NoShow       bool          `json:"no_show" doc:"时段结束仍未签到（爽约）"`
	NoShows      int           `json:"no_shows" doc:"该证件累计爽约次数"`
	TicketID     int64         `json:"ticket_id,omitempty"`
}

var mobile = regexp.MustCompile(`^1[3-9][0-9]{9}$`)

// Book takes a seat of a slot (public, or a clerk of the hall for a caller
// at the desk). The booking code it returns is shown once: only its hash
// is kept.
func (s *Hall) Book(ctx context.Context, req BookingRequest) (*BookingView, string, error) {
	var v apperr.Collector
	name := strings.TrimSpace(req.Name)
	v.Check(name != "" && utf8.RuneCountInString(name) <= 50, "name", "请填写姓名（不超过 50 个字）")
	id, err := queue.NormalizeID(req.IDNumber)
	switch {
	case err != nil:
		v.Add("id_number", apperr.MessageOf(err))
	case id == "":
		v.Add("id_number", "请填写居民身份证号码")
	}
	phone := strings.TrimSpace(req.Phone)
	v.Check(mobile.MatchString(phone), "phone", "请填写 11 位手机号码")
	v.Check(req.Category != "", "category", "请选择业务类别")
	v.Check(!req.Date.IsZero(), "date", "请选择日期")
	v.Check(req.Slot != "", "slot", "请选择时段")
	if err := v.Err("预约信息有误"); err != nil {
		return nil, "", err
	}
	// Seats are few: one client may not book them all up, whatever IDs it
	// makes up.
	if err := s.throttle(ctx, s.guard.booking); err != nil {
		return nil, "", err
	}
	bookedBy := "online"
	if a := ActorFrom(ctx); a != nil {
		if _, err := hallClerk(ctx, req.Hall); err != nil {
			return nil, "", err
		}
		bookedBy = a.Name()
	}
	slots, err := s.AppointmentSlots(ctx, req.Hall, req.Category, req.Date)
	if err != nil {
		return nil, "", err
	}
	var slot *Slot
	for i := range slots {
		if slots[i].Start == req.Slot {
			slot = &slots[i]
		}
	}
	if slot == nil {
		return nil, "", apperr.Field("slot", req.Date.String()+" 没有 "+req.Slot+" 开始的预约时段")
	}
	if !s.clock.Now().Before(slot.StartsAt) {
		return nil, "", apperr.Field("slot", "该时段已开始，不能再预约")
	}
	code, err := bookingCode()
	if err != nil {
		return nil, "", err
	}
	plan, err := s.store.AppointmentPlanOf(ctx, req.Hall, req.Category)
	if err != nil {
		return nil, "", err
	}
	a := &store.Appointment{HallCode: req.Hall, Category: req.Category, Day: req.Date, Slot: slot.Start,
		StartsAt: slot.StartsAt, EndsAt: slot.EndsAt, Name: name, IDNumber: id, Phone: phone,
		State: store.AppointmentBooked, BookedBy: bookedBy, CreatedAt: s.clock.Now()}
	if err := s.store.CreateAppointment(ctx, a, plan.Capacity, tokenHash(code)); err != nil {
		return nil, "", err
	}
	s.log.Info("appointment booked", "hall", a.HallCode, "category", a.Category, "day", a.Day.String(), "slot", a.Slot,
		"by", bookedBy, "request_id", RequestFrom(ctx).ID)
	bv, err := s.bookingView(ctx, a)
	return bv, code, err
}

// bookingAlphabet leaves out letters and digits read alike (0/O, 1/I).
const bookingAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"

// bookingCode returns a random 10-character booking code (50 bits).
func bookingCode() (string, error) {
	raw := make([]byte, 10)
	if _, err := rand.Read(raw); err != nil {
		return "", apperr.Wrap(err, "random booking code")
	}
	for i, b := range raw {
		raw[i] = bookingAlphabet[int(b)%len(bookingAlphabet)]
	}
	return string(raw), nil
}

// normalizeCode reads a booking code as typed: case and separators ignored.
func normalizeCode(s string) string {
	s = strings.ToUpper(strings.TrimSpace(s))
	return strings.NewReplacer(" ", "", "-", "").Replace(s)
}

func (s *Hall) bookingView(ctx context.Context, a *store.Appointment) (*BookingView, error) {
	now := s.clock.Now()
	v := &BookingView{ID: a.ID, Hall: a.HallCode, Category: a.Category, Date: a.Day,
		Slot: a.Slot + "–" + a.EndsAt.Format("15:04"), StartsAt: a.StartsAt, EndsAt: a.EndsAt, Name: a.Name,
		IDMasked: identity.Mask(a.IDNumber), PhoneMasked: maskPhone(a.Phone), State: a.State,
		NoShow: a.NoShowAt(now), TicketID: a.TicketID}
	switch {
	case v.NoShow:
		v.StateLabel = "爽约"
	case a.State == store.AppointmentBooked:
		v.StateLabel = "已预约"
	case a.State == store.AppointmentCheckedIn:
		v.StateLabel = "已签到"
	case a.State == store.AppointmentCancelled:
		v.StateLabel = "已取消"
	}
	if c, err := s.store.Category(ctx, a.HallCode, a.Category); err == nil {
		v.CategoryName = c.Name
	}
	var err error
	v.NoShows, err = s.store.NoShows(ctx, a.IDNumber, now)
	return v, err
}

func maskPhone(p string) string {
	if len(p) != 11 {
		return identity.Mask(p)
	}
	return p[:3] + "****" + p[7:]
}

// hallClerk checks the actor is an intake or issuance clerk of hall (or
// the system) and returns its name.
func hallClerk(ctx context.Context, hall string) (string, error) {
	a, err := requireIn(ctx, org.WorkBookings, "办理预约")
	if err != nil {
		return "", err
	}
	if !a.System && a.User.HallCode != hall {
		return "", apperr.New(apperr.Forbidden, "您属于大厅 %s，不能办理大厅 %s 的预约", a.User.HallCode, hall)
	}
	return a.Name(), nil
}

// BookingByCode returns the booking a code opens (public).
func (s *Hall) BookingByCode(ctx context.Context, code string) (*BookingView, error) {
	a, err := s.appointmentByCode(ctx, code)
	if err != nil {
		return nil, err
	}
	return s.bookingView(ctx, a)
}

func (s *Hall) appointmentByCode(ctx context.Context, code string) (*store.Appointment, error) {
	if err := s.throttle(ctx, s.guard.lookup); err != nil {
		return nil, err
	}
	code = normalizeCode(code)
	if code == "" || len(code) > 32 {
		return nil, apperr.Field("code", "请填写预约码")
	}
	return s.store.AppointmentByCode(ctx, tokenHash(code))
}

// CancelByCode cancels the booking a code opens (public: the applicant),
// before its slot starts; the seat is free again.
func (s *Hall) CancelByCode(ctx context.Context, code string) (*BookingView, error) {
	a, err := s.appointmentByCode(ctx, code)
	if err != nil {
		return nil, err
	}
	now := s.clock.Now()
	got, err := s.store.CancelAppointment(ctx, a.ID, "applicant", func(a *store.Appointment) error {
		if !now.Before(a.StartsAt) {
			return apperr.New(apperr.Conflict, "预约时段已开始，不能在线取消，请到大厅咨询")
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.bookingView(ctx, got)
}

// CancelBooking cancels a booking (a clerk of its hall), at any time
// before it is checked in.
func (s *Hall) CancelBooking(ctx context.Context, id int64) (*BookingView, error) {
	a, err := s.store.AppointmentByID(ctx, id)
	if err != nil {
		return nil, err
	}
	clerk, err := hallClerk(ctx, a.HallCode)
	if err != nil {
		return nil, err
	}
	got, err := s.store.CancelAppointment(ctx, id, clerk, func(*store.Appointment) error { return nil })
	if err != nil {
		return nil, err
	}
	return s.bookingView(ctx, got)
}

// HallBookings lists a hall's bookings of a day (a clerk of the hall).
func (s *Hall) HallBookings(ctx context.Context, hall string, day calendar.Date) ([]*BookingView, error) {
	if _, err := hallClerk(ctx, hall); err != nil {
		return nil, err
	}
	as, err := s.store.Appointments(ctx, hall, day)
	if err != nil {
		return nil, err
	}
	out := []*BookingView{}
	for i := range as {
		v, err := s.bookingView(ctx, &as[i])
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// NoShowCount returns how many bookings of an ID number were not checked
// in by their slot's end (a clerk of any hall).
func (s *Hall) NoShowCount(ctx context.Context, idNumber string) (int, error) {
	if _, err := require(ctx, "查询爽约次数", org.RoleIntake, org.RoleIssuance, org.RoleSupervisor, org.RoleAdmin); err != nil {
		return 0, err
	}
	id, err := queue.NormalizeID(idNumber)
	if err != nil {
		return 0, err
	}
	if id == "" {
		return 0, apperr.Field("id_number", "请填写居民身份证号码")
	}
	return s.store.NoShows(ctx, id, s.clock.Now())
}

// CheckInView is a booking turned into a ticket, with the ticket's follow
// token ("" if it could not be kept: the ticket stands without its QR).
type CheckInView struct {
	Booking *BookingView
	Ticket  *TicketView
	Token   string
}

// CheckIn turns today's booking in hall, found by its code or else by the
// applicant's ID number, into an appointment-priority ticket (public: the
// check-in kiosk in the hall). It is allowed from CheckInEarly before the
// slot's start to CheckInLate after it, and only when the kiosk would
// issue a ticket then (TakeTicket's working day and issuing hours).
func (s *Hall) CheckIn(ctx context.Context, hall, code, idNumber string) (*CheckInView, error) {
	now := s.clock.Now()
	var a *store.Appointment
	var err error
	switch {
	case strings.TrimSpace(code) != "":
		a, err = s.appointmentByCode(ctx, code)
		if err == nil && a.HallCode != hall {
			err = apperr.New(apperr.NotFound, "该预约不在本大厅，请到预约的大厅签到")
		}
	case strings.TrimSpace(idNumber) != "":
		var id string
		if err = s.throttle(ctx, s.guard.lookup); err != nil {
			return nil, err
		}
		if id, err = queue.NormalizeID(idNumber); err == nil {
			a, err = s.store.ActiveAppointmentOf(ctx, hall, calendar.DateOf(now), id)
		}
	default:
		return nil, apperr.Field("code", "请填写预约码或身份证号码")
	}
	if err != nil {
		return nil, err
	}
	if err := checkInWindow(a, now); err != nil {
		return nil, err
	}
	if err := s.store.ClaimAppointment(ctx, a.ID, now); err != nil {
		return nil, err
	}
	tv, token, err := s.TakeTicketToFollow(ctx, TicketRequest{Hall: a.HallCode, Category: a.Category, IDNumber: a.IDNumber, Phone: a.Phone, Priority: queue.Appointment})
	if err != nil {
		if rerr := s.store.ReleaseAppointment(ctx, a.ID); rerr != nil {
			s.log.Error("release appointment", "appointment", a.ID, "err", rerr, "request_id", RequestFrom(ctx).ID)
		}
		return nil, err
	}
	if err := s.store.SetAppointmentTicket(ctx, a.ID, tv.Ticket.ID); err != nil {
		// The ticket stands; only the booking's link to it is missing.
		s.log.Error("link appointment ticket", "appointment", a.ID, "ticket", tv.Ticket.ID, "err", err, "request_id", RequestFrom(ctx).ID)
	}
	a.State, a.CheckedInAt, a.TicketID = store.AppointmentCheckedIn, now, tv.Ticket.ID
	bv, err := s.bookingView(ctx, a)
	if err != nil {
		return nil, err
	}
	return &CheckInView{Booking: bv, Ticket: tv, Token: token}, nil
}

// checkInWindow refuses a booking that may not be checked in at now.
func checkInWindow(a *store.Appointment, now time.Time) error {
	switch {
	case a.State == store.AppointmentCancelled:
		return apperr.New(apperr.Conflict, "该预约已取消")
	case a.State == store.AppointmentCheckedIn:
		return apperr.New(apperr.Conflict, "该预约已签到取号，请留意叫号")
	case calendar.DateOf(now) != a.Day:
		return apperr.New(apperr.Conflict, "您的预约在 %s %s，请当天到大厅签到", a.Day, a.Slot)
	case now.Before(a.StartsAt.Add(-CheckInEarly)):
		return apperr.New(apperr.Conflict, "签到时间为预约时段开始前 %d 分钟至开始后 %d 分钟（%s–%s），请稍后再来",
			int(CheckInEarly/time.Minute), int(CheckInLate/time.Minute),
			a.StartsAt.Add(-CheckInEarly).Format("15:04"), a.StartsAt.Add(CheckInLate).Format("15:04"))
	case now.After(a.StartsAt.Add(CheckInLate)):
		return apperr.New(apperr.Conflict, "已超过签到时间（%s 前），预约已失效，请取号排队或重新预约", a.StartsAt.Add(CheckInLate).Format("15:04"))
	}
	return nil
}
