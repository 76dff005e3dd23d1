-- The console's sign-in (issue 16): sessions kept server-side and API
-- tokens per person. Neither table holds a secret: a session is found by
-- the SHA-256 of its cookie value, a token by the SHA-256 of the token
-- (both are 256 random bits, so a plain digest is enough). A person's
-- sessions are deleted when they sign out, lose a role or leave.

CREATE TABLE console_sessions (
    id_hash      TEXT PRIMARY KEY,   -- base64url SHA-256 of the cookie value
    staff_id     TEXT NOT NULL,      -- who signed in
    via          TEXT NOT NULL,      -- dingtalk | dev
    created_at   BIGINT NOT NULL,    -- ms; ends 24 h later whatever happens
    last_seen_at BIGINT NOT NULL     -- ms; ends 8 h after this
);
CREATE INDEX console_sessions_staff ON console_sessions (staff_id);

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash   TEXT NOT NULL UNIQUE, -- base64url SHA-256 of the token
    owner        TEXT NOT NULL,        -- staff id the token acts as (audit actor)
    label        TEXT NOT NULL,        -- what it is for, as the admin wrote it
    scope        TEXT NOT NULL,        -- read | admin
    created_by   TEXT NOT NULL,        -- staff id of the admin who made it
    created_at   BIGINT NOT NULL,      -- ms
    last_used_at BIGINT,               -- ms; updated at most once a minute
    revoked_at   BIGINT,               -- ms; refused from then on
    revoked_by   TEXT                  -- staff id, or why (left)
);
CREATE INDEX api_tokens_owner ON api_tokens (owner);
