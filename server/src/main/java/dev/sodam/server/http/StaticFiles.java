package dev.sodam.server.http;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The browser files (widget, console, demo) from the classpath folder {@code static/}, packaged by
 * the widget module. Read once and kept in memory: they are small and never change while running.
 */
public final class StaticFiles {
    /** A file ready to send. */
    public record Asset(byte[] bytes, String contentType, String etag) {
    }

    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "mjs", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "json", "application/json; charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png",
            "ico", "image/x-icon",
            "wav", "audio/wav");

    private final ClassLoader loader;
    private final Map<String, Optional<Asset>> cache = new ConcurrentHashMap<>();

    public StaticFiles(ClassLoader loader) {
        this.loader = loader;
    }

    /** The asset at a URL path, or empty. Paths with {@code ..}, backslashes or hidden segments are refused. */
    public Optional<Asset> find(String path) {
        String resource = resourceFor(path);
        if (resource == null) {
            return Optional.empty();
        }
        return cache.computeIfAbsent(resource, this::load);
    }

    private static String resourceFor(String path) {
        if (path.contains("..") || path.contains("\\") || path.contains("/.") || path.contains("//")) {
            return null;
        }
        return switch (path) {
            case "/demo", "/demo/" -> "static/demo/index.html";
            case "/console", "/console/" -> "static/console/index.html";
            case "/admin", "/admin/" -> "static/admin/index.html";
            case "/admin/users", "/admin/teams", "/admin/audit", "/admin/privacy", "/admin/integrations",
                 "/admin/sites" ->
                    "static/admin/access.html";
            case "/admin/password" -> "static/admin/password.html";
            default -> path.endsWith("/") ? null : "static" + path;
        };
    }

    private Optional<Asset> load(String resource) {
        String extension = resource.substring(resource.lastIndexOf('.') + 1);
        String type = TYPES.get(extension);
        if (type == null) {
            return Optional.empty();
        }
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                return Optional.empty();
            }
            byte[] bytes = in.readAllBytes();
            String etag = "\"" + Integer.toHexString(java.util.Arrays.hashCode(bytes)) + "-" + bytes.length + "\"";
            return Optional.of(new Asset(bytes, type, etag));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
