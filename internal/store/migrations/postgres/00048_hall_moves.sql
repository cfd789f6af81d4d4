-- +goose Up
-- The per-hall figures (issue 15 item 6): every case's moves between
-- halls, derived from its events in the transaction of every change like
-- the other supervision rows (store.rollUp) and rebuilt by stats rebuild.
-- kind 'transit': a trip of the case's paper from the street or community
-- hall that took it in (hall) to the district hall, on the day it arrived,
-- with the working minutes the transit held it; kind 'pickup': the result
-- collected at the hall (the pickup hall) on that day. The figures come
-- from sv_rollup; these rows are what their drill-downs list.
CREATE TABLE sv_moves (
    case_id    BIGINT NOT NULL REFERENCES cases (id),
    kind       TEXT NOT NULL,
    ord        INTEGER NOT NULL,
    number     TEXT NOT NULL,
    department TEXT NOT NULL,
    item       TEXT NOT NULL,
    hall       TEXT NOT NULL,
    at         TEXT NOT NULL,
    day        TEXT NOT NULL,
    minutes    BIGINT NOT NULL,
    PRIMARY KEY (case_id, kind, ord)
);
CREATE INDEX sv_moves_hall_day ON sv_moves (kind, hall, day);

-- +goose Down
DROP TABLE sv_moves;
