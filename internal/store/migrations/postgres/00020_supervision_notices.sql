-- +goose Up
-- Supervision notices (督办单, issue 12): one per case and missed deadline,
-- opened by the sweep on any node (the unique key makes a second opening a
-- no-op), or by a supervisor by hand (step '' numbered per case).
CREATE TABLE sv_notices (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id      BIGINT NOT NULL REFERENCES cases (id),
    number       TEXT NOT NULL,
    department   TEXT NOT NULL,
    step         TEXT NOT NULL,
    step_ord     INTEGER NOT NULL,
    origin       TEXT NOT NULL,
    reason       TEXT NOT NULL,
    opened_at    TIMESTAMPTZ NOT NULL,
    opened_by    TEXT NOT NULL,
    reply_by     TIMESTAMPTZ NOT NULL,
    replied_at   TIMESTAMPTZ,
    replied_by   TEXT NOT NULL DEFAULT '',
    explanation  TEXT NOT NULL DEFAULT '',
    measures     TEXT NOT NULL DEFAULT '',
    escalated_at TIMESTAMPTZ,
    UNIQUE (case_id, step, step_ord)
);
CREATE INDEX sv_notices_department ON sv_notices (department, opened_at);
CREATE INDEX sv_notices_opened ON sv_notices (opened_at);
CREATE INDEX sv_notices_unanswered ON sv_notices (reply_by) WHERE replied_at IS NULL;

-- The bureau admin's settings of supervision (weights, card thresholds,
-- reply days, working hours), as JSON.
CREATE TABLE sv_settings (
    name       TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    updated_by TEXT NOT NULL
);

-- +goose Down
DROP TABLE sv_settings;
DROP TABLE sv_notices;
