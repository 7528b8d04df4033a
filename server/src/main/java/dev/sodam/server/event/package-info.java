/** The sealed catalogue of past-tense chat events and the bus that hands them to one listener per side effect. */
package dev.sodam.server.event;
