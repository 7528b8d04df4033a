/**
 * Data protection: masking personal numbers (resident registration, phone, card) in stored
 * messages, retention (deleting old transcripts on a schedule) and a visitor's data export and
 * deletion on request.
 */
package dev.sodam.server.privacy;
