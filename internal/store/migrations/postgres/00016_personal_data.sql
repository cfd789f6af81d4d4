-- +goose Up
-- Personal data at rest (store/personal_data.go). ID numbers and phone
-- numbers are sealed by the store (AES-256-GCM, "enc1:<key id>:…"). The
-- columns that searches and unique indexes use keep their names and hold
-- the value's keyed hash (HMAC-SHA256, 64 hex digits) instead of the value,
-- so every lookup and index works unchanged on the hash; the value itself
-- is sealed in a *_sealed column beside it, or inside the row's sealed JSON.
-- Rows written before this migration are sealed once by `onewindow serve`
-- at start (store.SealClearData), before it serves.

-- The index (HMAC) key, sealed under the current data key ('index'), and
-- when the one-time sealing of clear rows finished ('clear_sealed').
CREATE TABLE personal_data_keys (
    name       TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

ALTER TABLE intake_attempts ADD COLUMN applicant_id_sealed TEXT NOT NULL DEFAULT '';
ALTER TABLE tickets ADD COLUMN id_number_sealed TEXT NOT NULL DEFAULT '';
ALTER TABLE appointments ADD COLUMN id_number_sealed TEXT NOT NULL DEFAULT '';
ALTER TABLE appointments ADD COLUMN phone_sealed TEXT NOT NULL DEFAULT '';
ALTER TABLE ratings ADD COLUMN rater_phone_sealed TEXT NOT NULL DEFAULT '';
ALTER TABLE notifications ADD COLUMN recipient_sealed TEXT NOT NULL DEFAULT '';

-- Short-lived rows keyed by clear phone numbers or holding them: a code
-- lives ten minutes, a lockout fifteen, a page session a working day.
-- Dropping them once costs a new code or a new sign-in.
DELETE FROM verification_codes;
DELETE FROM login_failures;
DELETE FROM sessions;

-- The append-only records keep being append-only, with one exception: the
-- person's ID number or phone may be sealed (once, from clear) and sealed
-- anew under another data key. Nothing else of the row may change.
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION intake_attempts_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE'
        AND to_jsonb(NEW) - 'applicant_id' - 'applicant_id_sealed' = to_jsonb(OLD) - 'applicant_id' - 'applicant_id_sealed'
        AND (NEW.applicant_id = OLD.applicant_id OR OLD.applicant_id_sealed = '') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'intake attempts are append-only';
END
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION ratings_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE'
        AND to_jsonb(NEW) - 'rater_phone' - 'rater_phone_sealed' = to_jsonb(OLD) - 'rater_phone' - 'rater_phone_sealed'
        AND (NEW.rater_phone = OLD.rater_phone OR NEW.rater_phone = '') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'ratings are never changed';
END
$$;
-- +goose StatementEnd

-- +goose Down
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION ratings_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'ratings are never changed';
END
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION intake_attempts_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'intake attempts are append-only';
END
$$;
-- +goose StatementEnd
ALTER TABLE notifications DROP COLUMN recipient_sealed;
ALTER TABLE ratings DROP COLUMN rater_phone_sealed;
ALTER TABLE appointments DROP COLUMN phone_sealed;
ALTER TABLE appointments DROP COLUMN id_number_sealed;
ALTER TABLE tickets DROP COLUMN id_number_sealed;
ALTER TABLE intake_attempts DROP COLUMN applicant_id_sealed;
DROP TABLE personal_data_keys;
