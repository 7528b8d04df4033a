/**
 * The wire protocol v1 in Java: typed client frames with their validation, server frames with the
 * exact JSON shape of docs/protocol.md, and the mapping from domain values. No Netty here.
 */
package dev.sodam.server.protocol;
