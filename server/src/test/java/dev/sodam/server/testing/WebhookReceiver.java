package dev.sodam.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.sodam.server.util.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A real HTTP receiver for webhooks (the JDK's HttpServer on loopback) that records every request and
 * answers with a status the test sets, or stalls until released, like a hung endpoint.
 */
public final class WebhookReceiver implements AutoCloseable {
    /** One received request: headers (lower-case names) and the body. */
    public record Delivery(Map<String, String> headers, String body) {
        public JsonNode json() {
            try {
                return Json.MAPPER.readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        public String header(String name) {
            return headers.get(name.toLowerCase(java.util.Locale.ROOT));
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<Delivery> deliveries = new ArrayList<>();
    private volatile int status = 200;
    private volatile CountDownLatch stall;

    public WebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                Map<String, String> headers = new TreeMap<>();
                exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT),
                        String.join(",", v)));
                String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                synchronized (deliveries) {
                    deliveries.add(new Delivery(headers, body));
                }
                CountDownLatch hold = stall;
                if (hold != null) {
                    hold.await(30, TimeUnit.SECONDS);
                }
                exchange.sendResponseHeaders(status, -1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                exchange.close();
            }
        });
        server.setExecutor(executor);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    public void answer(int newStatus) {
        status = newStatus;
    }

    /** From now on requests hang until {@link #release()}. */
    public void stall() {
        stall = new CountDownLatch(1);
    }

    public void release() {
        CountDownLatch hold = stall;
        stall = null;
        if (hold != null) {
            hold.countDown();
        }
    }

    public List<Delivery> deliveries() {
        synchronized (deliveries) {
            return List.copyOf(deliveries);
        }
    }

    /** Deliveries about one conversation, in arrival order. */
    public List<Delivery> about(String conversationId) {
        return deliveries().stream()
                .filter(d -> conversationId.equals(d.json().at("/data/conversation/id").asText())).toList();
    }

    @Override
    public void close() {
        release();
        server.stop(0);
        executor.shutdownNow();
    }
}
