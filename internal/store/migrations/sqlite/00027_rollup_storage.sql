-- +goose Up
-- PostgreSQL's rollup tables get their storage settings here (fillfactor,
-- autovacuum); SQLite has none of them. The number is kept in step.
SELECT 1;

-- +goose Down
SELECT 1;
