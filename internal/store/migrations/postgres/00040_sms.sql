-- +goose Up
-- Text messages: each notification keeps the kind of notice it is (the
-- event type that sent it: "return", "accept" …), which picks its SMS
-- template, and the gateway's delivery receipt (status, what the gateway
-- said, when it reported).
ALTER TABLE notifications ADD COLUMN kind TEXT NOT NULL DEFAULT '';
ALTER TABLE notifications ADD COLUMN delivery_status TEXT NOT NULL DEFAULT '';
ALTER TABLE notifications ADD COLUMN delivery_detail TEXT NOT NULL DEFAULT '';
ALTER TABLE notifications ADD COLUMN delivered_at TIMESTAMPTZ;

-- The bureau admin's SMS template of a notice kind; a kind without a row
-- uses the default in code.
CREATE TABLE sms_templates (
    kind       TEXT PRIMARY KEY,
    body       TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    updated_by TEXT NOT NULL
);

-- Short public links (/n/{code}) to a case's document, sent by SMS: only
-- the code's SHA-256 is kept; a link ends at expires_at.
CREATE TABLE notice_links (
    code_hash     TEXT PRIMARY KEY,
    case_id       BIGINT NOT NULL REFERENCES cases (id),
    document_kind TEXT NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    expires_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX notice_links_case ON notice_links (case_id);

-- The metrics count open cases by warning colour on every scrape: open
-- cases by their next deadline, without reading the closed ones.
CREATE INDEX cases_open_due ON cases (next_due) WHERE state NOT IN ('archived', 'withdrawn', 'terminated');

-- +goose Down
DROP INDEX cases_open_due;
DROP TABLE notice_links;
DROP TABLE sms_templates;
ALTER TABLE notifications DROP COLUMN delivered_at;
ALTER TABLE notifications DROP COLUMN delivery_detail;
ALTER TABLE notifications DROP COLUMN delivery_status;
ALTER TABLE notifications DROP COLUMN kind;
