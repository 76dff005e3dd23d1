-- Core schema: people, roles, inbound dedupe, outbox, audit log, settings.
-- Every instant is stored as milliseconds since the Unix epoch (BIGINT), so
-- the same SQL runs on SQLite and PostgreSQL and "now" is always a parameter.

CREATE TABLE departments (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    path        TEXT NOT NULL UNIQUE,            -- e.g. 总部/研发部
    name        TEXT NOT NULL,                   -- last segment of path
    parent_id   BIGINT REFERENCES departments(id),
    dingtalk_id BIGINT UNIQUE,
    active      BIGINT NOT NULL DEFAULT 1
);

CREATE TABLE users (
    staff_id            TEXT PRIMARY KEY,
    name                TEXT NOT NULL DEFAULT '',
    lang                TEXT NOT NULL DEFAULT 'zh',
    department_id       BIGINT REFERENCES departments(id),
    manager_staff_id    TEXT,
    active              BIGINT NOT NULL DEFAULT 1,  -- 0 once the user left the organisation
    left_at             BIGINT,
    source              TEXT NOT NULL DEFAULT 'chat', -- chat | import | sync
    dingtalk_admin      BIGINT NOT NULL DEFAULT 0,
    password_changed_at BIGINT,
    first_seen_at       BIGINT NOT NULL,
    updated_at          BIGINT NOT NULL
);
CREATE INDEX users_department ON users(department_id);

CREATE TABLE user_roles (
    staff_id   TEXT NOT NULL,
    role       TEXT NOT NULL,                    -- admin | hr
    source     TEXT NOT NULL DEFAULT 'chat',     -- config | chat | import | dingtalk
    granted_by TEXT,
    granted_at BIGINT NOT NULL,
    PRIMARY KEY (staff_id, role)
);

-- Robot callbacks already handled (msgId dedupe and the replay rule).
CREATE TABLE inbound_messages (
    msg_id         TEXT PRIMARY KEY,
    sign_timestamp BIGINT NOT NULL,
    sign           TEXT NOT NULL,
    received_at    BIGINT NOT NULL
);
CREATE INDEX inbound_messages_sign ON inbound_messages(sign_timestamp, sign);
CREATE INDEX inbound_messages_received ON inbound_messages(received_at);

-- Every proactive message, written in the transaction that caused it.
CREATE TABLE outbox (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    channel           TEXT NOT NULL,             -- direct | group | custom_robot
    recipients        TEXT NOT NULL DEFAULT '[]',-- JSON: staff ids (direct) or ["openConversationId"] (group)
    message           TEXT NOT NULL,             -- JSON of domain::Message
    priority          BIGINT NOT NULL DEFAULT 10,-- lower goes first; 0 = replies to people in chat
    status            TEXT NOT NULL DEFAULT 'pending', -- pending | sent | dead
    attempts          BIGINT NOT NULL DEFAULT 0,
    next_attempt_at   BIGINT NOT NULL,
    lease_until       BIGINT,
    last_error        TEXT,
    dedupe_key        TEXT UNIQUE,
    ref_kind          TEXT,                      -- what caused it, e.g. notice
    ref_id            BIGINT,
    process_query_key TEXT,
    created_at        BIGINT NOT NULL,
    sent_at           BIGINT
);
CREATE INDEX outbox_due ON outbox(status, priority, next_attempt_at);
CREATE INDEX outbox_ref ON outbox(ref_kind, ref_id);

-- Append-only, hash-chained record of every consequential action.
CREATE TABLE audit_log (
    seq       BIGINT PRIMARY KEY,
    at        BIGINT NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    subject   TEXT NOT NULL DEFAULT '',
    details   TEXT NOT NULL DEFAULT '{}',
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
);
CREATE INDEX audit_log_at ON audit_log(at);

CREATE TABLE settings (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);
