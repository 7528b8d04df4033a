/**
 * What the admin learns from stored conversations: the gap report (questions the bot failed,
 * clustered by similarity) and the analytics. Read-only over the store (the conversation events
 * of V26 and the messages); no Netty.
 */
package dev.sodam.server.insight;
