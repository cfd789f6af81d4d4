-- +goose Up
-- The ledgers (台账) list a period's cases by the day they were taken in,
-- and a period's handover sheets and delivery receipts by the day they were
-- made: without these a month's ledger would read every case and document
-- ever kept.
CREATE INDEX cases_received ON cases (received_at, number);
CREATE INDEX case_documents_kind_created ON case_documents (kind, created_at, id);

-- +goose Down
DROP INDEX case_documents_kind_created;
DROP INDEX cases_received;
