-- +goose Up
-- The event feed (GET /api/v1/events): every case event gets a position,
-- the id of the transaction that wrote it and the open deadlines of its
-- case after the change. Positions come from a sequence, and a sequence's
-- values commit out of order; the feed therefore walks events in (xid,
-- position) order and serves only those whose transaction is older than
-- the oldest one still running (pg_snapshot_xmin), so a reader's cursor
-- never passes an event that is yet to commit. Events written before this
-- migration get positions in time order and xid 0: all are committed.
CREATE SEQUENCE case_events_position_seq;
ALTER TABLE case_events ADD COLUMN position BIGINT;
ALTER TABLE case_events ADD COLUMN xid xid8;
ALTER TABLE case_events ADD COLUMN deadlines TEXT NOT NULL DEFAULT '[]';
ALTER TABLE case_events DISABLE TRIGGER case_events_append_only;
UPDATE case_events e SET position = o.n, xid = '0'::xid8
    FROM (SELECT case_id, seq, row_number() OVER (ORDER BY at, case_id, seq) AS n FROM case_events) o
    WHERE e.case_id = o.case_id AND e.seq = o.seq;
ALTER TABLE case_events ENABLE TRIGGER case_events_append_only;
SELECT setval('case_events_position_seq', COALESCE(MAX(position), 0) + 1, false) FROM case_events;
ALTER TABLE case_events
    ALTER COLUMN position SET DEFAULT nextval('case_events_position_seq'),
    ALTER COLUMN position SET NOT NULL,
    ALTER COLUMN xid SET DEFAULT pg_current_xact_id(),
    ALTER COLUMN xid SET NOT NULL;
ALTER SEQUENCE case_events_position_seq OWNED BY case_events.position;
CREATE UNIQUE INDEX case_events_position ON case_events (position);
CREATE INDEX case_events_feed ON case_events (xid, position);

-- +goose Down
DROP INDEX case_events_feed;
DROP INDEX case_events_position;
ALTER TABLE case_events DROP COLUMN deadlines;
ALTER TABLE case_events DROP COLUMN xid;
ALTER TABLE case_events DROP COLUMN position;
