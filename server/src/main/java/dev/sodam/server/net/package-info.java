/**
 * Netty plumbing shared by HTTP and WebSocket: the pipeline initializer, the upgrade's origin guard,
 * the heartbeat and the server bootstrap (epoll when available, NIO otherwise).
 */
package dev.sodam.server.net;
