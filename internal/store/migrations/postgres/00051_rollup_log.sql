-- +goose Up
-- The supervision rollups' log (store/rollup_log.go). A case change no
-- longer writes its steps, holding days, moves, record and rollup cells
-- itself: in its own transaction it appends one row here, the case's
-- record as the change leaves it and the cells it adds to; the log is
-- folded into sv_cases, sv_steps, sv_hold, sv_moves and sv_rollup in
-- batches, and every reader of those tables folds it first. A row with no
-- case_id carries cells only (a group's or transaction's merged cells,
-- ratings).
CREATE TABLE sv_log (
    id         BIGSERIAL PRIMARY KEY,
    case_id    BIGINT,
    seq        INTEGER NOT NULL DEFAULT 0,
    number     TEXT,
    department TEXT,
    item       TEXT,
    hall       TEXT,
    record     TEXT,
    cells      BYTEA
);
-- A change reads its case's latest record here before sv_cases.
-- Rows come and go all day: vacuumed by count, not by share.
ALTER TABLE sv_log SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 2000);
CREATE INDEX sv_log_case ON sv_log (case_id, id);
-- The number of the case's last event folded into sv_cases.record: a
-- logged record no newer than it (the rebuild wrote a newer one) is not
-- folded over it.
ALTER TABLE sv_cases ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE sv_cases DROP COLUMN seq;
DROP TABLE sv_log;
