-- Security training quizzes: banks (every import of a bank is a new version
-- with its own copy of the questions, so editing a bank never rewrites past
-- attempts), attempts and their sampled questions, campaigns with their
-- members and reminder bookkeeping, and spaced repetition (questions a user
-- missed, and follow-up quizzes on the missed topics).

CREATE TABLE quiz_banks (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    bank_key           TEXT NOT NULL UNIQUE,        -- the bank's `id` in its TOML file
    current_version_id BIGINT,
    builtin            BIGINT NOT NULL DEFAULT 0,   -- 1: the bank compiled into the binary
    created_at         BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL
);

CREATE TABLE quiz_bank_versions (
    id                    INTEGER PRIMARY KEY AUTOINCREMENT,
    bank_id               BIGINT NOT NULL REFERENCES quiz_banks(id),
    version               BIGINT NOT NULL,          -- 1, 2, … per bank
    content_hash          TEXT NOT NULL,            -- SHA-256 of the validated bank
    title_zh              TEXT NOT NULL,
    title_en              TEXT NOT NULL,
    pass_percent          BIGINT NOT NULL,
    questions_per_attempt BIGINT NOT NULL,
    followup_questions    BIGINT NOT NULL,
    imported_by           TEXT NOT NULL,
    imported_at           BIGINT NOT NULL,
    UNIQUE (bank_id, version)
);

CREATE TABLE quiz_questions (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    version_id     BIGINT NOT NULL REFERENCES quiz_bank_versions(id),
    question_key   TEXT NOT NULL,                   -- the question's `id` in the file
    position       BIGINT NOT NULL,
    topic          TEXT NOT NULL,
    topic_zh       TEXT NOT NULL,
    topic_en       TEXT NOT NULL,
    prompt_zh      TEXT NOT NULL,
    prompt_en      TEXT NOT NULL,
    options        TEXT NOT NULL,                   -- JSON [{"zh": …, "en": …}, …] in file order
    correct        BIGINT NOT NULL,                 -- index into options
    explanation_zh TEXT NOT NULL,
    explanation_en TEXT NOT NULL,
    source_zh      TEXT,
    source_en      TEXT,
    UNIQUE (version_id, question_key)
);

CREATE TABLE quiz_campaigns (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    bank_id       BIGINT NOT NULL REFERENCES quiz_banks(id),
    audience      TEXT NOT NULL,                    -- as typed: all | dept NAME | users IDS
    assigned_by   TEXT NOT NULL,
    deadline_date TEXT,                             -- YYYY-MM-DD, local
    deadline_at   BIGINT,                           -- end of that local day
    status        TEXT NOT NULL DEFAULT 'open',     -- open | closed
    escalated_at  BIGINT,
    created_at    BIGINT NOT NULL
);

CREATE TABLE quiz_campaign_members (
    campaign_id      BIGINT NOT NULL REFERENCES quiz_campaigns(id),
    staff_id         TEXT NOT NULL,
    invited_at       BIGINT NOT NULL,
    passed_at        BIGINT,
    reminders_sent   BIGINT NOT NULL DEFAULT 0,
    last_reminded_at BIGINT,
    escalated_at     BIGINT,
    PRIMARY KEY (campaign_id, staff_id)
);
CREATE INDEX quiz_campaign_members_staff ON quiz_campaign_members(staff_id);

-- One row per reminder or escalation a member was sent: at most one of each
-- kind per member per local date, whatever the number of ticks or replicas.
CREATE TABLE quiz_reminders (
    campaign_id BIGINT NOT NULL,
    staff_id    TEXT NOT NULL,
    kind        TEXT NOT NULL,                      -- reminder | escalation
    local_date  TEXT NOT NULL,                      -- YYYY-MM-DD
    sent_at     BIGINT NOT NULL,
    PRIMARY KEY (campaign_id, staff_id, kind, local_date)
);

CREATE TABLE quiz_attempts (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    staff_id     TEXT NOT NULL,
    bank_id      BIGINT NOT NULL REFERENCES quiz_banks(id),
    version_id   BIGINT NOT NULL REFERENCES quiz_bank_versions(id),
    kind         TEXT NOT NULL DEFAULT 'regular',   -- regular | followup
    campaign_id  BIGINT,
    status       TEXT NOT NULL DEFAULT 'active',    -- active | completed | quit
    total        BIGINT NOT NULL,
    score        BIGINT,
    passed       BIGINT,
    pass_percent BIGINT NOT NULL,
    started_at   BIGINT NOT NULL,
    finished_at  BIGINT
);
-- One quiz at a time per user.
CREATE UNIQUE INDEX quiz_attempts_one_active ON quiz_attempts(staff_id) WHERE status = 'active';
CREATE INDEX quiz_attempts_bank ON quiz_attempts(bank_id, status);

CREATE TABLE quiz_attempt_questions (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    attempt_id    BIGINT NOT NULL REFERENCES quiz_attempts(id),
    position      BIGINT NOT NULL,                  -- 1-based order in the attempt
    question_id   BIGINT NOT NULL REFERENCES quiz_questions(id),
    option_order  TEXT NOT NULL,                    -- JSON: shown letter i is option option_order[i]
    answer        BIGINT,                           -- chosen option, index in file order
    answer_letter TEXT,                             -- as shown to the user
    correct       BIGINT,
    answered_at   BIGINT,
    UNIQUE (attempt_id, position)
);

-- Spaced repetition: questions a user missed come back until answered right twice.
CREATE TABLE quiz_review (
    staff_id       TEXT NOT NULL,
    bank_id        BIGINT NOT NULL,
    question_key   TEXT NOT NULL,
    misses         BIGINT NOT NULL DEFAULT 1,
    box            BIGINT NOT NULL DEFAULT 0,       -- right answers since the last miss
    last_missed_at BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL,
    PRIMARY KEY (staff_id, bank_id, question_key)
);

-- A short quiz on the topics a failed attempt missed, offered days later.
CREATE TABLE quiz_followups (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    staff_id          TEXT NOT NULL,
    bank_id           BIGINT NOT NULL,
    source_attempt_id BIGINT NOT NULL UNIQUE,
    topics            TEXT NOT NULL,                -- JSON list of topic keys
    due_at            BIGINT NOT NULL,
    sent_at           BIGINT,
    attempt_id        BIGINT,                       -- the follow-up attempt, once started
    created_at        BIGINT NOT NULL
);
CREATE INDEX quiz_followups_due ON quiz_followups(sent_at, due_at);
