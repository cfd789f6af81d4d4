-- +goose Up
-- 网上办事大厅: applicant accounts (a phone number and a password; the
-- profile as JSON in data), one per phone and one per ID number.
CREATE TABLE accounts (
    id            BIGSERIAL PRIMARY KEY,
    phone         TEXT NOT NULL UNIQUE,
    id_number     TEXT NOT NULL DEFAULT '',
    password_hash TEXT NOT NULL,
    version       INTEGER NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL,
    data          TEXT NOT NULL
);
CREATE UNIQUE INDEX accounts_id_number ON accounts (id_number) WHERE id_number <> '';

-- Verification codes: only the hash, one live code per phone and purpose.
CREATE TABLE verification_codes (
    phone      TEXT NOT NULL,
    purpose    TEXT NOT NULL,
    hash       TEXT NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    attempts   INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (phone, purpose)
);

-- An applicant's mandate to an agent (代办员); revoked, never deleted.
CREATE TABLE authorisations (
    id         BIGSERIAL PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts (id),
    agent      TEXT NOT NULL REFERENCES users (username),
    until_day  TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    revoked_at TIMESTAMPTZ,
    data       TEXT NOT NULL
);
CREATE INDEX authorisations_account ON authorisations (account_id);
CREATE INDEX authorisations_agent ON authorisations (agent);

-- Online applications being written: the form and the uploaded files'
-- references, as JSON.
CREATE TABLE drafts (
    id         BIGSERIAL PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts (id),
    kind       TEXT NOT NULL, -- item or bundle
    code       TEXT NOT NULL, -- the item's or the bundle template's code
    version    INTEGER NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    created_by TEXT NOT NULL,
    data       TEXT NOT NULL
);
CREATE INDEX drafts_account ON drafts (account_id);

-- The notification outbox: written in the transaction of the case change
-- that causes it, sent by one dispatcher, never lost on restart.
CREATE TABLE notifications (
    id         BIGSERIAL PRIMARY KEY,
    case_id    BIGINT REFERENCES cases (id),
    account_id BIGINT,
    recipient  TEXT NOT NULL,
    subject    TEXT NOT NULL,
    body       TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    sent_at    TIMESTAMPTZ,
    attempts   INTEGER NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX notifications_unsent ON notifications (created_at) WHERE sent_at IS NULL;
CREATE INDEX notifications_case ON notifications (case_id);

-- 一件事: templates (JSON) and bundles with their member cases.
CREATE TABLE bundle_templates (
    code       TEXT PRIMARY KEY,
    updated_at TIMESTAMPTZ NOT NULL,
    updated_by TEXT NOT NULL,
    data       TEXT NOT NULL
);
CREATE TABLE bundles (
    id              BIGSERIAL PRIMARY KEY,
    number          TEXT NOT NULL UNIQUE,
    template_code   TEXT NOT NULL REFERENCES bundle_templates (code),
    lead_department TEXT NOT NULL,
    state           TEXT NOT NULL,
    account_id      BIGINT,
    received_at     TIMESTAMPTZ NOT NULL,
    due_by          TIMESTAMPTZ NOT NULL,
    version         INTEGER NOT NULL,
    data            TEXT NOT NULL
);
CREATE INDEX bundles_state ON bundles (state, lead_department);
CREATE INDEX bundles_account ON bundles (account_id);

ALTER TABLE cases ADD COLUMN account_id BIGINT;
ALTER TABLE cases ADD COLUMN bundle_number TEXT;
ALTER TABLE cases ADD COLUMN agent_user TEXT;
CREATE INDEX cases_account ON cases (account_id) WHERE account_id IS NOT NULL;
CREATE INDEX cases_bundle ON cases (bundle_number) WHERE bundle_number IS NOT NULL;

-- +goose Down
DROP INDEX cases_bundle;
DROP INDEX cases_account;
ALTER TABLE cases DROP COLUMN agent_user;
ALTER TABLE cases DROP COLUMN bundle_number;
ALTER TABLE cases DROP COLUMN account_id;
DROP TABLE bundles;
DROP TABLE bundle_templates;
DROP TABLE notifications;
DROP TABLE drafts;
DROP TABLE authorisations;
DROP TABLE verification_codes;
DROP TABLE accounts;
