-- +goose Up
-- The supervision rollup's cells get a shard: on PostgreSQL concurrent
-- changes of one day and department add to different rows of the same
-- cell (readers sum the shards), so no row is locked by every change of
-- the day. SQLite's one writer always writes shard 0.
CREATE TABLE sv_rollup_sharded (
    dim        TEXT NOT NULL,
    grain      TEXT NOT NULL,
    day        TEXT NOT NULL,
    department TEXT NOT NULL,
    key        TEXT NOT NULL,
    metric     TEXT NOT NULL,
    shard      INTEGER NOT NULL DEFAULT 0,
    n          BIGINT NOT NULL,
    PRIMARY KEY (dim, grain, day, department, key, metric, shard)
) WITHOUT ROWID;
INSERT INTO sv_rollup_sharded (dim, grain, day, department, key, metric, shard, n)
    SELECT dim, grain, day, department, key, metric, 0, n FROM sv_rollup;
DROP TABLE sv_rollup;
ALTER TABLE sv_rollup_sharded RENAME TO sv_rollup;

-- +goose Down
CREATE TABLE sv_rollup_merged (
    dim        TEXT NOT NULL,
    grain      TEXT NOT NULL,
    day        TEXT NOT NULL,
    department TEXT NOT NULL,
    key        TEXT NOT NULL,
    metric     TEXT NOT NULL,
    n          BIGINT NOT NULL,
    PRIMARY KEY (dim, grain, day, department, key, metric)
) WITHOUT ROWID;
INSERT INTO sv_rollup_merged (dim, grain, day, department, key, metric, n)
    SELECT dim, grain, day, department, key, metric, SUM(n) FROM sv_rollup
    GROUP BY dim, grain, day, department, key, metric;
DROP TABLE sv_rollup;
ALTER TABLE sv_rollup_merged RENAME TO sv_rollup;
