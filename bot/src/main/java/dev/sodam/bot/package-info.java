/**
 * The FAQ bot's public API: {@link dev.sodam.bot.FaqBot} (train once, then ask from any thread),
 * its inputs ({@link dev.sodam.bot.FaqEntry}, {@link dev.sodam.bot.SmallTalkIntent}, the seed
 * loaders) and its outputs ({@link dev.sodam.bot.BotDecision}, {@link dev.sodam.bot.Candidate}).
 * No Netty, no storage.
 */
package dev.sodam.bot;
