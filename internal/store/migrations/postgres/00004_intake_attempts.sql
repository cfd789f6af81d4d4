-- +goose Up
-- One row per one-time notice (一次性告知单, 行政许可法 art. 32): an
-- application the intake desk could not take in because materials were
-- missing, and what the applicant was told to bring. The applicant's ID
-- number is kept in full, for recall and statistics; screens and the
-- printed notice show it masked. Like the case record, it is append-only:
-- what an applicant was told is never changed afterwards.
CREATE TABLE intake_attempts (
    id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    item_code         TEXT NOT NULL,
    item_version      INTEGER NOT NULL,
    applicant_kind    TEXT NOT NULL,
    applicant_name    TEXT NOT NULL,
    applicant_id_type TEXT NOT NULL,
    applicant_id      TEXT NOT NULL,  -- '' when the applicant gave none
    missing           TEXT NOT NULL,  -- JSON text: the handbook's lines of the missing materials
    note              TEXT NOT NULL,
    clerk             TEXT NOT NULL,  -- username
    clerk_name        TEXT NOT NULL,  -- as printed on the notice
    hall_code         TEXT NOT NULL,
    created_at        TIMESTAMPTZ NOT NULL,
    FOREIGN KEY (item_code, item_version) REFERENCES items (code, version)
);
CREATE INDEX intake_attempts_hall_created ON intake_attempts (hall_code, created_at);
CREATE INDEX intake_attempts_created ON intake_attempts (created_at);
CREATE INDEX intake_attempts_applicant ON intake_attempts (applicant_id);

-- +goose StatementBegin
CREATE FUNCTION intake_attempts_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'intake attempts are append-only';
END
$$;
-- +goose StatementEnd
CREATE TRIGGER intake_attempts_append_only BEFORE UPDATE OR DELETE ON intake_attempts
    FOR EACH ROW EXECUTE FUNCTION intake_attempts_append_only();

-- +goose Down
DROP TRIGGER intake_attempts_append_only ON intake_attempts;
DROP FUNCTION intake_attempts_append_only();
DROP TABLE intake_attempts;
