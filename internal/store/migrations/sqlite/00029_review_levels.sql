-- +goose Up
-- An item's review levels (审批层级): how many people of the department
-- review a promised case in turn before its decision — 1 (the reviewer
-- decides, as every item did before), 2 (承办, 批准) or 3 (承办, 审核,
-- 批准); 0 (every version before this) is one level. A version keeps its
-- levels; a case copies them at intake.
ALTER TABLE items ADD COLUMN review_levels INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE items DROP COLUMN review_levels;
