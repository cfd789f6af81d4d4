-- +goose Up
-- Supervision figures (issue 12), kept in the transaction of every case
-- change and rebuildable from the events (onewindow stats rebuild).

-- One row per case: the case folded from its events (supervision.Record,
-- JSON) and the groupings it was counted under.
CREATE TABLE sv_cases (
    case_id    INTEGER PRIMARY KEY REFERENCES cases (id),
    number     TEXT NOT NULL,
    department TEXT NOT NULL,
    item       TEXT NOT NULL,
    hall       TEXT NOT NULL,
    intake_day TEXT NOT NULL,
    intake_by  TEXT NOT NULL,
    record     TEXT NOT NULL
);
CREATE INDEX sv_cases_intake ON sv_cases (department, intake_day);

-- Every timed step of every case: what a figure's drill-down lists, and the
-- open steps whose lateness depends on when one looks.
CREATE TABLE sv_steps (
    case_id    INTEGER NOT NULL REFERENCES cases (id),
    kind       TEXT NOT NULL,
    ord        INTEGER NOT NULL,
    number     TEXT NOT NULL,
    department TEXT NOT NULL,
    item       TEXT NOT NULL,
    hall       TEXT NOT NULL,
    by_user    TEXT NOT NULL,
    due_at     TEXT NOT NULL,
    due_day    TEXT NOT NULL,
    done_at    TEXT,
    done_day   TEXT,
    late       BOOLEAN NOT NULL,
    answer     TEXT NOT NULL,
    paused     BOOLEAN NOT NULL,
    PRIMARY KEY (case_id, kind, ord)
);
CREATE INDEX sv_steps_department_due ON sv_steps (department, due_day);
CREATE INDEX sv_steps_due ON sv_steps (due_day);
CREATE INDEX sv_steps_done ON sv_steps (kind, done_day);
CREATE INDEX sv_steps_open ON sv_steps (due_day, due_at) WHERE done_at IS NULL;

-- Working minutes each holder held each case, per day.
CREATE TABLE sv_hold (
    case_id    INTEGER NOT NULL REFERENCES cases (id),
    day        TEXT NOT NULL,
    holder     TEXT NOT NULL,
    minutes    BIGINT NOT NULL,
    number     TEXT NOT NULL,
    department TEXT NOT NULL,
    item       TEXT NOT NULL,
    hall       TEXT NOT NULL,
    PRIMARY KEY (case_id, day, holder)
);
CREATE INDEX sv_hold_day ON sv_hold (day, department);

-- The rollup: one count per grouping (dim: department, item, hall, user;
-- key: the item, hall or user, '' for department), grain (day: day is
-- 2026-01-05; month: day is 2026-01), department and metric. A year
-- grouped by department reads 12 month rows per department and metric;
-- a period's partial months read day rows.
CREATE TABLE sv_rollup (
    dim        TEXT NOT NULL,
    grain      TEXT NOT NULL,
    day        TEXT NOT NULL,
    department TEXT NOT NULL,
    key        TEXT NOT NULL,
    metric     TEXT NOT NULL,
    n          BIGINT NOT NULL,
    PRIMARY KEY (dim, grain, day, department, key, metric)
) WITHOUT ROWID;

-- +goose Down
DROP TABLE sv_rollup;
DROP TABLE sv_hold;
DROP TABLE sv_steps;
DROP TABLE sv_cases;
