/**
 * Bot benchmarks (JMH): one decision of {@code FaqBot.ask} against a same-run reference built from
 * plain Lucene and OpenNLP on the same FAQ (see docs/benchmarks.md, scenario d).
 */
package dev.sodam.bench.bot;
