-- +goose Up
-- The guidance desk's log (导办): one row per consultation. Times are
-- fixed-width UTC text.
CREATE TABLE guidance_consultations (
    id        INTEGER PRIMARY KEY,
    hall_code TEXT NOT NULL REFERENCES halls (code),
    at        TEXT NOT NULL,
    clerk     TEXT NOT NULL,
    items     TEXT NOT NULL, -- JSON array of item codes
    note      TEXT NOT NULL,
    ticket_id INTEGER REFERENCES tickets (id),
    outcome   TEXT NOT NULL CHECK (outcome IN ('answered', 'sent_to_window', 'notice_given', 'other'))
);
CREATE INDEX guidance_consultations_hall_at ON guidance_consultations (hall_code, at);

-- +goose Down
DROP TABLE guidance_consultations;
