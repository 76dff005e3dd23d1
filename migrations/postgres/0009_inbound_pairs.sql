-- The replay rule keeps one row per (timestamp, sign) pair: its first
-- sighting, keyed by a SHA-256 of the pair, so the check is one index lookup
-- however often a captured pair is replayed. No raw signature is stored:
-- a read of the database must not hand out headers that pass verification.
--
-- Rows of earlier versions hold the raw `sign`; they move to
-- inbound_legacy, which Store::migrate hashes into the new tables, deletes
-- and drops (the same step as on SQLite, which has no SHA-256 in SQL).

ALTER TABLE inbound_messages RENAME TO inbound_legacy;
ALTER INDEX inbound_messages_pkey RENAME TO inbound_legacy_pkey;
DROP INDEX inbound_messages_sign;
DROP INDEX inbound_messages_received;

CREATE TABLE inbound_messages (
    msg_id      TEXT PRIMARY KEY,
    pair_hash   TEXT NOT NULL,                  -- hex SHA-256 of "timestamp:hex SHA-256(sign)"
    received_at BIGINT NOT NULL
);
CREATE INDEX inbound_messages_received ON inbound_messages(received_at);

-- First sighting of each signature pair: which msgId brought it, and when.
CREATE TABLE inbound_pairs (
    pair_hash     TEXT PRIMARY KEY,
    msg_id        TEXT NOT NULL,
    first_seen_at BIGINT NOT NULL
);
CREATE INDEX inbound_pairs_seen ON inbound_pairs(first_seen_at);

-- The claim stays one statement per batch: inserting a msgId records its
-- pair's first sighting (a later sighting of the pair changes nothing).
CREATE FUNCTION inbound_first_sighting() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO inbound_pairs (pair_hash, msg_id, first_seen_at)
    VALUES (NEW.pair_hash, NEW.msg_id, NEW.received_at)
    ON CONFLICT (pair_hash) DO NOTHING;
    RETURN NULL;
END
$$;
CREATE TRIGGER inbound_first_sighting AFTER INSERT ON inbound_messages
    FOR EACH ROW EXECUTE FUNCTION inbound_first_sighting();

-- Orderings shown to people compare text by code point on both backends
-- (SQLite's built-in BINARY collation; here the same as "C", whatever the
-- database's locale). Queries say COLLATE "binary".
CREATE COLLATION IF NOT EXISTS "binary" FROM "C";
