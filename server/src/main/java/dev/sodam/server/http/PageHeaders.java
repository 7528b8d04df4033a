package dev.sodam.server.http;

import io.netty.handler.codec.http.HttpHeaders;

/**
 * The security headers of every HTML page Sodam serves (console, admin, demo shop), in one place so
 * that no page is forgotten. The widget itself is not a page: it is a script the shop's page loads,
 * so it lives under the shop's own policy and needs no framing.
 */
final class PageHeaders {
    /**
     * Scripts only from this server, never inline (text from visitors, agents and FAQ entries can
     * never become a script even if a rendering bug put it into the DOM as HTML); no plugins; no
     * {@code <base>} hijacking; not framable (clickjacking of the console's accept and send buttons).
     * Inline styles stay allowed: the widget sets positions and sizes from script.
     */
    static final String CSP = "default-src 'self'; script-src 'self'; connect-src 'self' ws: wss:; "
            + "img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'none'; "
            + "form-action 'self'; frame-ancestors 'none'";

    private PageHeaders() {
    }

    static void apply(HttpHeaders headers) {
        headers.set("Content-Security-Policy", CSP);
        // For browsers that predate frame-ancestors.
        headers.set("X-Frame-Options", "DENY");
        headers.set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()");
        headers.set("Cross-Origin-Opener-Policy", "same-origin");
    }
}
