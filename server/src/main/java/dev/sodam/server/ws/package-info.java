/**
 * The WebSocket side of the pipeline: JSON frame codec, per-connection rate limit, the protocol
 * handler that maps frames to {@code ConversationService} calls, and the per-event-loop writer that
 * sends the domain thread's frames in one task and one flush per burst.
 */
package dev.sodam.server.ws;
