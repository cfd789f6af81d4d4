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
    issued_at     TIMESTAMPTZ NOT NULL,
    expires_at    TIMESTAMPTZ NOT NULL,
    used_at       TIMESTAMPTZ
);

-- One row per rating, never changed. One per visit (ticket_id) on site and
-- one per case online (case_id of a rating without a ticket).
CREATE TABLE ratings (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    level         INTEGER NOT NULL CHECK (level BETWEEN 1 AND 5),
    tags          TEXT NOT NULL,  -- JSON array of the fixed tags
    text          TEXT NOT NULL,
    channel       TEXT NOT NULL,
    ticket_id     TEXT UNIQUE,
    case_id       BIGINT REFERENCES cases (id),
    hall_code     TEXT NOT NULL,
    window_number TEXT NOT NULL,
    clerk         TEXT NOT NULL,
    department    TEXT NOT NULL,
    real_name     BOOLEAN NOT NULL,
    rater_name    TEXT NOT NULL,
    rater_phone   TEXT NOT NULL,
    key_hash      TEXT NOT NULL,  -- the rater's key to add to the rating later
    created_at    TIMESTAMPTZ NOT NULL,
    CHECK (ticket_id IS NOT NULL OR case_id IS NOT NULL)
);
CREATE UNIQUE INDEX ratings_one_per_case ON ratings (case_id) WHERE ticket_id IS NULL;
CREATE INDEX ratings_created ON ratings (created_at);
-- +goose StatementBegin
CREATE FUNCTION ratings_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'ratings are never changed';
END
$$;
-- +goose StatementEnd
CREATE TRIGGER ratings_append_only BEFORE UPDATE OR DELETE ON ratings
    FOR EACH ROW EXECUTE FUNCTION ratings_append_only();

-- 追加评价: at most one per rating, beside it.
CREATE TABLE rating_additions (
    rating_id  BIGINT PRIMARY KEY REFERENCES ratings (id),
    tags       TEXT NOT NULL,
    text       TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);

-- 差评整改: one per bad rating, opened in the rating's transaction.
CREATE TABLE rectifications (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    rating_id     BIGINT NOT NULL UNIQUE REFERENCES ratings (id),
    state         TEXT NOT NULL,
    level         INTEGER NOT NULL,
    real_name     BOOLEAN NOT NULL,
    department    TEXT NOT NULL,
    hall_code     TEXT NOT NULL,
    window_number TEXT NOT NULL,
    clerk         TEXT NOT NULL,
    deadline      TIMESTAMPTZ NOT NULL,
    opened_at     TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL,
    closed_at     TIMESTAMPTZ,
    version       INTEGER NOT NULL,
    last_seq      INTEGER NOT NULL
);
CREATE INDEX rectifications_state ON rectifications (state, department, deadline);

-- Every change of a rectification, append-only.
CREATE TABLE rectification_events (
    rectification_id BIGINT NOT NULL REFERENCES rectifications (id),
    seq              INTEGER NOT NULL,
    action           TEXT NOT NULL,
    from_state       TEXT NOT NULL,
    to_state         TEXT NOT NULL,
    actor            TEXT NOT NULL,
    role             TEXT NOT NULL,
    at               TIMESTAMPTZ NOT NULL,
    note             TEXT NOT NULL,
    follow_up        TEXT NOT NULL,
    follow_up_result TEXT NOT NULL,
    PRIMARY KEY (rectification_id, seq)
);
-- +goose StatementBegin
CREATE FUNCTION rectification_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'rectification events are append-only';
END
$$;
-- +goose StatementEnd
CREATE TRIGGER rectification_events_append_only BEFORE UPDATE OR DELETE ON rectification_events
    FOR EACH ROW EXECUTE FUNCTION rectification_events_append_only();

-- +goose Down
DROP TRIGGER rectification_events_append_only ON rectification_events;
DROP FUNCTION rectification_events_append_only();
DROP TRIGGER ratings_append_only ON ratings;
DROP FUNCTION ratings_append_only();
DROP TABLE rectification_events;
DROP TABLE rectifications;
DROP TABLE rating_additions;
DROP TABLE ratings;
DROP TABLE rating_tokens;
