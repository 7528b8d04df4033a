/** Runtime configuration: {@code sodam.yaml} plus {@code SODAM_*} environment overrides, validated at start-up. */
package dev.sodam.server.config;
