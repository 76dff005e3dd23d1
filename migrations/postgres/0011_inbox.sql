-- The durable inbox (issue 13): the row that records a robot message's msgId
-- (written by the same group-committed statement) also holds what its
-- handler needs, so an answered callback or acked Stream frame means "will
-- be handled". `command` is the message as JSON (sender, conversation, text,
-- reply route); a message that looked like it carried a credential is kept
-- without its text. The handler marks the row handled in the same
-- transaction as its effects and erases `command` then. A row not handled
-- whose lease has passed is run again by the sweep (or, on SQLite, at the
-- next start); `attempts` counts the runs and fences a late one out.

ALTER TABLE inbound_messages ADD COLUMN sender TEXT NOT NULL DEFAULT '';   -- staff id; '' when none or once handled
ALTER TABLE inbound_messages ADD COLUMN command TEXT;                      -- JSON; NULL once handled
ALTER TABLE inbound_messages ADD COLUMN handled_at BIGINT;                 -- ms; NULL: not handled yet
ALTER TABLE inbound_messages ADD COLUMN lease_holder TEXT;                 -- the replica running it
ALTER TABLE inbound_messages ADD COLUMN lease_until BIGINT;                -- ms; may be re-run after this
ALTER TABLE inbound_messages ADD COLUMN attempts BIGINT NOT NULL DEFAULT 0;

-- Rows of earlier versions were handled in memory long ago.
UPDATE inbound_messages SET handled_at = received_at;

-- The sweep looks at rows not handled only, by sender and arrival.
CREATE INDEX inbound_messages_pending ON inbound_messages(sender, received_at)
    WHERE handled_at IS NULL;
