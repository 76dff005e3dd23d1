-- Delivery engine (issue 3): which worker holds a claimed outbox row, who is
-- still owed a message after a partial send, and one row per DingTalk call
-- that accepted a message (its processQueryKey, who got it, who did not).

-- Random token of the claim that holds the lease; marks must carry it.
ALTER TABLE outbox ADD COLUMN claim_token TEXT;
-- JSON staff ids still to send to (flow-controlled users); NULL = all recipients.
ALTER TABLE outbox ADD COLUMN remaining_recipients TEXT;

CREATE TABLE outbox_deliveries (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    outbox_id         BIGINT NOT NULL REFERENCES outbox(id) ON DELETE CASCADE,
    api               TEXT NOT NULL,               -- batch_send | group_send | robot_send | dev_sink
    process_query_key TEXT,
    delivered         TEXT NOT NULL DEFAULT '[]',  -- JSON: recipients DingTalk accepted
    undeliverable     TEXT NOT NULL DEFAULT '[]',  -- JSON: invalidStaffIdList + filteredStaffIdList
    flow_controlled   TEXT NOT NULL DEFAULT '[]',  -- JSON: flowControlledStaffIdList (retried)
    at                BIGINT NOT NULL
);
CREATE INDEX outbox_deliveries_outbox ON outbox_deliveries(outbox_id);
