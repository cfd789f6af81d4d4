-- +goose Up
-- Times are stored as fixed-width UTC text (see store/stamp.go) so that they
-- compare correctly as strings; dates as 'YYYY-MM-DD'.
CREATE TABLE departments (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    credit_code TEXT NOT NULL UNIQUE,
    created_at  TEXT NOT NULL
);

CREATE TABLE halls (
    id        INTEGER PRIMARY KEY,
    code      TEXT NOT NULL UNIQUE,
    name      TEXT NOT NULL,
    level     TEXT NOT NULL CHECK (level IN ('district', 'street', 'community')),
    parent_id INTEGER REFERENCES halls (id),
    address   TEXT NOT NULL DEFAULT ''
);

CREATE TABLE windows (
    id            INTEGER PRIMARY KEY,
    hall_id       INTEGER NOT NULL REFERENCES halls (id),
    number        TEXT NOT NULL,
    name          TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('intake', 'issuance', 'specialised')),
    department_id INTEGER REFERENCES departments (id),
    UNIQUE (hall_id, number)
);

CREATE TABLE users (
    id                  INTEGER PRIMARY KEY,
    username            TEXT NOT NULL UNIQUE,
    name                TEXT NOT NULL,
    role                TEXT NOT NULL,
    department_id       INTEGER REFERENCES departments (id),
    hall_id             INTEGER REFERENCES halls (id),
    password_hash       TEXT NOT NULL,
    active              BOOLEAN NOT NULL DEFAULT TRUE,
    created_at          TEXT NOT NULL,
    password_changed_at TEXT NOT NULL
);

-- Every edit of an item inserts a new version; exactly one version of a code is current.
CREATE TABLE items (
    id                  INTEGER PRIMARY KEY,
    code                TEXT NOT NULL,
    version             INTEGER NOT NULL,
    is_current          BOOLEAN NOT NULL,
    department_id       INTEGER NOT NULL REFERENCES departments (id),
    name                TEXT NOT NULL,
    type                TEXT NOT NULL,
    kind                TEXT NOT NULL CHECK (kind IN ('instant', 'promised')),
    statutory_days      INTEGER NOT NULL,
    promised_days       INTEGER NOT NULL CHECK (promised_days <= statutory_days),
    deferral_days       INTEGER NOT NULL,
    delegated           BOOLEAN NOT NULL,
    legal_basis         TEXT NOT NULL,
    conditions          TEXT NOT NULL,
    fees                TEXT NOT NULL,
    online_level        TEXT NOT NULL,
    special_procedures  TEXT NOT NULL,
    collect_at_issuance TEXT NOT NULL, -- JSON array of strings
    applicant_kinds     TEXT NOT NULL, -- JSON array of strings
    created_at          TEXT NOT NULL,
    created_by          TEXT NOT NULL,
    UNIQUE (code, version)
);
CREATE UNIQUE INDEX items_one_current ON items (code) WHERE is_current;
CREATE INDEX items_department ON items (department_id);

CREATE TABLE item_materials (
    item_id    INTEGER NOT NULL REFERENCES items (id),
    position   INTEGER NOT NULL,
    code       TEXT NOT NULL,
    name       TEXT NOT NULL,
    required   BOOLEAN NOT NULL,
    originals  INTEGER NOT NULL,
    copies     INTEGER NOT NULL,
    paper      BOOLEAN NOT NULL,
    electronic BOOLEAN NOT NULL,
    can_defer  BOOLEAN NOT NULL, -- 容缺: may be supplied later
    notes      TEXT NOT NULL,
    PRIMARY KEY (item_id, code)
);

-- Dates that differ from Monday-Friday: holidays and 调休 working days.
CREATE TABLE calendar_days (
    day        TEXT PRIMARY KEY,
    working    BOOLEAN NOT NULL,
    name       TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
);

-- A hall's own closures (or extra openings) on top of the district calendar.
CREATE TABLE hall_days (
    hall_id    INTEGER NOT NULL REFERENCES halls (id),
    day        TEXT NOT NULL,
    working    BOOLEAN NOT NULL,
    name       TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    PRIMARY KEY (hall_id, day)
);

-- API bearer tokens; only a SHA-256 of the token is kept.
CREATE TABLE api_tokens (
    id         INTEGER PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    user_id    INTEGER NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    revoked_at TEXT
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

-- Failed sign-ins per username, for the lockout; shared by every node.
CREATE TABLE login_failures (
    username      TEXT PRIMARY KEY,
    failures      INTEGER NOT NULL,
    last_failed   TEXT NOT NULL,
    locked_until  TEXT
);

-- Every sign-in attempt, successful or not.
CREATE TABLE sign_ins (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    username    TEXT NOT NULL,
    user_id     INTEGER REFERENCES users (id),
    outcome     TEXT NOT NULL,
    channel     TEXT NOT NULL,
    remote_addr TEXT NOT NULL,
    request_id  TEXT NOT NULL
);
CREATE INDEX sign_ins_at ON sign_ins (at);

-- Page sessions (alexedwards/scs sqlite3store's layout).
CREATE TABLE sessions (
    token  TEXT PRIMARY KEY,
    data   BLOB NOT NULL,
    expiry REAL NOT NULL
);
CREATE INDEX sessions_expiry ON sessions (expiry);

-- +goose Down
DROP TABLE sessions;
DROP TABLE sign_ins;
DROP TABLE login_failures;
DROP TABLE api_tokens;
DROP TABLE hall_days;
DROP TABLE calendar_days;
DROP TABLE item_materials;
DROP TABLE items;
DROP TABLE users;
DROP TABLE windows;
DROP TABLE halls;
DROP TABLE departments;
