-- +goose Up
-- Where the hall obtains a material itself through data sharing (电子证照库,
-- a department's shared data): the applicant need not bring it, and a
-- one-time notice lists it as exempt, never as a material to bring. Empty
-- for a material the applicant brings.
ALTER TABLE item_materials ADD COLUMN shared TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE item_materials DROP COLUMN shared;
