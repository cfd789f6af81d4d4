-- +goose Up
-- A department may not close its own rectification (rating.Confirming): a
-- rectification reported rectified or explained waits for the bureau's
-- supervisor as 'confirming', the outcome reported kept in proposed
-- ('done' or 'explained'; '' otherwise) until the supervisor confirms it
-- or sends it back. Rectifications closed before this migration keep
-- their state: they were closed under the rule then in force.
ALTER TABLE rectifications ADD COLUMN proposed TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE rectifications DROP COLUMN proposed;
