-- Confirmations (issue 12 point 2): what changes someone's power (role
-- grant/revoke, offboarding) is first stored here as a typed request with a
-- one-time code; only the same person, in the same conversation (venue),
-- before expires_at, with that code, executes it. The code itself is never
-- stored: only its SHA-256. Rows are closed when used, locked after too many
-- wrong codes, and deleted a day after they expired.

CREATE TABLE confirmations (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    requester  TEXT NOT NULL,                 -- staff id of who asked
    venue      TEXT NOT NULL,                 -- chat:<conversation id> | console:<session>
    action     TEXT NOT NULL,                 -- role.grant | role.revoke | offboard
    request    TEXT NOT NULL,                 -- the typed request, as JSON
    code_hash  TEXT NOT NULL,                 -- hex SHA-256 of the code
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    attempts   BIGINT NOT NULL DEFAULT 0,     -- wrong codes tried while it was open
    closed_at  BIGINT,                        -- used or locked
    outcome    TEXT                           -- used | locked
);
CREATE INDEX confirmations_requester ON confirmations(requester, created_at);

-- Offboarding as organisations run it (issue 18 point 11): which of an
-- offboarding's notices a notice is, now that the leaver's manager gets a
-- checklist of their own beside the leaver's notice and the admins'.
ALTER TABLE notices ADD COLUMN offboarding_part TEXT;  -- leaver | admins | manager
UPDATE notices SET offboarding_part = CASE
    WHEN EXISTS (SELECT 1 FROM notice_recipients r
                 WHERE r.notice_id = notices.id AND r.staff_id = notices.subject_staff_id)
    THEN 'leaver' ELSE 'admins' END
WHERE subject_staff_id IS NOT NULL;
