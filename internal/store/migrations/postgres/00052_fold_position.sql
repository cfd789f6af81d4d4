-- +goose Up
-- SQLite only (its folds read the events after a position, migration
-- 00052 there); PostgreSQL keeps logging every change in sv_log, since
-- its event positions are not given in commit order.
SELECT 1;

-- +goose Down
SELECT 1;
