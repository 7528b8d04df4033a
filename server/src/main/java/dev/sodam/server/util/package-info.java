/** Small shared helpers: ids and secrets, hashing, the JSON mapper. */
package dev.sodam.server.util;
