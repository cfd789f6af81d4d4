-- +goose Up
-- Desk actions belong to the hall the case is at (issue 10): its intake
-- hall (hall_code) or the hall where the applicant collects the result
-- (pickup_hall). The case's JSON is the truth; the columns mirror it for
-- the lists, and from now on every change writes both.
ALTER TABLE cases ADD COLUMN pickup_hall TEXT NOT NULL DEFAULT '';

-- hall_code was written at intake only: an online case whose paper was
-- taken in later (complete-intake) kept the hall of its submission.
UPDATE cases SET hall_code = COALESCE(data::jsonb ->> 'hall', '');

-- A fully online case is never taken in at a hall: the district hall
-- issues its result, as the service now records at submission. The text
-- is extended rather than rewritten through jsonb, so the rest of it
-- reads back byte for byte.
UPDATE cases
SET data = left(cases.data, -1) || ',"pickup_hall":' || to_json(d.code)::text || '}'
FROM (SELECT code FROM halls WHERE level = 'district' ORDER BY code LIMIT 1) d
WHERE (cases.data::jsonb ->> 'online_full')::boolean IS TRUE
  AND cases.data::jsonb -> 'pickup_hall' IS NULL;

-- Every other case collects where it was taken in (casework.Case.DeskHall).
UPDATE cases SET pickup_hall = COALESCE(NULLIF(data::jsonb ->> 'pickup_hall', ''),
    CASE WHEN (data::jsonb ->> 'online_full')::boolean IS TRUE THEN '' ELSE hall_code END);

CREATE INDEX cases_pickup_hall ON cases (pickup_hall, state);

-- +goose Down
DROP INDEX cases_pickup_hall;
ALTER TABLE cases DROP COLUMN pickup_hall;
