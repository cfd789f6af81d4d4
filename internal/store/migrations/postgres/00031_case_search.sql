-- +goose Up
-- Case search (store/cases.go, CaseFilter) by the applicant's phone and by
-- the clerk who received the case. applicant_phone holds the phone's keyed
-- hash, never the phone (store/personal_data.go), '' for none; received_by
-- the receiving clerk's username. Both are written with every change of
-- the case. Rows written before this migration hold NULL in both until
-- `onewindow serve` fills them at start (store.IndexCaseSearch), before it
-- serves: the phone is in the sealed JSON, which only the data key opens.
ALTER TABLE cases ADD COLUMN applicant_phone TEXT;
ALTER TABLE cases ADD COLUMN received_by TEXT;
CREATE INDEX cases_applicant_phone ON cases (applicant_phone);
CREATE INDEX cases_received_by ON cases (received_by, received_at);
CREATE INDEX cases_item ON cases (item_id, received_at);

-- +goose Down
DROP INDEX cases_item;
DROP INDEX cases_received_by;
DROP INDEX cases_applicant_phone;
ALTER TABLE cases DROP COLUMN received_by;
ALTER TABLE cases DROP COLUMN applicant_phone;
