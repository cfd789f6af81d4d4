-- +goose Up
-- Delegated initial review (委托初审, issue 15 item 4): an item version
-- the bureau marks so sends a case taken in at a street centre to the
-- street's reviewer first, within this many working days of intake; 0
-- (every version before this) is none. A case copies it at intake.
ALTER TABLE items ADD COLUMN initial_review_days INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE items DROP COLUMN initial_review_days;
