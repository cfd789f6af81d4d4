-- +goose Up
-- 评价器: the rating pad (a tablet facing the applicant) of one window.
-- key_hash is the hash of the device key an admin set on the tablet once
-- ('' until a pad is paired); only the paired tablet may read the pending
-- token. pending_token is the visit's one-time rating token, handed from
-- the window console to the pad: kept in clear because the pad must send it
-- back to RateVisit, and only until it is used, skipped or replaced, or it
-- expires (it is worthless after that: rating_tokens keeps its hash).
CREATE TABLE rating_pads (
    hall_code          TEXT NOT NULL,
    window_number      TEXT NOT NULL,
    key_hash           TEXT NOT NULL,
    paired_at          TIMESTAMPTZ,
    paired_by          TEXT NOT NULL,
    pending_token      TEXT NOT NULL,
    pending_expires_at TIMESTAMPTZ,
    PRIMARY KEY (hall_code, window_number)
);

-- +goose Down
DROP TABLE rating_pads;
