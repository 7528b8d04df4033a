/**
 * The integration surface over HTTP: per-site API keys ({@link dev.sodam.server.api.ApiKeys}), the versioned
 * public REST API under {@code /api/v1/} ({@link dev.sodam.server.api.PublicApi}), and the admin endpoints
 * that manage keys and webhooks ({@link dev.sodam.server.api.IntegrationAdminApi}). Documented in
 * docs/openapi.yaml and docs/integrations.md. Writes go through the conversation service's domain thread.
 */
package dev.sodam.server.api;
