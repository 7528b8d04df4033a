/** Tests of several nodes on one PostgreSQL database with Redis fan-out, over real sockets. */
package dev.sodam.server.cluster;
