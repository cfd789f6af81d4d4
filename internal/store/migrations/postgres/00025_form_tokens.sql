-- +goose Up
-- One-time tokens of the pages' forms: every form that creates or changes
-- something carries a random token; its first submission claims the row
-- (the primary key makes two claims at once, on any node, end in one), and
-- a repeat of the same form (a double click, a resent request, the back
-- button) is answered with what the first got instead of acting again.
-- key is the SHA-256 of who posted, where to, and the token: the token
-- alone never opens another person's answer. done_at is NULL while the
-- first submission is in flight; result is what it answered (JSON: the
-- status, the redirect and its flash message, or a page's body). A refused
-- submission changed nothing and leaves no row. Rows expire.
CREATE TABLE form_tokens (
    key        TEXT PRIMARY KEY,
    claimed_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    done_at    TIMESTAMPTZ,
    result     BYTEA
);
CREATE INDEX form_tokens_expires ON form_tokens (expires_at);

-- +goose Down
DROP TABLE form_tokens;
