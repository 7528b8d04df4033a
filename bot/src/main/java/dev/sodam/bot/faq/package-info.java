/**
 * Owns FAQ retrieval: the in-memory Lucene BM25 index of every phrasing per locale and the
 * normalisation of BM25 scores into similarities in [0, 1].
 */
package dev.sodam.bot.faq;
