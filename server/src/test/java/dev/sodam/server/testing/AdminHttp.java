package dev.sodam.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sodam.server.util.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

/** JSON calls to a test server's REST API and row counts straight from its SQLite file. */
public final class AdminHttp {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final TestServer server;

    public AdminHttp(TestServer server) {
        this.server = server;
    }

    public record Response(int status, JsonNode json, String body, HttpResponse<String> raw) {
        public String code() {
            return json.path("code").asText();
        }
    }

    public Response call(String method, String path, Object body, String token) throws Exception {
        String text = body == null ? null : body instanceof String s ? s : Json.MAPPER.writeValueAsString(body);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.http(path)))
                .method(method, text == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(text))
                .header("Content-Type", "application/json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        String type = response.headers().firstValue("content-type").orElse("");
        JsonNode json = type.startsWith("application/json") ? Json.MAPPER.readTree(response.body()) : Json.MAPPER.nullNode();
        if (response.statusCode() >= 400) {
            assertThat(type).as("errors are JSON: " + method + " " + path).startsWith("application/json");
            assertThat(json.path("message").asText()).as("errors say what is wrong").isNotBlank();
        }
        return new Response(response.statusCode(), json, response.body(), response);
    }

    public long count(String sql) throws Exception {
        try (Connection db = TestServer.db(server.dataDir());
             Statement statement = db.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The first column of the first row, or null. */
    public String text(String sql) throws Exception {
        try (Connection db = TestServer.db(server.dataDir());
             Statement statement = db.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    public void execute(String sql) throws Exception {
        try (Connection db = TestServer.db(server.dataDir());
             Statement statement = db.createStatement()) {
            statement.executeUpdate(sql);
        }
    }
}
