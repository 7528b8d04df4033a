/** The FAQ as the server uses it: seeding from config, training the bot in the background, and the bot's replies. */
package dev.sodam.server.faq;
