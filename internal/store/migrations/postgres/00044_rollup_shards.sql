-- +goose Up
-- The supervision rollup's cells get a shard: concurrent changes of one
-- day and department add to different rows of the same cell (readers sum
-- the shards), so no row is locked by every change of the day.
ALTER TABLE sv_rollup ADD COLUMN shard SMALLINT NOT NULL DEFAULT 0;
ALTER TABLE sv_rollup DROP CONSTRAINT sv_rollup_pkey;
ALTER TABLE sv_rollup ADD PRIMARY KEY (dim, grain, day, department, key, metric, shard);

-- +goose Down
CREATE TABLE sv_rollup_merged AS
    SELECT dim, grain, day, department, key, metric, SUM(n)::BIGINT AS n FROM sv_rollup
    GROUP BY dim, grain, day, department, key, metric;
DELETE FROM sv_rollup;
ALTER TABLE sv_rollup DROP CONSTRAINT sv_rollup_pkey;
ALTER TABLE sv_rollup DROP COLUMN shard;
INSERT INTO sv_rollup (dim, grain, day, department, key, metric, n)
    SELECT dim, grain, day, department, key, metric, n FROM sv_rollup_merged;
DROP TABLE sv_rollup_merged;
ALTER TABLE sv_rollup ADD PRIMARY KEY (dim, grain, day, department, key, metric);
