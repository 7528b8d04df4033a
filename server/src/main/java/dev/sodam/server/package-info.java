/** Sodam's server: the entry point, the composition root and first-start seeding. */
package dev.sodam.server;
