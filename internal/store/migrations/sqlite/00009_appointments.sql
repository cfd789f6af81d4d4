-- +goose Up
-- 预约: a hall category's appointment plan (slot length and seats per
-- slot; the defaults apply to a category without a row), the seats taken
-- per slot, and the bookings.
CREATE TABLE appointment_plans (
    hall_code    TEXT NOT NULL,
    category     TEXT NOT NULL,
    slot_minutes INTEGER NOT NULL CHECK (slot_minutes BETWEEN 10 AND 240),
    capacity     INTEGER NOT NULL CHECK (capacity BETWEEN 1 AND 999),
    updated_at   TEXT NOT NULL,
    updated_by   TEXT NOT NULL,
    PRIMARY KEY (hall_code, category)
);

-- One row per slot that has ever been booked: booked counts the seats held
-- by active bookings. A booking increments it only while it is below the
-- capacity (a conditional UPDATE), so concurrent bookings never overfill.
CREATE TABLE appointment_slots (
    hall_code  TEXT NOT NULL,
    category   TEXT NOT NULL,
    day        TEXT NOT NULL,
    slot_start TEXT NOT NULL, -- "09:00", Asia/Shanghai wall time
    booked     INTEGER NOT NULL CHECK (booked >= 0),
    PRIMARY KEY (hall_code, category, day, slot_start)
);

-- A booking. The booking code is shown once; only its SHA-256 is kept.
-- state: booked, checked_in, cancelled. A no-show is derived: still booked
-- after ends_at.
CREATE TABLE appointments (
    id            INTEGER PRIMARY KEY,
    hall_code     TEXT NOT NULL,
    category      TEXT NOT NULL,
    day           TEXT NOT NULL,
    slot_start    TEXT NOT NULL,
    starts_at     TEXT NOT NULL,
    ends_at       TEXT NOT NULL,
    name          TEXT NOT NULL,
    id_number     TEXT NOT NULL,
    phone         TEXT NOT NULL,
    code_hash     TEXT NOT NULL UNIQUE,
    state         TEXT NOT NULL,
    ticket_id     INTEGER REFERENCES tickets (id),
    booked_by     TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    checked_in_at TEXT,
    cancelled_at  TEXT,
    cancelled_by  TEXT NOT NULL DEFAULT ''
);
-- At most one active booking per ID number per day, in any hall.
CREATE UNIQUE INDEX appointments_one_per_day ON appointments (id_number, day) WHERE state IN ('booked', 'checked_in');
CREATE INDEX appointments_by_hall_day ON appointments (hall_code, day, slot_start);

-- +goose Down
DROP TABLE appointments;
DROP TABLE appointment_slots;
DROP TABLE appointment_plans;
