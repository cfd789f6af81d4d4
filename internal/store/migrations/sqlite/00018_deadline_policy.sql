-- +goose Up
-- The deadline policy (issue 11): the working-day limits of acceptance,
-- online pre-review, result correction and archiving, and the paper
-- handover's times of day, published by the bureau admin in versions. The
-- highest version is in force; a case keeps the version it was taken in
-- under (its JSON holds a copy, policy_version mirrors the number).
CREATE TABLE deadline_policies (
    version           INTEGER PRIMARY KEY CHECK (version >= 1),
    accept_days       INTEGER NOT NULL CHECK (accept_days BETWEEN 1 AND 20),
    prereview_days    INTEGER NOT NULL CHECK (prereview_days BETWEEN 1 AND 20),
    correct_days      INTEGER NOT NULL CHECK (correct_days BETWEEN 1 AND 10),
    archive_days      INTEGER NOT NULL CHECK (archive_days BETWEEN 1 AND 10),
    split             TEXT NOT NULL,  -- "12:00"
    handover_same_day TEXT NOT NULL,  -- "15:00"
    handover_next_day TEXT NOT NULL,  -- "10:00"
    note              TEXT NOT NULL DEFAULT '',
    published_at      TEXT,            -- NULL for version 1, in force from the start
    published_by      TEXT NOT NULL DEFAULT ''
);

-- Version 1 is the reform plan's, which every earlier case ran under.
INSERT INTO deadline_policies (version, accept_days, prereview_days, correct_days, archive_days,
    split, handover_same_day, handover_next_day, note)
VALUES (1, 2, 2, 1, 1, '12:00', '15:00', '10:00', '改革方案的默认规则');

ALTER TABLE cases ADD COLUMN policy_version INTEGER NOT NULL DEFAULT 1;

-- +goose Down
ALTER TABLE cases DROP COLUMN policy_version;
DROP TABLE deadline_policies;
