-- Notices (exit announcements, policies, offboarding) and acknowledgement
-- tracking: who a notice went to (snapshotted at send time), who received,
-- acknowledged and ticked which checklist item when, and the reminder and
-- escalation rounds already run (unique keys, so two replicas never repeat one).

CREATE TABLE notices (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    kind             TEXT NOT NULL DEFAULT 'general',  -- general | exit | policy | security
    title            TEXT NOT NULL,
    body             TEXT NOT NULL DEFAULT '',         -- markdown as the author wrote it
    deadline_date    TEXT,                             -- YYYY-MM-DD as written
    deadline_at      BIGINT,                           -- end of that local day
    checklist_total  BIGINT NOT NULL DEFAULT 0,
    author           TEXT NOT NULL,
    status           TEXT NOT NULL DEFAULT 'draft',    -- draft | sent | closed
    open_acks        BIGINT NOT NULL DEFAULT 0,        -- 1 once posted to a group: anyone may ack
    subject_staff_id TEXT,                             -- offboarding: who is leaving
    created_at       BIGINT NOT NULL,
    sent_at          BIGINT,
    closed_at        BIGINT,
    closed_by        TEXT
);
CREATE INDEX notices_status ON notices(status);

CREATE TABLE notice_items (
    notice_id BIGINT NOT NULL REFERENCES notices(id),
    n         BIGINT NOT NULL,                         -- 1-based, as in `done ID N`
    text      TEXT NOT NULL,
    PRIMARY KEY (notice_id, n)
);

-- One row per person a notice was addressed to, written at send time.
CREATE TABLE notice_recipients (
    notice_id        BIGINT NOT NULL REFERENCES notices(id),
    staff_id         TEXT NOT NULL,
    name             TEXT NOT NULL DEFAULT '',         -- snapshot at send time
    department       TEXT NOT NULL DEFAULT '',         -- department path, snapshot
    lang             TEXT NOT NULL DEFAULT 'zh',
    via              TEXT NOT NULL DEFAULT 'direct',   -- direct | group (joined by acknowledging)
    added_at         BIGINT NOT NULL,
    delivered_at     BIGINT,
    undeliverable_at BIGINT,
    acked_at         BIGINT,
    ack_via          TEXT,                             -- button | chat | group
    checklist_done   BIGINT NOT NULL DEFAULT 0,
    reminded_at      BIGINT,
    reminders_sent   BIGINT NOT NULL DEFAULT 0,
    escalated_at     BIGINT,
    PRIMARY KEY (notice_id, staff_id)
) WITHOUT ROWID;  -- clustered by notice: status scans and sends stay fast at 100,000 rows
CREATE INDEX notice_recipients_staff ON notice_recipients(staff_id);

CREATE TABLE notice_ticks (
    notice_id BIGINT NOT NULL,
    staff_id  TEXT NOT NULL,
    n         BIGINT NOT NULL,
    ticked_at BIGINT NOT NULL,
    PRIMARY KEY (notice_id, staff_id, n),
    FOREIGN KEY (notice_id, staff_id) REFERENCES notice_recipients(notice_id, staff_id)
) WITHOUT ROWID;

-- Reminder and escalation rounds: a round is claimed by inserting its key;
-- whoever inserts it does the work in the same transaction.
CREATE TABLE notice_rounds (
    notice_id  BIGINT NOT NULL REFERENCES notices(id),
    kind       TEXT NOT NULL,                          -- remind | manual | escalate
    round_key  TEXT NOT NULL,
    at         BIGINT NOT NULL,
    actor      TEXT NOT NULL DEFAULT 'scheduler',
    recipients BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (notice_id, kind, round_key)
);

-- Offboarding: when an admin started it (the user stays active until they leave).
ALTER TABLE users ADD COLUMN leaving_at BIGINT;
