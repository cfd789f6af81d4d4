-- +goose Up
-- Paper that travels (issue 15 item 2): batches (交接批次) carried on a
-- hall's transit run from a street or community hall to the district
-- hall, signed out at one end and in at the other, and the trips of each
-- case's paper. A trip row is written with the case change that starts it
-- (intake, resubmission, supply, a send-back) and waits (batch_id NULL)
-- until a batch takes it; a newer trip of the same case supersedes an
-- older one still waiting.
CREATE TABLE transit_batches (
    id            INTEGER PRIMARY KEY,
    number        TEXT NOT NULL UNIQUE,
    cargo         TEXT NOT NULL CHECK (cargo IN ('paper', 'result')),
    from_hall     TEXT NOT NULL REFERENCES halls (code),
    to_hall       TEXT NOT NULL REFERENCES halls (code),
    run_at        TEXT NOT NULL,
    state         TEXT NOT NULL CHECK (state IN ('prepared', 'in_transit', 'arrived')),
    prepared_at   TEXT NOT NULL,
    version       INTEGER NOT NULL,
    data          TEXT NOT NULL  -- network.Batch as JSON: entries, problems, signatures
);
CREATE INDEX transit_batches_from ON transit_batches (from_hall, state, run_at);
CREATE INDEX transit_batches_to ON transit_batches (to_hall, state, run_at);

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
CREATE INDEX transit_trips_waiting ON transit_trips (from_hall, since) WHERE batch_id IS NULL AND superseded = 0;
CREATE INDEX transit_trips_batch ON transit_trips (batch_id) WHERE batch_id IS NOT NULL;

-- +goose Down
DROP TABLE transit_trips;
DROP TABLE transit_batches;
