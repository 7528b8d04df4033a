-- Several nodes on one database (issue 9): a node that takes an outbox row to send it marks it claimed
-- until a lease ends (SELECT … FOR UPDATE SKIP LOCKED), so other nodes' workers skip it; a crashed
-- node's claim simply expires.
ALTER TABLE webhook_outbox ADD COLUMN claimed_until BIGINT;
