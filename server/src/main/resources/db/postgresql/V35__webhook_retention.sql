-- Webhook retention (docs/integrations.md, "Retention"): delivered outbox rows and old attempts are
-- deleted in batches by age, so both ages need an index.
CREATE INDEX webhook_outbox_delivered ON webhook_outbox(status, delivered_at);
CREATE INDEX webhook_attempts_at ON webhook_attempts(attempted_at);
