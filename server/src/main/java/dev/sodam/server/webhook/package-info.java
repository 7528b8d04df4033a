/**
 * Outbound webhooks: chat events are written to a durable outbox inside the transaction that made them
 * ({@link dev.sodam.server.webhook.WebhookOutbox}), then delivered off the domain thread, signed with
 * HMAC-SHA256, retried with exponential backoff, in order per conversation
 * ({@link dev.sodam.server.webhook.WebhookWorker}). Target URLs are checked ({@link dev.sodam.server.webhook.WebhookTargets}).
 */
package dev.sodam.server.webhook;
