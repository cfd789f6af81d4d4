-- +goose Up
-- The supervision rollups' log (store/rollup_log.go). A case change no
-- longer folds its event into the supervision tables itself: in its own
-- transaction it appends one row here, naming the case, its last event,
-- its groupings and the facts folding needs; the log is folded into
-- sv_cases, sv_steps, sv_hold, sv_moves and sv_rollup in batches, and
-- every reader of those tables folds it first. A row without a case
-- carries rollup cells only (ratings, a group's or transaction's cells).
CREATE TABLE sv_log (
    id            BIGSERIAL PRIMARY KEY,
    case_id       BIGINT,
    seq           INTEGER NOT NULL DEFAULT 0,
    number        TEXT,
    department    TEXT,
    item          TEXT,
    hall          TEXT,
    instant       BOOLEAN,
    promised_days INTEGER,
    pickup_hall   TEXT,
    cells         BYTEA
);
-- Rows come and go all day: vacuumed by count, not by share. No index
-- but the key: the log is short (a few hundred rows), every index would
-- cost every change a write.
ALTER TABLE sv_log SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 2000);
-- The number of the case's last event folded into sv_cases.record: a
-- fold folds the events after it.
ALTER TABLE sv_cases ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE sv_cases DROP COLUMN seq;
DROP TABLE sv_log;
