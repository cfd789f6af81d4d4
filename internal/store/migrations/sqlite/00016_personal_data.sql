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
    updated_at TEXT NOT NULL
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
DROP TRIGGER intake_attempts_no_update;
-- +goose StatementBegin
CREATE TRIGGER intake_attempts_no_update BEFORE UPDATE ON intake_attempts
WHEN NOT (NEW.id IS OLD.id AND NEW.item_code IS OLD.item_code AND NEW.item_version IS OLD.item_version
    AND NEW.applicant_kind IS OLD.applicant_kind AND NEW.applicant_name IS OLD.applicant_name
    AND NEW.applicant_id_type IS OLD.applicant_id_type AND NEW.missing IS OLD.missing AND NEW.note IS OLD.note
    AND NEW.clerk IS OLD.clerk AND NEW.clerk_name IS OLD.clerk_name AND NEW.hall_code IS OLD.hall_code
    AND NEW.created_at IS OLD.created_at
    AND (NEW.applicant_id IS OLD.applicant_id OR OLD.applicant_id_sealed = ''))
BEGIN SELECT RAISE(ABORT, 'intake attempts are append-only'); END;
-- +goose StatementEnd

DROP TRIGGER ratings_no_update;
-- +goose StatementBegin
CREATE TRIGGER ratings_no_update BEFORE UPDATE ON ratings
WHEN NOT (NEW.id IS OLD.id AND NEW.level IS OLD.level AND NEW.tags IS OLD.tags AND NEW.text IS OLD.text
    AND NEW.channel IS OLD.channel AND NEW.ticket_id IS OLD.ticket_id AND NEW.case_id IS OLD.case_id
    AND NEW.hall_code IS OLD.hall_code AND NEW.window_number IS OLD.window_number AND NEW.clerk IS OLD.clerk
    AND NEW.department IS OLD.department AND NEW.real_name IS OLD.real_name AND NEW.rater_name IS OLD.rater_name
    AND NEW.key_hash IS OLD.key_hash AND NEW.created_at IS OLD.created_at
    AND (NEW.rater_phone IS OLD.rater_phone OR NEW.rater_phone = ''))
BEGIN SELECT RAISE(ABORT, 'ratings are never changed'); END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER ratings_no_update;
-- +goose StatementBegin
CREATE TRIGGER ratings_no_update BEFORE UPDATE ON ratings
BEGIN SELECT RAISE(ABORT, 'ratings are never changed'); END;
-- +goose StatementEnd
DROP TRIGGER intake_attempts_no_update;
-- +goose StatementBegin
CREATE TRIGGER intake_attempts_no_update BEFORE UPDATE ON intake_attempts
BEGIN SELECT RAISE(ABORT, 'intake attempts are append-only'); END;
-- +goose StatementEnd
ALTER TABLE notifications DROP COLUMN recipient_sealed;
ALTER TABLE ratings DROP COLUMN rater_phone_sealed;
ALTER TABLE appointments DROP COLUMN phone_sealed;
ALTER TABLE appointments DROP COLUMN id_number_sealed;
ALTER TABLE tickets DROP COLUMN id_number_sealed;
ALTER TABLE intake_attempts DROP COLUMN applicant_id_sealed;
DROP TABLE personal_data_keys;
