-- +goose Up
-- The ledgers (台账) list a period's cases by the day they were taken in,
-- and a period's handover sheets and delivery receipts by the day they were
-- made: without these a month's ledger would read every case and document
-- ever kept. The cases' index covers every column of cases the case
-- ledger reads, so that a ledger never reads the wide rows themselves
-- (their sealed JSON).
CREATE INDEX cases_received ON cases (received_at, number, state, department_id, item_id, hall_code, applicant_name, next_due);
CREATE INDEX case_documents_kind_created ON case_documents (kind, created_at, id);

-- One row per case: what the case ledger shows beyond the cases table's
-- own columns, kept in the transaction of every change of the case (like
-- a rollup), so that an export streams narrow rows instead of opening
-- every case's sealed JSON. The ID number is kept masked only (first 6,
-- last 4, as every screen shows it). late_steps counts the case's events
-- that recorded a step done after its deadline ("on_time": false). Cases
-- written before this migration get their row when `onewindow serve`
-- starts (store.FillCaseLedger), before it serves.
CREATE TABLE case_ledger (
    case_id             INTEGER PRIMARY KEY REFERENCES cases (id),
    channel             TEXT NOT NULL,
    applicant_id_masked TEXT NOT NULL,
    accepted_at         TEXT,
    decide_by           TEXT,
    decided_at          TEXT,
    delivered_at        TEXT,
    outcome             TEXT NOT NULL,
    returns             INTEGER NOT NULL,
    pauses              INTEGER NOT NULL,
    extended            BOOLEAN NOT NULL,
    late_steps          INTEGER NOT NULL
);

-- +goose Down
DROP TABLE case_ledger;
DROP INDEX case_documents_kind_created;
DROP INDEX cases_received;
