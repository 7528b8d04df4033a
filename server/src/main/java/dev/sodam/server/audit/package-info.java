/**
 * The audit log: every admin action (who, what, when, the object before and after) written in the
 * same transaction as the action itself, and read back with filters or as CSV.
 */
package dev.sodam.server.audit;
