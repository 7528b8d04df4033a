/**
 * The evaluation command ({@code java -jar sodam-bot.jar eval}): reads JSONL intent datasets, trains on
 * the train files only, calibrates thresholds on the val files only, scores the test files, and prints
 * in-scope accuracy, OOS recall and latency as one JSON line.
 */
package dev.sodam.bot.eval;
