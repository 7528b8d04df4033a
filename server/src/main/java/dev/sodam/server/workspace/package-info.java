/**
 * What the agent console reads and keeps besides the live protocol, under {@code /api/workspace/}:
 * the context packet of a conversation (what the bot decided, FAQ candidates, urgency, the visitor's
 * pages and earlier conversations) and canned responses. Agent or admin token; reads on the blocking
 * executor, writes through the domain thread.
 */
package dev.sodam.server.workspace;
