/**
 * The conversation lifecycle: {@link dev.sodam.server.conversation.ConversationService} is the one
 * place that stores messages and changes state (BOT → QUEUED → ASSIGNED → RESOLVED), on one domain
 * thread with group commit; system notices are a listener of its events.
 */
package dev.sodam.server.conversation;
