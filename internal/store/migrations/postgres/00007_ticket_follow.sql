-- +goose Up
-- The follow token of a queue ticket: the ticket's QR code opens its public
-- page with it, so ticket ids (which count up) cannot be walked to read
-- other people's tickets. Only the token's SHA-256 is kept.
CREATE TABLE ticket_follow_tokens (
    ticket_id  BIGINT PRIMARY KEY REFERENCES tickets (id),
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMPTZ NOT NULL
);

-- +goose Down
DROP TABLE ticket_follow_tokens;
