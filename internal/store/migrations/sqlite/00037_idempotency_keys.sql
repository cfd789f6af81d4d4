-- +goose Up
-- Idempotency-Key of the API's POSTs (issue 14 item 4): the first request
-- with a key claims the row (the primary key makes two claims at once, on
-- any node, end in one) and acts; a retry with the same key and body is
-- answered with what the first got and changes nothing; the same key with
-- another body is refused. key is the SHA-256 of the caller (user, client
-- or nobody) and the header's value; fingerprint the SHA-256 of the method,
-- path and body. done_at is NULL while the first request is in flight;
-- result is its answer (JSON: status, headers that matter, body). A
-- refused request changed nothing and leaves no row. Rows live 24 hours.
CREATE TABLE idempotency_keys (
    key         TEXT PRIMARY KEY,
    fingerprint TEXT NOT NULL,
    claimed_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    done_at     TEXT,
    result      BLOB
);
CREATE INDEX idempotency_keys_expires ON idempotency_keys (expires_at);

-- +goose Down
DROP TABLE idempotency_keys;
