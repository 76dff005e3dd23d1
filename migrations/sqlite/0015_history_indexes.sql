-- Indexes for lookups whose cost grew with the whole history (bench/README.md,
-- soak). One person's quiz history by person: starting a quiz (the questions
-- seen before), `me` (the latest results), a failed quiz (the pending
-- follow-up) and `quiz stats` (each person's pass) read every attempt of the
-- bank, or every follow-up. Retention's check, every scheduler tick, read
-- every incident and every sent message still holding its payload to find
-- none old enough.
CREATE INDEX quiz_attempts_person ON quiz_attempts(staff_id, bank_id);
CREATE INDEX quiz_followups_person ON quiz_followups(staff_id, bank_id);
CREATE INDEX incidents_created ON incidents(created_at);
CREATE INDEX outbox_payloads ON outbox(status, sent_at) WHERE payload_dropped_at IS NULL;
