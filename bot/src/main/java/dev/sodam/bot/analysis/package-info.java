/**
 * Owns text analysis: normalisation (NFKC, case, repeats, emoji, URLs), the Korean Nori chain with
 * its typo/synonym map and user dictionary, the English chain, and the character n-gram chains
 * used for spacing- and typo-robust matching.
 */
package dev.sodam.bot.analysis;
