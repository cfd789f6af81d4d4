package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/calendar"
)

// Appointment states. A no-show is not stored: it is a booking still
// booked after its slot's end.
const (
	AppointmentBooked    = "booked"     // 已预约
	AppointmentCheckedIn = "checked_in" // 已签到取号
	AppointmentCancelled = "cancelled"  // 已取消
)

// AppointmentPlan is how a hall category's day is cut into appointment
// slots: their length and the seats of each.
type AppointmentPlan struct {
	SlotMinutes int `json:"slot_minutes" doc:"每个预约时段的分钟数（10 至 240）"`
	Capacity    int `json:"capacity" doc:"每个时段可预约人数（1 至 999）"`
}

// DefaultAppointmentPlan is the plan of a category none was set for:
// half-hour slots of five seats.
func DefaultAppointmentPlan() AppointmentPlan { return AppointmentPlan{SlotMinutes: 30, Capacity: 5} }

// Appointment is one booking (预约) of a slot.
type Appointment struct {
	ID       int64
	HallCode string
	Category string
	Day      calendar.Date
	Slot     string // the slot's start, "09:00"
	StartsAt time.Time
	EndsAt   time.Time
	Name     string
	IDNumber string // full; shown only masked
	Phone    string
	State    string
	TicketID int64
	BookedBy string
	// CreatedAt, CheckedInAt and CancelledAt are when it was booked,
	// checked in and cancelled (zero when not).
	CreatedAt   time.Time
	CheckedInAt time.Time
	CancelledAt time.Time
	CancelledBy string
}

// NoShowAt reports whether the booking counts as a no-show at now: still
// booked after its slot ended.
func (a *Appointment) NoShowAt(now time.Time) bool {
	return a.State == AppointmentBooked && !now.Before(a.EndsAt)
}

// AppointmentPlanOf returns a category's appointment plan, the default
// when none was set.
func (s *Store) AppointmentPlanOf(ctx context.Context, hall, category string) (AppointmentPlan, error) {
	var p AppointmentPlan
	err := s.read.QueryRowContext(ctx, `SELECT slot_minutes, capacity FROM appointment_plans WHERE hall_code = $1 AND category = $2`,
		hall, category).Scan(&p.SlotMinutes, &p.Capacity)
	if err == sql.ErrNoRows {
		return DefaultAppointmentPlan(), nil
	}
	return p, mapErr(err, "appointment plan")
}

// SetAppointmentPlan stores a category's appointment plan. Seats already
// booked stay booked; a smaller capacity only stops new bookings.
func (s *Store) SetAppointmentPlan(ctx context.Context, hall, category string, p AppointmentPlan, by string) error {
	now := s.clock.Now()
	return s.update(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO appointment_plans (hall_code, category, slot_minutes, capacity, updated_at, updated_by)
			VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (hall_code, category) DO UPDATE
			SET slot_minutes = excluded.slot_minutes, capacity = excluded.capacity,
				updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
			hall, category, p.SlotMinutes, p.Capacity, stamp(now), by)
		return err
	})
}

// SlotsBooked returns the seats held per slot start ("09:00") of a
// category's day; a slot nobody booked is absent.
func (s *Store) SlotsBooked(ctx context.Context, hall, category string, day calendar.Date) (map[string]int, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT slot_start, booked FROM appointment_slots WHERE hall_code = $1 AND category = $2 AND day = $3`,
		hall, category, day.String())
	if err != nil {
		return nil, mapErr(err, "slots booked")
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var slot string
		var n int
		if err := rows.Scan(&slot, &n); err != nil {
			return nil, mapErr(err, "scan slot")
		}
		out[slot] = n
	}
	return out, mapErr(rows.Err(), "slots booked")
}

// CreateAppointment takes a seat of a's slot and saves the booking in one
// transaction. The seat is taken by a conditional increment (booked below
// capacity), so concurrent bookings of the last seat leave exactly one
// winner; a second active booking of the same ID number on the same day
// violates a unique index and is a conflict, giving the seat back with the
// rollback.
func (s *Store) CreateAppointment(ctx context.Context, a *Appointment, capacity int, codeHash string) error {
	var rec struct{ idHash, id, phone string }
	var err error
	if rec.idHash, err = s.hash(hashID, a.IDNumber); err != nil {
		return err
	}
	if rec.id, err = s.seal(sealBookingID, a.IDNumber); err != nil {
		return err
	}
	if rec.phone, err = s.seal(sealBookingPhone, a.Phone); err != nil {
		return err
	}
	return s.update(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO appointment_slots (hall_code, category, day, slot_start, booked)
			VALUES ($1, $2, $3, $4, 0) ON CONFLICT (hall_code, category, day, slot_start) DO NOTHING`,
			a.HallCode, a.Category, a.Day.String(), a.Slot)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE appointment_slots SET booked = booked + 1
			WHERE hall_code = $1 AND category = $2 AND day = $3 AND slot_start = $4 AND booked < $5`,
			a.HallCode, a.Category, a.Day.String(), a.Slot, capacity)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return apperr.New(apperr.Conflict, "%s %s 的时段已约满，请选择其他时段", a.Day, a.Slot)
		}
		// id_number holds the ID's keyed hash (one booking per ID a day, the
		// no-show count); the ID and the phone are kept sealed beside it.
		err = tx.QueryRowContext(ctx, `INSERT INTO appointments (hall_code, category, day, slot_start, starts_at, ends_at, name, id_number,
				id_number_sealed, phone, phone_sealed, code_hash, state, booked_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, '', $10, $11, $12, $13, $14) RETURNING id`,
			a.HallCode, a.Category, a.Day.String(), a.Slot, stamp(a.StartsAt), stamp(a.EndsAt), a.Name, rec.idHash, rec.id, rec.phone,
			codeHash, a.State, a.BookedBy, stamp(a.CreatedAt)).Scan(&a.ID)
		if apperr.Is(mapErr(err, "insert appointment"), apperr.Conflict) {
			return apperr.New(apperr.Conflict, "该证件在 %s 已有预约，每人每天只能预约一次；如需改约请先取消原预约", a.Day)
		}
		return err
	})
}

const appointmentCols = `id, hall_code, category, day, slot_start, starts_at, ends_at, name, id_number_sealed, phone_sealed, state,
	COALESCE(ticket_id, 0), booked_by, created_at, checked_in_at, cancelled_at, cancelled_by`

func (s *Store) scanAppointment(row interface{ Scan(...any) error }) (*Appointment, error) {
	var a Appointment
	var day string
	err := row.Scan(&a.ID, &a.HallCode, &a.Category, &day, &a.Slot, timeDest{&a.StartsAt}, timeDest{&a.EndsAt}, &a.Name, s.opened(sealBookingID, &a.IDNumber),
		s.opened(sealBookingPhone, &a.Phone), &a.State, &a.TicketID, &a.BookedBy, timeDest{&a.CreatedAt}, timeDest{&a.CheckedInAt}, timeDest{&a.CancelledAt}, &a.CancelledBy)
	if err != nil {
		return nil, err
	}
	a.Day, err = calendar.ParseDate(day)
	return &a, err
}

// AppointmentByID returns a booking.
func (s *Store) AppointmentByID(ctx context.Context, id int64) (*Appointment, error) {
	a, err := s.scanAppointment(s.read.QueryRowContext(ctx, `SELECT `+appointmentCols+` FROM appointments WHERE id = $1`, id))
	if err != nil {
		return nil, notFound(err, fmt.Sprintf("未找到第 %d 号预约", id))
	}
	return a, nil
}

// AppointmentByCode returns the booking whose code hashes to hash.
func (s *Store) AppointmentByCode(ctx context.Context, hash string) (*Appointment, error) {
	a, err := s.scanAppointment(s.read.QueryRowContext(ctx, `SELECT `+appointmentCols+` FROM appointments WHERE code_hash = $1`, hash))
	if err != nil {
		return nil, notFound(err, "预约码不正确或预约不存在")
	}
	return a, nil
}

// ActiveAppointmentOf returns the ID number's booked (not yet checked-in
// or cancelled) booking in a hall on a day.
func (s *Store) ActiveAppointmentOf(ctx context.Context, hall string, day calendar.Date, idNumber string) (*Appointment, error) {
	idNumber, err := s.hash(hashID, idNumber)
	if err != nil {
		return nil, err
	}
	a, err := s.scanAppointment(s.read.QueryRowContext(ctx, `SELECT `+appointmentCols+` FROM appointments
		WHERE hall_code = $1 AND day = $2 AND id_number = $3 AND state = 'booked'`, hall, day.String(), idNumber))
	if err != nil {
		return nil, notFound(err, "未找到该证件今天在本大厅的预约")
	}
	return a, nil
}

// Appointments lists a hall's bookings of a day by slot.
func (s *Store) Appointments(ctx context.Context, hall string, day calendar.Date) ([]Appointment, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT `+appointmentCols+` FROM appointments WHERE hall_code = $1 AND day = $2
		ORDER BY slot_start, category, id`, hall, day.String())
	if err != nil {
		return nil, mapErr(err, "list appointments")
	}
	defer rows.Close()
	out := []Appointment{}
	for rows.Next() {
		a, err := s.scanAppointment(rows)
		if err != nil {
			return nil, mapErr(err, "scan appointment")
		}
		out = append(out, *a)
	}
	return out, mapErr(rows.Err(), "list appointments")
}

// CancelAppointment cancels a booked booking and gives its seat back, in
// one transaction; check may refuse (who may cancel, too late). A booking
// no longer booked is a conflict.
func (s *Store) CancelAppointment(ctx context.Context, id int64, by string, check func(a *Appointment) error) (*Appointment, error) {
	now := s.clock.Now()
	var out *Appointment
	err := s.update(ctx, func(tx *sql.Tx) error {
		a, err := s.scanAppointment(tx.QueryRowContext(ctx, `SELECT `+appointmentCols+` FROM appointments WHERE id = $1`, id))
		if err != nil {
			return notFound(err, fmt.Sprintf("未找到第 %d 号预约", id))
		}
		if err := check(a); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE appointments SET state = 'cancelled', cancelled_at = $1, cancelled_by = $2
			WHERE id = $3 AND state = 'booked'`, stamp(now), by, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return apperr.New(apperr.Conflict, "该预约已签到或已取消，不能再取消")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE appointment_slots SET booked = booked - 1
			WHERE hall_code = $1 AND category = $2 AND day = $3 AND slot_start = $4 AND booked > 0`,
			a.HallCode, a.Category, a.Day.String(), a.Slot); err != nil {
			return err
		}
		a.State, a.CancelledAt, a.CancelledBy = AppointmentCancelled, now, by
		out = a
		return nil
	})
	return out, err
}

// ClaimAppointment marks a booked booking checked in at now, before its
// ticket is taken; of two concurrent check-ins only one claims it.
func (s *Store) ClaimAppointment(ctx context.Context, id int64, now time.Time) error {
	return s.update(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE appointments SET state = 'checked_in', checked_in_at = $1 WHERE id = $2 AND state = 'booked'`,
			stamp(now), id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return apperr.New(apperr.Conflict, "该预约已签到或已取消")
		}
		return nil
	})
}

// ReleaseAppointment undoes a claim whose ticket could not be taken: the
// booking is booked again.
func (s *Store) ReleaseAppointment(ctx context.Context, id int64) error {
	return s.update(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE appointments SET state = 'booked', checked_in_at = NULL
			WHERE id = $1 AND state = 'checked_in' AND ticket_id IS NULL`, id)
		return err
	})
}

// SetAppointmentTicket records the ticket a claimed booking was turned into.
func (s *Store) SetAppointmentTicket(ctx context.Context, id, ticketID int64) error {
	return s.update(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE appointments SET ticket_id = $1 WHERE id = $2`, ticketID, id)
		return err
	})
}

// NoShows counts the ID number's bookings, in every hall, that were still
// booked when their slot ended before now.
func (s *Store) NoShows(ctx context.Context, idNumber string, now time.Time) (int, error) {
	idNumber, err := s.hash(hashID, idNumber)
	if err != nil {
		return 0, err
	}
	var n int
	err = s.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM appointments WHERE id_number = $1 AND state = 'booked' AND ends_at <= $2`,
		idNumber, stamp(now)).Scan(&n)
	return n, mapErr(err, "count no-shows")
}
