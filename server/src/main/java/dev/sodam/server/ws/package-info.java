/**
 * The WebSocket side of the pipeline: JSON frame codec, per-connection rate limit, and the protocol
 * handler that maps frames to {@code ConversationService} calls.
 */
package dev.sodam.server.ws;
