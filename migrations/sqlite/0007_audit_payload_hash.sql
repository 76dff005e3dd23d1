-- An audit chain that survives erasure (issue 17): from here on each entry's
-- chain hash covers the hash of its payload (actor, subject, details, with a
-- random salt), not the payload itself, so retention can replace a payload
-- with a redaction marker and the chain still verifies. Entries written
-- before keep their old form; the first seq of the new form is recorded here.

ALTER TABLE audit_log ADD COLUMN payload_hash TEXT;   -- NULL on entries of the old form
ALTER TABLE audit_log ADD COLUMN payload_salt TEXT;   -- NULL on old entries and once redacted

INSERT INTO settings (key, value, updated_at)
SELECT 'audit.current_form_from', CAST(COALESCE(MAX(seq), 0) + 1 AS TEXT), 0 FROM audit_log;
