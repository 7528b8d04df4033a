package dev.sodam.server.model;

import java.util.Map;

/**
 * What the site told about a visitor ({@code Sodam.identify}): name, e-mail, the site's own user id
 * and free attributes (string to string, in the order given). Every field may be null / empty;
 * all of it is visitor-controlled text.
 */
public record VisitorProfile(String visitorId, String name, String email, String externalId,
                             Map<String, String> attributes) {
    public VisitorProfile {
        attributes = attributes == null ? Map.of() : java.util.Collections.unmodifiableMap(
                new java.util.LinkedHashMap<>(attributes));
    }
}
