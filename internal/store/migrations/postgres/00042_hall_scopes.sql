-- +goose Up
-- What each hall does (issue 15 item 1, 事项下沉): the items it takes in,
-- the delegated instant items it decides, whether it issues results, and
-- its transit cut-off and run, published by the bureau admin in versions
-- like the catalog's items. The highest version of a hall is in force; a
-- hall with none keeps the default (every item, new ones included).
CREATE TABLE hall_scopes (
    hall_code    TEXT NOT NULL REFERENCES halls (code),
    version      INTEGER NOT NULL CHECK (version >= 1),
    data         TEXT NOT NULL,  -- network.Scope as JSON
    published_at TIMESTAMPTZ NOT NULL,
    published_by TEXT NOT NULL,
    PRIMARY KEY (hall_code, version)
);

-- +goose Down
DROP TABLE hall_scopes;
