/**
 * Owns intent classification: feature extraction and the maximum-entropy (softmax) classifier
 * trained in process on FAQ phrasings and small-talk examples.
 */
package dev.sodam.bot.intent;
