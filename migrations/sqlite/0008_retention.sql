-- Retention (issue 17): when a leaver was pseudonymised, an incident or
-- feedback text erased, an outbox payload (and its delivery log) dropped.
-- The rows themselves stay, so every count and report total stays as it was.

ALTER TABLE users ADD COLUMN pseudonymised_at BIGINT;
ALTER TABLE incidents ADD COLUMN text_erased_at BIGINT;
ALTER TABLE feedback ADD COLUMN text_erased_at BIGINT;
ALTER TABLE outbox ADD COLUMN payload_dropped_at BIGINT;
CREATE INDEX users_left ON users(active, left_at);
