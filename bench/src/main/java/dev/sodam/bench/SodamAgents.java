package dev.sodam.bench;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Creates bench agent accounts and their bearer tokens straight in a running Sodam's SQLite file.
 * Sodam has no API to create accounts yet, and each agent must be a distinct account: a message
 * for an assigned conversation goes to every connection of that agent, so sharing one account
 * would multiply the fan-out. Tokens are stored as SHA-256 hashes, exactly as login stores them.
 * The accounts get no usable password (they never log in over HTTP).
 */
final class SodamAgents {
    private SodamAgents() {
    }

    /**
     * Inserts {@code count} agents and returns one fresh bearer token per agent; {@code database} is the
     * SQLite file, or a PostgreSQL JDBC URL ({@code jdbc:postgresql://…}, several nodes) with {@code user}.
     */
    static List<String> provision(String database, String user, int count) throws SQLException {
        String run = HexFormat.of().formatHex(randomBytes(4));
        long now = System.currentTimeMillis();
        List<String> tokens = new ArrayList<>(count);
        boolean sqlite = !database.startsWith("jdbc:");
        try (Connection db = sqlite ? DriverManager.getConnection("jdbc:sqlite:" + database)
                : DriverManager.getConnection(database, user, "")) {
            if (sqlite) {
                try (Statement pragma = db.createStatement()) {
                    pragma.execute("PRAGMA busy_timeout = 10000");
                }
            }
            db.setAutoCommit(false);
            try (PreparedStatement agent = db.prepareStatement(
                    "INSERT INTO agents(id, email, name, role, password_hash, created_at) VALUES (?, ?, ?, 'agent', ?, ?)");
                 PreparedStatement token = db.prepareStatement(
                         "INSERT INTO auth_tokens(token_hash, agent_id, expires_at) VALUES (?, ?, ?)")) {
                for (int i = 0; i < count; i++) {
                    String id = "ag_bench_" + run + "_" + i;
                    agent.setString(1, id);
                    agent.setString(2, "bench-" + run + "-" + i + "@sodam.test");
                    agent.setString(3, "벤치 상담원 " + i);
                    agent.setString(4, "!no-password-bench-account");
                    agent.setLong(5, now);
                    agent.addBatch();
                    String secret = "at_bench_" + HexFormat.of().formatHex(randomBytes(24));
                    token.setString(1, sha256Hex(secret));
                    token.setString(2, id);
                    token.setLong(3, now + 24L * 3600 * 1000);
                    token.addBatch();
                    tokens.add(secret);
                }
                agent.executeBatch();
                token.executeBatch();
            }
            db.commit();
        }
        return tokens;
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }

    static String sha256Hex(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
