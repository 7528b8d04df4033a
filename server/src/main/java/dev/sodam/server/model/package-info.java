/**
 * Plain immutable records of the domain (conversations, messages, visitors, agents, sites) and the
 * conversation state machine's transition table. No behaviour that touches storage or the network.
 */
package dev.sodam.server.model;
