-- +goose Up
-- Named counters shared by every node: case numbers per day, the calendar's
-- edit count (which tells nodes to reload it).
CREATE TABLE counters (
    name  TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);

-- One row per case. The whole case is kept as JSON text in data (text, not
-- jsonb, so it reads back byte for byte); the columns beside it are what
-- lists, searches and the lapse sweep filter on.
CREATE TABLE cases (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    number         TEXT NOT NULL UNIQUE,
    check_code     TEXT NOT NULL,
    item_id        BIGINT NOT NULL REFERENCES items (id),
    department_id  BIGINT NOT NULL REFERENCES departments (id),
    hall_code      TEXT NOT NULL,
    kind           TEXT NOT NULL,
    state          TEXT NOT NULL,
    version        INTEGER NOT NULL,
    applicant_name TEXT NOT NULL,
    applicant_id   TEXT NOT NULL,
    received_at    TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL,
    next_due       TIMESTAMPTZ,
    supply_by      TIMESTAMPTZ,
    last_seq       INTEGER NOT NULL,
    last_hash      TEXT NOT NULL,
    data           TEXT NOT NULL
);
CREATE INDEX cases_state ON cases (state, department_id);
CREATE INDEX cases_department_due ON cases (department_id, next_due);
CREATE INDEX cases_next_due ON cases (next_due);
CREATE INDEX cases_supply_by ON cases (supply_by) WHERE supply_by IS NOT NULL;
CREATE INDEX cases_applicant ON cases (applicant_id);

-- The record: append-only (details as text, so the hash covers exactly
-- what is stored) and hash-chained per case.
CREATE TABLE case_events (
    case_id    BIGINT NOT NULL REFERENCES cases (id),
    seq        INTEGER NOT NULL,
    type       TEXT NOT NULL,
    actor      TEXT NOT NULL,
    role       TEXT NOT NULL,
    desk       TEXT NOT NULL,
    at         TIMESTAMPTZ NOT NULL,
    from_state TEXT NOT NULL,
    to_state   TEXT NOT NULL,
    details    TEXT NOT NULL,
    prev_hash  TEXT NOT NULL,
    hash       TEXT NOT NULL,
    PRIMARY KEY (case_id, seq)
);

-- +goose StatementBegin
CREATE FUNCTION case_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'case events are append-only';
END
$$;
-- +goose StatementEnd
CREATE TRIGGER case_events_append_only BEFORE UPDATE OR DELETE ON case_events
    FOR EACH ROW EXECUTE FUNCTION case_events_append_only();

CREATE TABLE case_documents (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id    BIGINT NOT NULL REFERENCES cases (id),
    kind       TEXT NOT NULL,
    title      TEXT NOT NULL,
    event_seq  INTEGER NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    data       TEXT NOT NULL
);
CREATE INDEX case_documents_case ON case_documents (case_id);

-- +goose Down
DROP TABLE case_documents;
DROP TRIGGER case_events_append_only ON case_events;
DROP FUNCTION case_events_append_only();
DROP TABLE case_events;
DROP TABLE cases;
DROP TABLE counters;
