-- +goose Up
-- 叫号短信提醒: a ticket taken with a mobile number (at the kiosk, or by
-- checking in an appointment booked with one) is texted once when few
-- tickets are ahead of it. The number is sealed on the ticket; the hall's
-- setting says how few (0: no texts); the text is a notification of the
-- outbox naming its ticket, at most one per ticket (a unique index: nodes
-- racing to text the same ticket end in one row).
ALTER TABLE tickets ADD COLUMN phone_sealed TEXT NOT NULL DEFAULT '';
ALTER TABLE queue_settings ADD COLUMN text_ahead INTEGER NOT NULL DEFAULT 3 CHECK (text_ahead BETWEEN 0 AND 20);
ALTER TABLE notifications ADD COLUMN ticket_id INTEGER; -- a ticket's id (no REFERENCES: SQLite could not drop the column again)
CREATE UNIQUE INDEX notifications_one_per_ticket ON notifications (ticket_id) WHERE ticket_id IS NOT NULL;

-- +goose Down
DROP INDEX notifications_one_per_ticket;
ALTER TABLE notifications DROP COLUMN ticket_id;
ALTER TABLE queue_settings DROP COLUMN text_ahead;
ALTER TABLE tickets DROP COLUMN phone_sealed;
