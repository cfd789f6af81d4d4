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

-- The ratings given at each hall, in the hall rollup rows (metrics rating
-- and rating_bad on the rating's day in Asia/Shanghai; store/rating_rollup.go
-- keeps them from now on): the ratings already given are counted here,
-- those whose appeal was upheld left out.
INSERT INTO sv_rollup (dim, grain, day, department, key, metric, shard, n)
SELECT 'hall', g.grain, CASE WHEN g.grain = 'day' THEN d.day ELSE substr(d.day, 1, 7) END, d.department, d.hall_code, m.metric, 0,
       SUM(CASE WHEN m.metric = 'rating' THEN d.n ELSE d.bad END)
FROM (SELECT to_char(r.created_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS day, r.department, r.hall_code, COUNT(*) AS n,
             SUM(CASE WHEN r.level <= 2 THEN 1 ELSE 0 END) AS bad
      FROM ratings r LEFT JOIN rectifications x ON x.rating_id = r.id
      WHERE x.state IS NULL OR x.state <> 'upheld'
      GROUP BY 1, 2, 3) d,
     (SELECT 'day' AS grain UNION ALL SELECT 'month') g,
     (SELECT 'rating' AS metric UNION ALL SELECT 'rating_bad') m
GROUP BY 1, 2, 3, 4, 5, 6
HAVING SUM(CASE WHEN m.metric = 'rating' THEN d.n ELSE d.bad END) <> 0;

-- +goose Down
DELETE FROM sv_rollup WHERE dim = 'hall' AND metric IN ('rating', 'rating_bad');
DROP TABLE sv_moves;
