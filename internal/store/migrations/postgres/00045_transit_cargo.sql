-- +goose Up
-- Results and receipts that travel (issue 15 item 3): a batch may carry a
-- case's result from the district hall to a street or community pickup
-- hall, or the signed delivery receipt back; each case's trips are kept
-- per cargo (paper, result, receipt), numbered from 1 in each.
ALTER TABLE transit_batches DROP CONSTRAINT transit_batches_cargo_check;
ALTER TABLE transit_batches ADD CONSTRAINT transit_batches_cargo_check CHECK (cargo IN ('paper', 'result', 'receipt'));
CREATE INDEX transit_batches_cargo ON transit_batches (cargo, run_at);

ALTER TABLE transit_trips ADD COLUMN cargo TEXT NOT NULL DEFAULT 'paper' CHECK (cargo IN ('paper', 'result', 'receipt'));
ALTER TABLE transit_trips DROP CONSTRAINT transit_trips_pkey;
ALTER TABLE transit_trips ADD PRIMARY KEY (case_id, cargo, trip);

-- +goose Down
DELETE FROM transit_trips WHERE cargo <> 'paper';
ALTER TABLE transit_trips DROP CONSTRAINT transit_trips_pkey;
ALTER TABLE transit_trips DROP COLUMN cargo;
ALTER TABLE transit_trips ADD PRIMARY KEY (case_id, trip);
DELETE FROM transit_batches WHERE cargo = 'receipt';
DROP INDEX transit_batches_cargo;
ALTER TABLE transit_batches DROP CONSTRAINT transit_batches_cargo_check;
ALTER TABLE transit_batches ADD CONSTRAINT transit_batches_cargo_check CHECK (cargo IN ('paper', 'result'));
