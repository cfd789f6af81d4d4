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
    size          INTEGER NOT NULL,
    type          TEXT NOT NULL,
    uploaded_at   TEXT NOT NULL,
    uploaded_by   TEXT NOT NULL DEFAULT '',
    referenced_at TEXT,
    case_held     BOOLEAN NOT NULL DEFAULT FALSE,
    claim         TEXT,
    claimed_at    TEXT
);
CREATE INDEX uploads_loose ON uploads (uploaded_at) WHERE NOT case_held;

-- Who references a file: a case (its materials, ever) or a draft (now).
CREATE TABLE file_refs (
    key       TEXT NOT NULL REFERENCES uploads (key),
    holder    TEXT NOT NULL, -- case or draft
    holder_id INTEGER NOT NULL,
    PRIMARY KEY (key, holder, holder_id)
);
CREATE INDEX file_refs_holder ON file_refs (holder, holder_id);

-- A joint application (一件事) being filled in is a draft, one per account
-- and template, instead of a page session's data.
CREATE UNIQUE INDEX drafts_bundle ON drafts (account_id, code) WHERE kind = 'bundle';

-- The files cases and drafts already name.
INSERT OR IGNORE INTO uploads (key, sha256, size, type, uploaded_at)
SELECT json_extract(f.value, '$.key'), COALESCE(json_extract(f.value, '$.sha256'), ''),
       COALESCE(json_extract(f.value, '$.size'), 0), COALESCE(json_extract(f.value, '$.type'), ''), c.received_at
FROM cases c, json_each(c.data, '$.materials') m, json_each(m.value, '$.files') f
WHERE f.type = 'object' AND COALESCE(json_extract(f.value, '$.key'), '') <> ''
ORDER BY c.received_at;
INSERT OR IGNORE INTO uploads (key, sha256, size, type, uploaded_at)
SELECT json_extract(f.value, '$.key'), COALESCE(json_extract(f.value, '$.sha256'), ''),
       COALESCE(json_extract(f.value, '$.size'), 0), COALESCE(json_extract(f.value, '$.type'), ''), d.updated_at
FROM drafts d, json_each(d.data, '$.files') m, json_each(m.value) f
WHERE f.type = 'object' AND COALESCE(json_extract(f.value, '$.key'), '') <> '';
INSERT OR IGNORE INTO file_refs (key, holder, holder_id)
SELECT json_extract(f.value, '$.key'), 'case', c.id
FROM cases c, json_each(c.data, '$.materials') m, json_each(m.value, '$.files') f
WHERE f.type = 'object' AND COALESCE(json_extract(f.value, '$.key'), '') <> '';
INSERT OR IGNORE INTO file_refs (key, holder, holder_id)
SELECT json_extract(f.value, '$.key'), 'draft', d.id
FROM drafts d, json_each(d.data, '$.files') m, json_each(m.value) f
WHERE f.type = 'object' AND COALESCE(json_extract(f.value, '$.key'), '') <> '';

UPDATE uploads SET case_held = TRUE WHERE key IN (SELECT key FROM file_refs WHERE holder = 'case');

-- +goose Down
DROP INDEX drafts_bundle;
DROP TABLE file_refs;
DROP TABLE uploads;
