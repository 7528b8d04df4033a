/**
 * Owns intent classification: feature extraction, maximum-entropy training by OpenNLP (L-BFGS) on
 * FAQ phrasings and small-talk examples, and the feature → weight-row table scoring is done from.
 */
package dev.sodam.bot.intent;
