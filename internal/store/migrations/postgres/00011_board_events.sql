-- +goose Up
-- The display boards' replay buffer: the last calls per hall, so that a
-- board that reconnects catches up (internal/broadcast). Not a record: the
-- tickets' own events are that. IF NOT EXISTS: early builds created it
-- from the hub itself.
CREATE TABLE IF NOT EXISTS board_events (
    id            BIGSERIAL PRIMARY KEY,
    hall          TEXT NOT NULL,
    kind          TEXT NOT NULL,
    ticket        TEXT NOT NULL,
    window_number TEXT NOT NULL,
    window_name   TEXT NOT NULL DEFAULT '',
    name          TEXT NOT NULL DEFAULT '',
    at            TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS board_events_hall ON board_events (hall, id);

-- +goose Down
DROP TABLE board_events;
