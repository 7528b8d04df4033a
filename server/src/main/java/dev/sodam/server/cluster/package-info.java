/**
 * Several nodes on one PostgreSQL database: what one node commits reaches the connections of the others
 * over Redis pub/sub, and what pub/sub loses is read back from the store by seq
 * (docs/adr/0004-cluster-fan-out-and-routing.md).
 */
package dev.sodam.server.cluster;
