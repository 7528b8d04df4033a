/**
 * Durable storage behind the {@link dev.sodam.server.store.Store} interface: group-committed write
 * batches and read-only units. The SQLite implementation (WAL, synchronous=FULL) is the embedded default;
 * schema changes are Flyway migrations under {@code db/migration}.
 */
package dev.sodam.server.store;
