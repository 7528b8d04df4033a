/** Fan-out of committed events to live connections: the session registry and the delivery listener. */
package dev.sodam.server.delivery;
