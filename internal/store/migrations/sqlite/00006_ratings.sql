-- +goose Up
-- 好差评 (GB/T 39734/39735-2020). A visit's rating token: issued when a
-- ticket is finished, used once by the applicant on the window's rating
-- pad. Only its hash is kept. ticket_id is the queue's ticket, opaque here
-- (no foreign key: the queue keeps its own tables).
CREATE TABLE rating_tokens (
    token_hash    TEXT PRIMARY KEY,
    ticket_id     TEXT NOT NULL UNIQUE,
    hall_code     TEXT NOT NULL,
    window_number TEXT NOT NULL,
    clerk         TEXT NOT NULL,
    department    TEXT NOT NULL,  -- the window's department, '' for the bureau's desks
    issued_at     TEXT NOT NULL,
    expires_at    TEXT NOT NULL,
    used_at       TEXT
);

-- One row per rating, never changed. One per visit (ticket_id) on site and
-- one per case online (case_id of a rating without a ticket).
CREATE TABLE ratings (
    id            INTEGER PRIMARY KEY,
    level         INTEGER NOT NULL CHECK (level BETWEEN 1 AND 5),
    tags          TEXT NOT NULL,  -- JSON array of the fixed tags
    text          TEXT NOT NULL,
    channel       TEXT NOT NULL,
    ticket_id     TEXT UNIQUE,
    case_id       INTEGER REFERENCES cases (id),
    hall_code     TEXT NOT NULL,
    window_number TEXT NOT NULL,
    clerk         TEXT NOT NULL,
    department    TEXT NOT NULL,
    real_name     BOOLEAN NOT NULL,
    rater_name    TEXT NOT NULL,
    rater_phone   TEXT NOT NULL,
    key_hash      TEXT NOT NULL,  -- the rater's key to add to the rating later
    created_at    TEXT NOT NULL,
    CHECK (ticket_id IS NOT NULL OR case_id IS NOT NULL)
);
CREATE UNIQUE INDEX ratings_one_per_case ON ratings (case_id) WHERE ticket_id IS NULL;
CREATE INDEX ratings_created ON ratings (created_at);
-- +goose StatementBegin
CREATE TRIGGER ratings_no_update BEFORE UPDATE ON ratings
BEGIN SELECT RAISE(ABORT, 'ratings are never changed'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER ratings_no_delete BEFORE DELETE ON ratings
BEGIN SELECT RAISE(ABORT, 'ratings are never changed'); END;
-- +goose StatementEnd

-- 追加评价: at most one per rating, beside it.
CREATE TABLE rating_additions (
    rating_id  INTEGER PRIMARY KEY REFERENCES ratings (id),
    tags       TEXT NOT NULL,
    text       TEXT NOT NULL,
    created_at TEXT NOT NULL
);

-- 差评整改: one per bad rating, opened in the rating's transaction.
CREATE TABLE rectifications (
    id            INTEGER PRIMARY KEY,
    rating_id     INTEGER NOT NULL UNIQUE REFERENCES ratings (id),
    state         TEXT NOT NULL,
    level         INTEGER NOT NULL,
    real_name     BOOLEAN NOT NULL,
    department    TEXT NOT NULL,
    hall_code     TEXT NOT NULL,
    window_number TEXT NOT NULL,
    clerk         TEXT NOT NULL,
    deadline      TEXT NOT NULL,
    opened_at     TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    closed_at     TEXT,
    version       INTEGER NOT NULL,
    last_seq      INTEGER NOT NULL
);
CREATE INDEX rectifications_state ON rectifications (state, department, deadline);

-- Every change of a rectification, append-only.
CREATE TABLE rectification_events (
    rectification_id INTEGER NOT NULL REFERENCES rectifications (id),
    seq              INTEGER NOT NULL,
    action           TEXT NOT NULL,
    from_state       TEXT NOT NULL,
    to_state         TEXT NOT NULL,
    actor            TEXT NOT NULL,
    role             TEXT NOT NULL,
    at               TEXT NOT NULL,
    note             TEXT NOT NULL,
    follow_up        TEXT NOT NULL,
    follow_up_result TEXT NOT NULL,
    PRIMARY KEY (rectification_id, seq)
);
-- +goose StatementBegin
CREATE TRIGGER rectification_events_no_update BEFORE UPDATE ON rectification_events
BEGIN SELECT RAISE(ABORT, 'rectification events are append-only'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER rectification_events_no_delete BEFORE DELETE ON rectification_events
BEGIN SELECT RAISE(ABORT, 'rectification events are append-only'); END;
-- +goose StatementEnd

-- +goose Down
DROP TABLE rectification_events;
DROP TABLE rectifications;
DROP TABLE rating_additions;
DROP TABLE ratings;
DROP TABLE rating_tokens;
