/** Plain HTTP: the REST API (health, login, bot ask), static browser files, JSON responses and errors. */
package dev.sodam.server.http;
