// The integrations pane's pure parts (tested in Node): the webhook event types, the body of a new
// API key, and how a delivery's last answer reads.

/** The webhook event types (docs/openapi.yaml, EventType). */
export const EVENTS = Object.freeze(['conversation.created', 'message.created', 'conversation.queued',
  'conversation.assigned', 'conversation.resolved', 'feedback.created', 'csat.created']);

/** The body of a key creation from the form's values, or null when a name or scope is missing. */
export function keyBody(site, name, scopes, channel) {
  const trimmed = name.trim();
  if (!trimmed || scopes.length === 0) return null;
  const body = { site, name: trimmed, scopes };
  if (channel.trim()) body.channel = channel.trim();
  return body;
}

/** The last answer of a delivery as short text: `200`, `500`, or the transport error. */
export function lastAnswer(delivery) {
  if (delivery.lastStatus != null) return String(delivery.lastStatus);
  return delivery.lastError ?? '';
}
