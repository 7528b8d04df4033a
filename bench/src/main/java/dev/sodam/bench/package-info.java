/**
 * Benchmarks: a Netty WebSocket load generator speaking Sodam protocol v1 (open and closed loop,
 * HdrHistogram latencies, server CPU per message), the bare Netty reference relay it is compared
 * with in the same run, cold-start timing and the summary of interleaved rounds. Never run by
 * {@code mvn verify}; only their correctness tests are.
 */
package dev.sodam.bench;
