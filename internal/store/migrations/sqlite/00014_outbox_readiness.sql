-- +goose Up
-- The notification outbox claims before it sends (issue 10): a dispatcher
-- takes a batch in one committed transaction that counts the attempt and
-- leases the row (claimed_until), so a database that cannot be written
-- sends nothing rather than the same notice for ever, and several nodes
-- never send one notice at once. next_attempt_at is when a notice is due
-- (its creation, then the back-off after each failure); failed_at closes a
-- notice after its last attempt, with last_error.
ALTER TABLE notifications ADD COLUMN next_attempt_at TEXT;
ALTER TABLE notifications ADD COLUMN claimed_until TEXT;
ALTER TABLE notifications ADD COLUMN failed_at TEXT;
UPDATE notifications SET next_attempt_at = created_at;
-- The old dispatcher gave up after 5 failures without saying so.
UPDATE notifications SET failed_at = created_at WHERE sent_at IS NULL AND attempts >= 5;
DROP INDEX notifications_unsent;
CREATE INDEX notifications_due ON notifications (next_attempt_at, id) WHERE sent_at IS NULL AND failed_at IS NULL;

-- /readyz proves a write commits by beating here, one row per node.
CREATE TABLE node_heartbeats (
    node    TEXT PRIMARY KEY,
    version TEXT NOT NULL,
    beat_at TEXT NOT NULL
);

-- +goose Down
DROP TABLE node_heartbeats;
DROP INDEX notifications_due;
CREATE INDEX notifications_unsent ON notifications (created_at) WHERE sent_at IS NULL;
ALTER TABLE notifications DROP COLUMN failed_at;
ALTER TABLE notifications DROP COLUMN claimed_until;
ALTER TABLE notifications DROP COLUMN next_attempt_at;
