-- +goose Up
-- Webhook subscriptions of a department (made by its admin on a page or by
-- one of its API clients: client_id, no foreign key here, the clients'
-- table comes with its own migration) and the deliveries queued for them in
-- the transaction of each case change: an outbox the webhook dispatcher
-- sends from, in order per subscription and case.
CREATE TABLE webhook_subscriptions (
    id            INTEGER PRIMARY KEY,
    department_id INTEGER NOT NULL REFERENCES departments (id),
    client_id     INTEGER,
    url           TEXT NOT NULL,
    event_types   TEXT NOT NULL DEFAULT '',
    item_codes    TEXT NOT NULL DEFAULT '',
    description   TEXT NOT NULL DEFAULT '',
    secrets       TEXT NOT NULL,
    paused_at     TEXT,
    paused_reason TEXT NOT NULL DEFAULT '',
    created_by    TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    deleted_at    TEXT
);
CREATE INDEX webhook_subscriptions_department ON webhook_subscriptions (department_id) WHERE deleted_at IS NULL AND paused_at IS NULL;

CREATE TABLE webhook_deliveries (
    id              INTEGER PRIMARY KEY,
    subscription_id INTEGER NOT NULL REFERENCES webhook_subscriptions (id),
    case_id         INTEGER NOT NULL REFERENCES cases (id),
    event_seq       INTEGER NOT NULL,
    event_type      TEXT NOT NULL,
    payload         TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    delivered_at    TEXT,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    claimed_until   TEXT,
    last_error      TEXT NOT NULL DEFAULT '',
    failed_at       TEXT,
    response_code   INTEGER NOT NULL DEFAULT 0,
    responded_at    TEXT
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at, id) WHERE delivered_at IS NULL AND failed_at IS NULL;
CREATE INDEX webhook_deliveries_chain ON webhook_deliveries (subscription_id, case_id, id);
CREATE INDEX webhook_deliveries_pending_chain ON webhook_deliveries (subscription_id, case_id, id) WHERE delivered_at IS NULL AND failed_at IS NULL;

-- +goose Down
DROP TABLE webhook_deliveries;
DROP TABLE webhook_subscriptions;
