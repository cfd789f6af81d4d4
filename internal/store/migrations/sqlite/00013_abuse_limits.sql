-- +goose Up
-- Limits that hold across every node (README: Security → Abuse).
--
-- rate_limits: one row per limited key (verification codes per client
-- address, per phone …), a token bucket kept as its theoretical arrival
-- time (GCRA): tat is when the bucket will be full again, in Unix
-- milliseconds. A row whose tat has passed is as good as none, and expires.
CREATE TABLE rate_limits (
    key TEXT PRIMARY KEY,
    tat INTEGER NOT NULL
);
CREATE INDEX rate_limits_tat ON rate_limits (tat);

-- known_devices: a browser or client that has signed in to an account
-- (its device cookie's SHA-256, never the cookie), so that the account's
-- owner is not held up by the global back-off others cause.
CREATE TABLE known_devices (
    token_hash   TEXT NOT NULL,
    subject      TEXT NOT NULL, -- user:<username> or phone:<phone>
    created_at   TEXT NOT NULL,
    last_used_at TEXT NOT NULL,
    PRIMARY KEY (token_hash, subject)
);
CREATE INDEX known_devices_last_used ON known_devices (last_used_at);

-- login_failures now counts failures per key of the new kinds (user:NAME,
-- user:NAME|ip:ADDR, code:NUMBER …); the old keys (a bare username,
-- progress:NUMBER) mean nothing any more, and locks are short-lived.
DELETE FROM login_failures;
CREATE INDEX login_failures_last_failed ON login_failures (last_failed);

-- The expiry jobs' other tables.
CREATE INDEX verification_codes_expires ON verification_codes (expires_at);
CREATE INDEX api_tokens_expires ON api_tokens (expires_at);

-- +goose Down
DROP INDEX api_tokens_expires;
DROP INDEX verification_codes_expires;
DROP INDEX login_failures_last_failed;
DROP TABLE known_devices;
DROP TABLE rate_limits;
