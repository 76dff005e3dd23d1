-- Leases and leaders (issue 13): the scheduler's leader is a lease row that
-- its holder renews each tick and any replica takes over once it has
-- expired. One autocommit statement takes or renews it, so it needs no
-- session state (works behind a transaction-pooling PgBouncer). On
-- PostgreSQL `lease_until` is judged by the database's clock, like the
-- outbox leases; SQLite has one process, which always leads.

CREATE TABLE leader_leases (
    role        TEXT PRIMARY KEY,   -- what is led, e.g. scheduler
    holder      TEXT NOT NULL,      -- the replica holding it (pid and a random id)
    lease_until BIGINT NOT NULL,    -- ms; taken over by another replica after this
    since       BIGINT NOT NULL     -- ms; when this holder took it
);
