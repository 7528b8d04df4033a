package dev.sodam.server.webhook;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;

/**
 * Which URLs a webhook may call. A webhook makes Sodam send requests on an admin's behalf; without
 * this check it could reach the server's own loopback services or the private network behind it
 * (server-side request forgery). Loopback, private, link-local, CGNAT, multicast and unspecified
 * addresses are refused unless the configuration allows them (tests, intranet receivers). Checked
 * when the webhook is created and again before every delivery (DNS may have changed).
 */
public final class WebhookTargets {
    private final boolean allowPrivate;

    public WebhookTargets(boolean allowPrivate) {
        this.allowPrivate = allowPrivate;
    }

    /** Null when {@code url} may be called, else why not. */
    public String refusal(String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            return "not a URL";
        }
        String scheme = uri.getScheme();
        if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
            return "only http and https URLs are allowed";
        }
        if (uri.getHost() == null || uri.getRawUserInfo() != null) {
            return "the URL needs a host and no user info";
        }
        if (allowPrivate) {
            return null;
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(uri.getHost());
        } catch (UnknownHostException e) {
            return "the host does not resolve";
        }
        for (InetAddress address : addresses) {
            if (isPrivate(address)) {
                return "the host resolves to a loopback or private address (" + address.getHostAddress()
                        + "); set webhooks.allowPrivateTargets to allow it";
            }
        }
        return null;
    }

    static boolean isPrivate(InetAddress address) {
        if (address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()
                || address.isAnyLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        byte[] bytes = address.getAddress();
        if (address instanceof Inet6Address) {
            return (bytes[0] & 0xfe) == 0xfc;   // fc00::/7 unique local
        }
        int first = bytes[0] & 0xff;
        int second = bytes[1] & 0xff;
        return first == 0 || (first == 100 && second >= 64 && second < 128)   // 0/8, CGNAT 100.64/10
                || (first == 198 && (second == 18 || second == 19));         // benchmarking 198.18/15
    }
}
