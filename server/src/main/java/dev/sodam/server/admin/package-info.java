/**
 * The admin REST API under {@code /api/admin/} (docs/admin.md): FAQ management and the bot's
 * rebuild status, for the admin role only. An HTTP-layer package: it reads requests and writes
 * responses; the rules live in {@code faq.FaqService}.
 */
package dev.sodam.server.admin;
