-- +goose Up
-- Named counters shared by every node: case numbers per day, the calendar's
-- edit count (which tells nodes to reload it).
CREATE TABLE counters (
    name  TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);

-- One row per case. The whole case is kept as JSON in data; the columns
-- beside it are what lists, searches and the lapse sweep filter on.
CREATE TABLE cases (
    id             INTEGER PRIMARY KEY,
    number         TEXT NOT NULL UNIQUE,
    check_code     TEXT NOT NULL,
    item_id        INTEGER NOT NULL REFERENCES items (id),
    department_id  INTEGER NOT NULL REFERENCES departments (id),
    hall_code      TEXT NOT NULL,
    kind           TEXT NOT NULL,
    state          TEXT NOT NULL,
    version        INTEGER NOT NULL,
    applicant_name TEXT NOT NULL,
    applicant_id   TEXT NOT NULL,
    received_at    TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    next_due       TEXT,  -- the earliest running deadline: red cases first
    supply_by      TEXT,  -- running only while deferred materials are due
    last_seq       INTEGER NOT NULL,
    last_hash      TEXT NOT NULL,
    data           TEXT NOT NULL
);
CREATE INDEX cases_state ON cases (state, department_id);
CREATE INDEX cases_department_due ON cases (department_id, next_due);
CREATE INDEX cases_next_due ON cases (next_due);
CREATE INDEX cases_supply_by ON cases (supply_by) WHERE supply_by IS NOT NULL;
CREATE INDEX cases_applicant ON cases (applicant_id);

-- The record: append-only and hash-chained per case.
CREATE TABLE case_events (
    case_id    INTEGER NOT NULL REFERENCES cases (id),
    seq        INTEGER NOT NULL,
    type       TEXT NOT NULL,
    actor      TEXT NOT NULL,
    role       TEXT NOT NULL,
    desk       TEXT NOT NULL,
    at         TEXT NOT NULL,
    from_state TEXT NOT NULL,
    to_state   TEXT NOT NULL,
    details    TEXT NOT NULL,
    prev_hash  TEXT NOT NULL,
    hash       TEXT NOT NULL,
    PRIMARY KEY (case_id, seq)
);
-- +goose StatementBegin
CREATE TRIGGER case_events_no_update BEFORE UPDATE ON case_events
BEGIN SELECT RAISE(ABORT, 'case events are append-only'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER case_events_no_delete BEFORE DELETE ON case_events
BEGIN SELECT RAISE(ABORT, 'case events are append-only'); END;
-- +goose StatementEnd

CREATE TABLE case_documents (
    id         INTEGER PRIMARY KEY,
    case_id    INTEGER NOT NULL REFERENCES cases (id),
    kind       TEXT NOT NULL,
    title      TEXT NOT NULL,
    event_seq  INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    data       TEXT NOT NULL
);
CREATE INDEX case_documents_case ON case_documents (case_id);

-- +goose Down
DROP TABLE case_documents;
DROP TABLE case_events;
DROP TABLE cases;
DROP TABLE counters;
