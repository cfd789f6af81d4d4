-- +goose Up
-- The event feed (GET /api/v1/events): every case event gets a position
-- and the open deadlines of its case after the change. SQLite has one
-- writer, so positions given at insert (the largest so far plus one) are
-- in commit order. Events written before this migration get positions in
-- time order.
ALTER TABLE case_events ADD COLUMN position INTEGER;
ALTER TABLE case_events ADD COLUMN deadlines TEXT NOT NULL DEFAULT '[]';
DROP TRIGGER case_events_no_update;
UPDATE case_events SET position = o.n
    FROM (SELECT case_id AS oc, seq AS os, row_number() OVER (ORDER BY at, case_id, seq) AS n FROM case_events) AS o
    WHERE case_events.case_id = o.oc AND case_events.seq = o.os;
-- +goose StatementBegin
CREATE TRIGGER case_events_no_update BEFORE UPDATE ON case_events
BEGIN SELECT RAISE(ABORT, 'case events are append-only'); END;
-- +goose StatementEnd
CREATE UNIQUE INDEX case_events_position ON case_events (position);

-- +goose Down
DROP INDEX case_events_position;
ALTER TABLE case_events DROP COLUMN deadlines;
ALTER TABLE case_events DROP COLUMN position;
