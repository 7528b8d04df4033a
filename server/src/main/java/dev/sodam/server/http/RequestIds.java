package dev.sodam.server.http;

import io.netty.handler.codec.http.HttpRequest;
import java.util.HexFormat;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.slf4j.MDC;

/**
 * Request ids (docs/integrations.md, "Request ids"): every HTTP request gets one — the caller's
 * {@code X-Request-Id} when it is well-formed, else a new {@code req_…} — kept on the request as
 * that header, sent back in the response header and in error bodies, and put in the SLF4J MDC as
 * {@value #MDC_KEY} while the request is handled, on every thread it passes through.
 */
public final class RequestIds {
    public static final String HEADER = "X-Request-Id";
    public static final String MDC_KEY = "requestId";
    /** What a caller's id may look like: 1–64 letters, digits and {@code . _ : -}, starting with a letter or digit. */
    static final Pattern WELL_FORMED = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,63}");

    private RequestIds() {
    }

    /** Gives {@code request} its id (the caller's if well-formed) and returns it. */
    public static String assign(HttpRequest request) {
        String given = request.headers().get(HEADER);
        String id = given != null && WELL_FORMED.matcher(given).matches() ? given : generate();
        request.headers().set(HEADER, id);
        return id;
    }

    static String generate() {
        byte[] random = new byte[8];
        ThreadLocalRandom.current().nextBytes(random);
        return "req_" + HexFormat.of().formatHex(random);
    }

    /** The id {@link #assign} gave the request, or null for a request that never reached the router. */
    public static String of(HttpRequest request) {
        return request.headers().get(HEADER);
    }

    /**
     * An executor that runs each task with the request's id in the MDC (and clears it after), so log
     * lines written while the request is handled on {@code executor} name the request.
     */
    public static Executor propagating(Executor executor, HttpRequest request) {
        String id = of(request);
        if (id == null) {
            return executor;
        }
        return task -> executor.execute(() -> {
            String previous = MDC.get(MDC_KEY);
            MDC.put(MDC_KEY, id);
            try {
                task.run();
            } finally {
                if (previous == null) {
                    MDC.remove(MDC_KEY);
                } else {
                    MDC.put(MDC_KEY, previous);
                }
            }
        });
    }
}
