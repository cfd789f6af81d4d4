-- +goose Up
-- Results and receipts that travel (issue 15 item 3): a batch may carry a
-- case's result from the district hall to a street or community pickup
-- hall, or the signed delivery receipt back; each case's trips are kept
-- per cargo (paper, result, receipt), numbered from 1 in each.
CREATE TABLE transit_trips_old AS SELECT * FROM transit_trips;
DROP TABLE transit_trips;

CREATE TABLE transit_batches_new (
    id            INTEGER PRIMARY KEY,
    number        TEXT NOT NULL UNIQUE,
    cargo         TEXT NOT NULL CHECK (cargo IN ('paper', 'result', 'receipt')),
    from_hall     TEXT NOT NULL REFERENCES halls (code),
    to_hall       TEXT NOT NULL REFERENCES halls (code),
    run_at        TEXT NOT NULL,
    state         TEXT NOT NULL CHECK (state IN ('prepared', 'in_transit', 'arrived')),
    prepared_at   TEXT NOT NULL,
    version       INTEGER NOT NULL,
    data          TEXT NOT NULL  -- network.Batch as JSON: entries, problems, signatures
);
INSERT INTO transit_batches_new (id, number, cargo, from_hall, to_hall, run_at, state, prepared_at, version, data)
    SELECT id, number, cargo, from_hall, to_hall, run_at, state, prepared_at, version, data FROM transit_batches;
DROP TABLE transit_batches;
ALTER TABLE transit_batches_new RENAME TO transit_batches;
CREATE INDEX transit_batches_from ON transit_batches (from_hall, state, run_at);
CREATE INDEX transit_batches_to ON transit_batches (to_hall, state, run_at);
CREATE INDEX transit_batches_cargo ON transit_batches (cargo, run_at);

CREATE TABLE transit_trips (
    case_id     INTEGER NOT NULL REFERENCES cases (id),
    cargo       TEXT NOT NULL DEFAULT 'paper' CHECK (cargo IN ('paper', 'result', 'receipt')),
    trip        INTEGER NOT NULL CHECK (trip >= 1),
    case_number TEXT NOT NULL,
    from_hall   TEXT NOT NULL,
    to_hall     TEXT NOT NULL,
    since       TEXT NOT NULL,
    superseded  INTEGER NOT NULL DEFAULT 0,
    batch_id    INTEGER REFERENCES transit_batches (id),
    PRIMARY KEY (case_id, cargo, trip)
);
INSERT INTO transit_trips (case_id, cargo, trip, case_number, from_hall, to_hall, since, superseded, batch_id)
    SELECT case_id, 'paper', trip, case_number, from_hall, to_hall, since, superseded, batch_id FROM transit_trips_old;
DROP TABLE transit_trips_old;
CREATE INDEX transit_trips_waiting ON transit_trips (from_hall, since) WHERE batch_id IS NULL AND superseded = 0;
CREATE INDEX transit_trips_batch ON transit_trips (batch_id) WHERE batch_id IS NOT NULL;

-- +goose Down
DELETE FROM transit_trips WHERE cargo <> 'paper';
CREATE TABLE transit_trips_old AS SELECT case_id, trip, case_number, from_hall, to_hall, since, superseded, batch_id FROM transit_trips;
DROP TABLE transit_trips;
DELETE FROM transit_batches WHERE cargo = 'receipt';
CREATE TABLE transit_trips (
    case_id     INTEGER NOT NULL REFERENCES cases (id),
    trip        INTEGER NOT NULL CHECK (trip >= 1),
    case_number TEXT NOT NULL,
    from_hall   TEXT NOT NULL,
    to_hall     TEXT NOT NULL,
    since       TEXT NOT NULL,
    superseded  INTEGER NOT NULL DEFAULT 0,
    batch_id    INTEGER REFERENCES transit_batches (id),
    PRIMARY KEY (case_id, trip)
);
INSERT INTO transit_trips SELECT * FROM transit_trips_old;
DROP TABLE transit_trips_old;
DROP INDEX transit_batches_cargo;
CREATE INDEX transit_trips_waiting ON transit_trips (from_hall, since) WHERE batch_id IS NULL AND superseded = 0;
CREATE INDEX transit_trips_batch ON transit_trips (batch_id) WHERE batch_id IS NOT NULL;
