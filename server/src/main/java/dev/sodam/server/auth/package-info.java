/** Who is calling: principals, password hashing (argon2id), login and bearer tokens. */
package dev.sodam.server.auth;
