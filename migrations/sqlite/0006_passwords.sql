-- Password rotation: confirmations, reminder and escalation bookkeeping,
-- forced-change campaigns. The policy itself is the `password.policy` row in
-- `settings`. Dates (`due_date`, `local_date`) are local calendar dates
-- (YYYY-MM-DD) in DINGWARDEN_TIMEZONE; instants are milliseconds.

-- `password done` / `已改密`: each confirmation starts a new cycle.
CREATE TABLE password_confirmations (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    staff_id     TEXT NOT NULL,
    confirmed_at BIGINT NOT NULL
);
CREATE INDEX password_confirmations_staff ON password_confirmations(staff_id, confirmed_at);

-- One row per reminder sent: the unique key makes a second tick or a second
-- replica a no-op. `threshold` is days before the due date (7, 3, 1…); 0 and
-- below are the daily overdue reminders (-3 = three days overdue).
CREATE TABLE password_reminders (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    staff_id  TEXT NOT NULL,
    due_date  TEXT NOT NULL,
    threshold BIGINT NOT NULL,
    sent_at   BIGINT NOT NULL,
    UNIQUE (staff_id, due_date, threshold)
);
CREATE INDEX password_reminders_sent ON password_reminders(sent_at);

-- A manager told once that a report's password is overdue, per cycle.
CREATE TABLE password_escalations (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    staff_id         TEXT NOT NULL,
    due_date         TEXT NOT NULL,
    manager_staff_id TEXT NOT NULL,
    escalated_at     BIGINT NOT NULL,
    UNIQUE (staff_id, due_date)
);

-- `password reset-required`: a forced change for an audience, with a reason.
CREATE TABLE password_resets (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    reason     TEXT NOT NULL,
    audience   TEXT NOT NULL,              -- all | dept:NAME | users
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

-- Who a forced change is pending for, until their `password done`.
CREATE TABLE password_reset_targets (
    reset_id     BIGINT NOT NULL REFERENCES password_resets(id),
    staff_id     TEXT NOT NULL,
    notified_at  BIGINT NOT NULL,
    done_at      BIGINT,
    escalated_at BIGINT,
    PRIMARY KEY (reset_id, staff_id)
);
CREATE INDEX password_reset_targets_pending ON password_reset_targets(done_at, staff_id);

-- Daily forced-change reminders: one per target per local day.
CREATE TABLE password_reset_reminders (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    reset_id   BIGINT NOT NULL,
    staff_id   TEXT NOT NULL,
    local_date TEXT NOT NULL,
    sent_at    BIGINT NOT NULL,
    UNIQUE (reset_id, staff_id, local_date)
);
