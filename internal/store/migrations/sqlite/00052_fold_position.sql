-- +goose Up
-- The supervision log on SQLite is the event record itself
-- (store/rollup_log.go): its one writer gives every event a position in
-- commit order (migration 00038), so the folds read the events after the
-- last position folded, kept here, instead of a row each change appended
-- to sv_log. sv_log keeps the rows without a case (ratings' cells) and
-- any row written before this migration. The events before now were all
-- logged in sv_log.
CREATE TABLE sv_fold (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    position INTEGER NOT NULL
);
INSERT INTO sv_fold (id, position) SELECT 1, COALESCE(MAX(position), 0) FROM case_events;

-- +goose Down
-- The events after the position are logged again, as the older code
-- expects, so that none is left out: the case's groupings and facts from
-- the case and its item version.
INSERT INTO sv_log (case_id, seq, number, department, item, hall, instant, promised_days, pickup_hall)
SELECT c.id, c.last_seq, c.number, d.code, i.code, c.hall_code, i.kind = 'instant', i.promised_days,
       COALESCE(NULLIF(c.pickup_hall, ''), c.hall_code)
    FROM cases c JOIN items i ON i.id = c.item_id JOIN departments d ON d.id = c.department_id
    WHERE c.id IN (SELECT case_id FROM case_events WHERE position > (SELECT position FROM sv_fold));
DROP TABLE sv_fold;
