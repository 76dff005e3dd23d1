-- Roster, incidents and feedback (issue 4).
-- A user may belong to several departments (DingTalk's dept_id_list);
-- users.department_id stays their primary one, the one audiences use.

CREATE TABLE user_departments (
    staff_id      TEXT NOT NULL REFERENCES users(staff_id),
    department_id BIGINT NOT NULL REFERENCES departments(id),
    PRIMARY KEY (staff_id, department_id)
);
CREATE INDEX user_departments_department ON user_departments(department_id);

-- Security incidents reported in chat (`report TEXT`).
CREATE TABLE incidents (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    reporter     TEXT NOT NULL,
    text         TEXT NOT NULL,
    in_group     BIGINT NOT NULL DEFAULT 0,     -- 1 when reported in a group chat
    status       TEXT NOT NULL DEFAULT 'open',  -- open | closed
    created_at   BIGINT NOT NULL,
    closed_at    BIGINT,
    closed_by    TEXT,
    close_note   TEXT
);
CREATE INDEX incidents_status ON incidents(status, id);

-- Feedback sent in chat (`feedback TEXT`).
CREATE TABLE feedback (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    staff_id   TEXT NOT NULL,
    text       TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX feedback_created ON feedback(created_at);
