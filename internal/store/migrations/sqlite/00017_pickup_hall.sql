-- +goose Up
-- Desk actions belong to the hall the case is at (issue 10): its intake
-- hall (hall_code) or the hall where the applicant collects the result
-- (pickup_hall). The case's JSON is the truth; the columns mirror it for
-- the lists, and from now on every change writes both.
ALTER TABLE cases ADD COLUMN pickup_hall TEXT NOT NULL DEFAULT '';

-- hall_code was written at intake only: an online case whose paper was
-- taken in later (complete-intake) kept the hall of its submission.
UPDATE cases SET hall_code = COALESCE(json_extract(data, '$.hall'), '');

-- A fully online case is never taken in at a hall: the district hall
-- issues its result, as the service now records at submission.
UPDATE cases
SET data = substr(data, 1, length(data) - 1) || ',"pickup_hall":'
    || json_quote((SELECT code FROM halls WHERE level = 'district' ORDER BY code LIMIT 1)) || '}'
WHERE json_extract(data, '$.online_full') = 1
  AND json_extract(data, '$.pickup_hall') IS NULL
  AND EXISTS (SELECT 1 FROM halls WHERE level = 'district');

-- Every other case collects where it was taken in (casework.Case.DeskHall).
UPDATE cases SET pickup_hall = COALESCE(NULLIF(json_extract(data, '$.pickup_hall'), ''),
    CASE WHEN json_extract(data, '$.online_full') = 1 THEN '' ELSE hall_code END);

CREATE INDEX cases_pickup_hall ON cases (pickup_hall, state);

-- +goose Down
DROP INDEX cases_pickup_hall;
ALTER TABLE cases DROP COLUMN pickup_hall;
