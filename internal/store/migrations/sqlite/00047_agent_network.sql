-- +goose Up
-- The agents' network (issue 15 item 5): hand-overs of applicants between
-- the agents of a team by its agent manager (appended, never changed),
-- the agents' service log (代办记录, appended), and the reminders sent to
-- an agent a working day before a deadline the applicant waits on, one
-- per case, deadline and due time whatever node sends it.
CREATE TABLE agent_assignments (
    id          INTEGER PRIMARY KEY,
    account_id  INTEGER NOT NULL REFERENCES accounts (id),
    team        TEXT NOT NULL REFERENCES halls (code),
    from_agent  TEXT NOT NULL REFERENCES users (username),
    to_agent    TEXT NOT NULL REFERENCES users (username),
    assigned_by TEXT NOT NULL REFERENCES users (username),
    assigned_at TEXT NOT NULL,
    data        TEXT NOT NULL  -- applicant.Assignment as JSON
);
CREATE INDEX agent_assignments_account ON agent_assignments (account_id, id);
CREATE INDEX agent_assignments_team ON agent_assignments (team, id);

CREATE TABLE agent_log (
    id          INTEGER PRIMARY KEY,
    account_id  INTEGER NOT NULL REFERENCES accounts (id),
    day         TEXT NOT NULL,
    case_number TEXT,
    body        TEXT NOT NULL,
    agent       TEXT NOT NULL REFERENCES users (username),
    created_at  TEXT NOT NULL
);
CREATE INDEX agent_log_account ON agent_log (account_id, day, id);

CREATE TABLE agent_reminders (
    id          INTEGER PRIMARY KEY,
    case_number TEXT NOT NULL,
    deadline    TEXT NOT NULL,
    due_at      TEXT NOT NULL,
    agent       TEXT NOT NULL REFERENCES users (username),
    account_id  INTEGER,
    body        TEXT NOT NULL,
    sent_at     TEXT NOT NULL,
    UNIQUE (case_number, deadline, due_at)
);
CREATE INDEX agent_reminders_agent ON agent_reminders (agent, sent_at);

-- +goose Down
DROP TABLE agent_reminders;
DROP TABLE agent_log;
DROP TABLE agent_assignments;
