/**
 * Operations: Prometheus metrics ({@link dev.sodam.server.ops.SodamMetrics}, fed by a bus listener, a timed store
 * decorator and the pipeline) and the liveness and readiness checks. Nothing here changes chat state.
 */
package dev.sodam.server.ops;
