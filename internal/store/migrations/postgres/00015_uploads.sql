-- +goose Up
-- Every file kept in the blob store, under its key (the day and its
-- SHA-256), with when it last arrived. A file nothing references (no row
-- in file_refs) is removed once it is older than the grace period: the
-- collector claims the row (claim, claimed_at), deletes the file, then
-- the row. A transaction that adds a reference first updates the row with
-- "claim IS NULL", which both checks and locks it against a collector.
-- case_held marks a file a case references (for good): the collector's
-- scan leaves those out by the partial index instead of probing them.
CREATE TABLE uploads (
    key           TEXT PRIMARY KEY,
    sha256        TEXT NOT NULL,
    size          BIGINT NOT NULL,
    type          TEXT NOT NULL,
    uploaded_at   TIMESTAMPTZ NOT NULL,
    uploaded_by   TEXT NOT NULL DEFAULT '',
    referenced_at TIMESTAMPTZ,
    case_held     BOOLEAN NOT NULL DEFAULT FALSE,
    claim         TEXT,
    claimed_at    TIMESTAMPTZ
);
CREATE INDEX uploads_loose ON uploads (uploaded_at) WHERE NOT case_held;

-- Who references a file: a case (its materials, ever) or a draft (now).
CREATE TABLE file_refs (
    key       TEXT NOT NULL REFERENCES uploads (key),
    holder    TEXT NOT NULL, -- case or draft
    holder_id BIGINT NOT NULL,
    PRIMARY KEY (key, holder, holder_id)
);
CREATE INDEX file_refs_holder ON file_refs (holder, holder_id);

-- A joint application (一件事) being filled in is a draft, one per account
-- and template, instead of a page session's data.
CREATE UNIQUE INDEX drafts_bundle ON drafts (account_id, code) WHERE kind = 'bundle';

-- The files cases and drafts already name (lax paths skip missing and null
-- members).
INSERT INTO uploads (key, sha256, size, type, uploaded_at)
SELECT DISTINCT ON (f->>'key') f->>'key', COALESCE(f->>'sha256', ''), COALESCE((f->>'size')::bigint, 0),
       COALESCE(f->>'type', ''), c.received_at
FROM cases c, jsonb_path_query(c.data::jsonb, 'lax $.materials[*].files[*]') f
WHERE jsonb_typeof(f) = 'object' AND COALESCE(f->>'key', '') <> ''
ORDER BY f->>'key', c.received_at
ON CONFLICT (key) DO NOTHING;
INSERT INTO uploads (key, sha256, size, type, uploaded_at)
SELECT DISTINCT ON (f->>'key') f->>'key', COALESCE(f->>'sha256', ''), COALESCE((f->>'size')::bigint, 0),
       COALESCE(f->>'type', ''), d.updated_at
FROM drafts d, jsonb_path_query(d.data::jsonb, 'lax $.files.*[*]') f
WHERE jsonb_typeof(f) = 'object' AND COALESCE(f->>'key', '') <> ''
ORDER BY f->>'key', d.updated_at
ON CONFLICT (key) DO NOTHING;
INSERT INTO file_refs (key, holder, holder_id)
SELECT DISTINCT f->>'key', 'case', c.id
FROM cases c, jsonb_path_query(c.data::jsonb, 'lax $.materials[*].files[*]') f
WHERE jsonb_typeof(f) = 'object' AND COALESCE(f->>'key', '') <> ''
ON CONFLICT DO NOTHING;
INSERT INTO file_refs (key, holder, holder_id)
SELECT DISTINCT f->>'key', 'draft', d.id
FROM drafts d, jsonb_path_query(d.data::jsonb, 'lax $.files.*[*]') f
WHERE jsonb_typeof(f) = 'object' AND COALESCE(f->>'key', '') <> ''
ON CONFLICT DO NOTHING;

UPDATE uploads SET case_held = TRUE WHERE key IN (SELECT key FROM file_refs WHERE holder = 'case');

-- +goose Down
DROP INDEX drafts_bundle;
DROP TABLE file_refs;
DROP TABLE uploads;
