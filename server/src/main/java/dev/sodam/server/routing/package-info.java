/**
 * Routing: which agent is offered which queued conversation (least loaded, idle longest, under the
 * cap), offer deadlines, presence and its grace period, requeueing an absent agent's chats, and
 * queue ETAs. Domain code driven by committed events and an injected clock; no Netty.
 */
package dev.sodam.server.routing;
