-- +goose Up
-- Webhook subscriptions of a department (made by its admin on a page or by
-- one of its API clients: client_id, no foreign key here, the clients'
-- table comes with its own migration) and the deliveries queued for them in
-- the transaction of each case change: an outbox the webhook dispatcher
-- sends from, in order per subscription and case.
CREATE TABLE webhook_subscriptions (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    department_id BIGINT NOT NULL REFERENCES departments (id),
    client_id     BIGINT,
    url           TEXT NOT NULL,
    event_types   TEXT NOT NULL DEFAULT '',
    item_codes    TEXT NOT NULL DEFAULT '',
    description   TEXT NOT NULL DEFAULT '',
    secrets       TEXT NOT NULL,
    paused_at     TIMESTAMPTZ,
    paused_reason TEXT NOT NULL DEFAULT '',
    created_by    TEXT NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL,
    deleted_at    TIMESTAMPTZ
);
CREATE INDEX webhook_subscriptions_department ON webhook_subscriptions (department_id) WHERE deleted_at IS NULL AND paused_at IS NULL;

CREATE TABLE webhook_deliveries (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    subscription_id BIGINT NOT NULL REFERENCES webhook_subscriptions (id),
    case_id         BIGINT NOT NULL REFERENCES cases (id),
    event_seq       INTEGER NOT NULL,
    event_type      TEXT NOT NULL,
    payload         TEXT NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    delivered_at    TIMESTAMPTZ,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL,
    claimed_until   TIMESTAMPTZ,
    last_error      TEXT NOT NULL DEFAULT '',
    failed_at       TIMESTAMPTZ,
    response_code   INTEGER NOT NULL DEFAULT 0,
    responded_at    TIMESTAMPTZ
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at, id) WHERE delivered_at IS NULL AND failed_at IS NULL;
CREATE INDEX webhook_deliveries_chain ON webhook_deliveries (subscription_id, case_id, id);
CREATE INDEX webhook_deliveries_pending_chain ON webhook_deliveries (subscription_id, case_id, id) WHERE delivered_at IS NULL AND failed_at IS NULL;

-- +goose Down
DROP TABLE webhook_deliveries;
DROP TABLE webhook_subscriptions;
