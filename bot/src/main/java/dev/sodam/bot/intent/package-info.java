/**
 * Owns intent classification: feature extraction and the OpenNLP maxent document categorizer
 * trained in process on FAQ phrasings and small-talk examples.
 */
package dev.sodam.bot.intent;
