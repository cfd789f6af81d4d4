-- +goose Up
-- The written decisions (受理通知书, 不予受理决定书, 准予/不予决定书) carry a
-- document number (文号) given from a counter in the transaction that
-- issues them (counters: "doc:" and the number's stem, 江川受字〔2026〕);
-- no number is ever given twice. Other documents have none (NULL).
ALTER TABLE case_documents ADD COLUMN number TEXT;
CREATE UNIQUE INDEX case_documents_number ON case_documents (number) WHERE number IS NOT NULL;

-- +goose Down
DROP INDEX case_documents_number;
ALTER TABLE case_documents DROP COLUMN number;
