package dev.sodam.server.model;

import java.util.Map;

/**
 * What a system (or fixed bot) text says, as a code and parameters, so a client renders it in the
 * language the visitor reads now (docs/protocol.md, "Notices"). A parameter is a string, or a map
 * {@code {"ko": …, "en": …}} for a name that has both (a team). The stored text stays the
 * fallback for clients that do not know the code.
 */
public record Notice(String code, Map<String, Object> params) {
    public Notice {
        params = params == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(params));
    }

    public static Notice of(String code) {
        return new Notice(code, Map.of());
    }

    public static Notice of(String code, String key, Object value) {
        return new Notice(code, Map.of(key, value));
    }
}
