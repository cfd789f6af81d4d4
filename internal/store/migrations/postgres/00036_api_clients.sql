-- +goose Up
-- Department systems that use the API (issue 14 item 1): a client of its
-- department, not a person. scopes is the comma-separated list
-- (apiclient.Scopes); rate_per_minute its request limit per node. A
-- revoked client keeps its row (the records name it) and opens nothing.
CREATE TABLE api_clients (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name            TEXT NOT NULL UNIQUE,
    department_id   BIGINT NOT NULL REFERENCES departments (id),
    scopes          TEXT NOT NULL,
    rate_per_minute INTEGER NOT NULL CHECK (rate_per_minute > 0),
    created_at      TIMESTAMPTZ NOT NULL,
    created_by      TEXT NOT NULL,
    revoked_at      TIMESTAMPTZ,
    revoked_by      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX api_clients_department ON api_clients (department_id);

-- A client's keys, several at a time: a rotation adds a key and gives the
-- older ones an end (expires_at) after an overlap. Only the SHA-256 of a
-- key is kept; prefix is its first characters, to tell keys apart.
-- last_used_at is written at most once a minute per key.
CREATE TABLE api_client_keys (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    client_id    BIGINT NOT NULL REFERENCES api_clients (id),
    prefix       TEXT NOT NULL,
    key_hash     TEXT NOT NULL UNIQUE,
    created_at   TIMESTAMPTZ NOT NULL,
    expires_at   TIMESTAMPTZ,
    revoked_at   TIMESTAMPTZ,
    last_used_at TIMESTAMPTZ
);
CREATE INDEX api_client_keys_client ON api_client_keys (client_id);

-- +goose Down
DROP TABLE api_client_keys;
DROP TABLE api_clients;
