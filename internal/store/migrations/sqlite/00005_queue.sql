-- +goose Up
-- The hall's queue (取号、叫号). Times are fixed-width UTC text, days 'YYYY-MM-DD'.

-- A hall's queue settings; a hall without a row uses the defaults.
CREATE TABLE queue_settings (
    hall_code      TEXT PRIMARY KEY REFERENCES halls (code),
    fairness_limit INTEGER NOT NULL,
    max_recalls    INTEGER NOT NULL,
    updated_at     TEXT NOT NULL,
    updated_by     TEXT NOT NULL
);

-- Service categories per hall: the kiosk's buttons.
CREATE TABLE queue_categories (
    id         INTEGER PRIMARY KEY,
    hall_code  TEXT NOT NULL REFERENCES halls (code),
    code       TEXT NOT NULL,
    name       TEXT NOT NULL,
    prefix     TEXT NOT NULL,
    items      TEXT NOT NULL, -- JSON array of item codes
    hours      TEXT NOT NULL, -- JSON array of {start, end}
    daily_cap  INTEGER NOT NULL CHECK (daily_cap BETWEEN 1 AND 999),
    created_at TEXT NOT NULL,
    UNIQUE (hall_code, code),
    UNIQUE (hall_code, prefix)
);

-- A window's queue state, made when first configured or used.
CREATE TABLE queue_windows (
    window_id      INTEGER PRIMARY KEY REFERENCES windows (id),
    hall_code      TEXT NOT NULL,
    number         TEXT NOT NULL,
    categories     TEXT NOT NULL, -- JSON array of category codes; [] means all
    is_open        BOOLEAN NOT NULL,
    clerk          TEXT NOT NULL,
    current_ticket INTEGER,
    streak         INTEGER NOT NULL,
    version        INTEGER NOT NULL,
    updated_at     TEXT NOT NULL,
    UNIQUE (hall_code, number)
);

CREATE TABLE tickets (
    id             INTEGER PRIMARY KEY,
    hall_code      TEXT NOT NULL REFERENCES halls (code),
    category       TEXT NOT NULL,
    number         TEXT NOT NULL,
    day            TEXT NOT NULL,
    priority       TEXT NOT NULL,
    id_number      TEXT NOT NULL, -- '' when none given; shown masked only
    state          TEXT NOT NULL,
    at_window      TEXT NOT NULL,
    target_window  TEXT NOT NULL,
    issued_at      TEXT NOT NULL,
    queued_at      TEXT NOT NULL,
    called_at      TEXT,
    started_at     TEXT,
    finished_at    TEXT,
    recalls        INTEGER NOT NULL,
    requeues       INTEGER NOT NULL,
    no_show_reason TEXT NOT NULL,
    version        INTEGER NOT NULL,
    last_seq       INTEGER NOT NULL,
    UNIQUE (hall_code, day, number)
);
-- At most one open ticket per ID per hall per day.
CREATE UNIQUE INDEX tickets_one_open ON tickets (hall_code, day, id_number)
    WHERE id_number <> '' AND state IN ('waiting', 'called', 'serving');
CREATE INDEX tickets_waiting ON tickets (hall_code, state, category, queued_at);

-- Every change of a ticket, append-only.
CREATE TABLE ticket_events (
    ticket_id INTEGER NOT NULL REFERENCES tickets (id),
    seq       INTEGER NOT NULL,
    type      TEXT NOT NULL,
    actor     TEXT NOT NULL,
    at_window TEXT NOT NULL,
    at        TEXT NOT NULL,
    details   TEXT NOT NULL,
    PRIMARY KEY (ticket_id, seq)
);
-- +goose StatementBegin
CREATE TRIGGER ticket_events_no_update BEFORE UPDATE ON ticket_events
BEGIN SELECT RAISE(ABORT, 'ticket events are append-only'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER ticket_events_no_delete BEFORE DELETE ON ticket_events
BEGIN SELECT RAISE(ABORT, 'ticket events are append-only'); END;
-- +goose StatementEnd

-- The cases taken in during a visit.
CREATE TABLE ticket_cases (
    ticket_id   INTEGER NOT NULL REFERENCES tickets (id),
    case_number TEXT NOT NULL REFERENCES cases (number),
    linked_at   TEXT NOT NULL,
    linked_by   TEXT NOT NULL,
    PRIMARY KEY (ticket_id, case_number)
);
CREATE INDEX ticket_cases_case ON ticket_cases (case_number);

-- +goose Down
DROP TABLE ticket_cases;
DROP TABLE ticket_events;
DROP TABLE tickets;
DROP TABLE queue_windows;
DROP TABLE queue_categories;
DROP TABLE queue_settings;
