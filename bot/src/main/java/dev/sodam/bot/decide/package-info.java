/**
 * Owns the decision: combining retrieval similarity and classifier probability into one
 * confidence, explicit handoff triggers, and the answer / clarify / handoff bands.
 */
package dev.sodam.bot.decide;
