package dev.sodam.server.model;

import java.util.List;

/**
 * A website that embeds the widget. {@code allowedOrigins} may contain {@link #SELF}: the server's
 * own origin, whatever host and port it is reached on.
 */
public record Site(String id, String name, List<String> allowedOrigins) {
    public static final String SELF = "self";

    public Site {
        allowedOrigins = List.copyOf(allowedOrigins);
    }
}
