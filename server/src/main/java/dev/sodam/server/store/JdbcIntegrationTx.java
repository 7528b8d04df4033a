package dev.sodam.server.store;

import dev.sodam.server.model.Conversation;
import dev.sodam.server.model.Visitor;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@link IntegrationTx} on the connection (and statement cache) of a {@link JdbcTx}, in SQL both dialects share. */
final class JdbcIntegrationTx implements IntegrationTx {
    private static final String KEY_COLUMNS = "id, site_id, name, scopes, channel, secret_hash, created_at, created_by, "
            + "revoked_at FROM api_keys ";
    private static final String WEBHOOK_COLUMNS = "id, site_id, url, secret, events, channel, enabled, created_at "
            + "FROM webhooks ";
    private static final String OUTBOX_COLUMNS = "o.seq, o.event_id, o.webhook_id, o.event_type, o.conversation_id, "
            + "o.payload, o.created_at, o.status, o.attempts, o.next_attempt_at, o.delivered_at, o.last_status, "
            + "o.last_error FROM webhook_outbox o ";

    /**
     * Due: pending, its time has come, and the oldest pending entry of its webhook and conversation (so
     * a conversation's events are delivered in order). One parameter: now.
     */
    private static final String DUE = "o.status = 'pending' AND o.next_attempt_at <= ? "
            + "AND NOT EXISTS (SELECT 1 FROM webhook_outbox p WHERE p.webhook_id = o.webhook_id "
            + "AND p.conversation_id IS NOT DISTINCT FROM o.conversation_id AND p.status = 'pending' AND p.seq < o.seq) ";

    private final JdbcTx tx;

    JdbcIntegrationTx(JdbcTx tx) {
        this.tx = tx;
    }

    private static Long millis(Instant instant) {
        return instant == null ? null : instant.toEpochMilli();
    }

    private static void setLong(java.sql.PreparedStatement s, int index, Long value) throws SQLException {
        if (value == null) {
            s.setNull(index, Types.INTEGER);
        } else {
            s.setLong(index, value);
        }
    }

    // ---- API keys

    private static ApiKey keyRow(ResultSet rs) throws SQLException {
        return new ApiKey(rs.getString(1), rs.getString(2), rs.getString(3), JdbcTx.strings(rs.getString(4)),
                rs.getString(5), rs.getString(6), JdbcTx.instant(rs, 7), rs.getString(8), JdbcTx.instant(rs, 9));
    }

    @Override
    public void insertApiKey(ApiKey key) {
        tx.update("INSERT INTO api_keys(id, site_id, name, scopes, channel, secret_hash, created_at, created_by) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", s -> {
                    s.setString(1, key.id());
                    s.setString(2, key.siteId());
                    s.setString(3, key.name());
                    s.setString(4, JdbcTx.toJson(key.scopes()));
                    s.setString(5, key.channel());
                    s.setString(6, key.secretHash());
                    s.setLong(7, key.createdAt().toEpochMilli());
                    s.setString(8, key.createdBy());
                });
    }

    @Override
    public Optional<ApiKey> apiKey(String id) {
        return tx.one("SELECT " + KEY_COLUMNS + "WHERE id = ?", s -> s.setString(1, id), JdbcIntegrationTx::keyRow);
    }

    @Override
    public List<ApiKey> apiKeys(String siteId) {
        return tx.query("SELECT " + KEY_COLUMNS + "WHERE site_id = ? ORDER BY created_at DESC, id DESC",
                s -> s.setString(1, siteId), JdbcIntegrationTx::keyRow);
    }

    @Override
    public boolean revokeApiKey(String id, Instant at) {
        return tx.update("UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", s -> {
            s.setLong(1, at.toEpochMilli());
            s.setString(2, id);
        }) > 0;
    }

    // ---- webhooks

    private static Webhook webhookRow(ResultSet rs) throws SQLException {
        return new Webhook(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                JdbcTx.strings(rs.getString(5)), rs.getString(6), rs.getInt(7) != 0, JdbcTx.instant(rs, 8));
    }

    @Override
    public void insertWebhook(Webhook webhook) {
        tx.update("INSERT INTO webhooks(id, site_id, url, secret, events, channel, enabled, created_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", s -> {
                    s.setString(1, webhook.id());
                    s.setString(2, webhook.siteId());
                    s.setString(3, webhook.url());
                    s.setString(4, webhook.secret());
                    s.setString(5, JdbcTx.toJson(webhook.events()));
                    s.setString(6, webhook.channel());
                    s.setInt(7, webhook.enabled() ? 1 : 0);
                    s.setLong(8, webhook.createdAt().toEpochMilli());
                });
    }

    @Override
    public Optional<Webhook> webhook(String id) {
        return tx.one("SELECT " + WEBHOOK_COLUMNS + "WHERE id = ?", s -> s.setString(1, id), JdbcIntegrationTx::webhookRow);
    }

    @Override
    public List<Webhook> webhooks(String siteId) {
        return tx.query("SELECT " + WEBHOOK_COLUMNS + "WHERE site_id = ? ORDER BY created_at, id",
                s -> s.setString(1, siteId), JdbcIntegrationTx::webhookRow);
    }

    @Override
    public boolean setWebhookEnabled(String id, boolean enabled) {
        return tx.update("UPDATE webhooks SET enabled = ? WHERE id = ?", s -> {
            s.setInt(1, enabled ? 1 : 0);
            s.setString(2, id);
        }) > 0;
    }

    @Override
    public boolean updateWebhook(String id, String url, List<String> events, boolean enabled) {
        return tx.update("UPDATE webhooks SET url = ?, events = ?, enabled = ? WHERE id = ?", s -> {
            s.setString(1, url);
            s.setString(2, JdbcTx.toJson(events));
            s.setInt(3, enabled ? 1 : 0);
            s.setString(4, id);
        }) > 0;
    }

    @Override
    public boolean deleteWebhook(String id) {
        tx.update("DELETE FROM webhook_attempts WHERE outbox_seq IN (SELECT seq FROM webhook_outbox WHERE webhook_id = ?)",
                s -> s.setString(1, id));
        tx.update("DELETE FROM webhook_outbox WHERE webhook_id = ?", s -> s.setString(1, id));
        return tx.update("DELETE FROM webhooks WHERE id = ?", s -> s.setString(1, id)) > 0;
    }

    // ---- outbox

    private static OutboxEntry outboxRow(ResultSet rs) throws SQLException {
        int lastStatus = rs.getInt(12);
        Integer status = rs.wasNull() ? null : lastStatus;
        return new OutboxEntry(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), JdbcTx.instant(rs, 7), rs.getString(8), rs.getInt(9), JdbcTx.instant(rs, 10),
                JdbcTx.instant(rs, 11), status, rs.getString(13));
    }

    @Override
    public void insertOutbox(OutboxEntry e) {
        tx.update("INSERT INTO webhook_outbox(event_id, webhook_id, event_type, conversation_id, payload, created_at, "
                + "status, attempts, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, 'pending', 0, ?)", s -> {
                    s.setString(1, e.eventId());
                    s.setString(2, e.webhookId());
                    s.setString(3, e.eventType());
                    s.setString(4, e.conversationId());
                    s.setString(5, e.payload());
                    s.setLong(6, e.createdAt().toEpochMilli());
                    s.setLong(7, e.nextAttemptAt().toEpochMilli());
                });
    }

    @Override
    public List<OutboxEntry> dueOutbox(Instant now, int limit) {
        return tx.query("SELECT " + OUTBOX_COLUMNS + "WHERE " + DUE + "ORDER BY o.seq LIMIT ?", s -> {
                    s.setLong(1, now.toEpochMilli());
                    s.setInt(2, limit);
                }, JdbcIntegrationTx::outboxRow);
    }

    @Override
    public List<OutboxEntry> claimOutbox(Instant now, Instant until, int limit, int sending) {
        if (!tx.locksRows()) {
            return dueOutbox(now, limit + sending);
        }
        List<OutboxEntry> claimed = new java.util.ArrayList<>(tx.query("UPDATE webhook_outbox o SET claimed_until = ? "
                + "WHERE o.seq IN (SELECT o.seq FROM webhook_outbox o WHERE " + DUE
                + "AND (o.claimed_until IS NULL OR o.claimed_until <= ?) ORDER BY o.seq LIMIT ? FOR UPDATE OF o SKIP LOCKED) "
                + "RETURNING " + OUTBOX_COLUMNS.substring(0, OUTBOX_COLUMNS.indexOf(" FROM ")), s -> {
                    s.setLong(1, until.toEpochMilli());
                    s.setLong(2, now.toEpochMilli());
                    s.setLong(3, now.toEpochMilli());
                    s.setInt(4, limit);
                }, JdbcIntegrationTx::outboxRow));
        claimed.sort(java.util.Comparator.comparingLong(OutboxEntry::seq));
        return claimed;
    }

    @Override
    public Optional<OutboxEntry> outboxEntry(long seq) {
        return tx.one("SELECT " + OUTBOX_COLUMNS + "WHERE o.seq = ?", s -> s.setLong(1, seq), JdbcIntegrationTx::outboxRow);
    }

    @Override
    public List<OutboxEntry> outboxOf(String webhookId, int limit) {
        return tx.query("SELECT " + OUTBOX_COLUMNS + "WHERE o.webhook_id = ? ORDER BY o.seq DESC LIMIT ?", s -> {
            s.setString(1, webhookId);
            s.setInt(2, limit);
        }, JdbcIntegrationTx::outboxRow);
    }

    @Override
    public void recordAttempt(DeliveryAttempt a, String status, int attempts, Instant nextAttemptAt, Instant deliveredAt) {
        tx.update("INSERT INTO webhook_attempts(outbox_seq, attempted_at, status_code, error, duration_ms) "
                + "VALUES (?, ?, ?, ?, ?)", s -> {
                    s.setLong(1, a.outboxSeq());
                    s.setLong(2, a.at().toEpochMilli());
                    setLong(s, 3, a.statusCode() == null ? null : a.statusCode().longValue());
                    s.setString(4, a.error());
                    s.setLong(5, a.durationMs());
                });
        tx.update("UPDATE webhook_outbox SET status = ?, attempts = ?, next_attempt_at = ?, delivered_at = ?, "
                + "last_status = ?, last_error = ?, claimed_until = NULL WHERE seq = ?", s -> {
                    s.setString(1, status);
                    s.setInt(2, attempts);
                    s.setLong(3, nextAttemptAt.toEpochMilli());
                    setLong(s, 4, millis(deliveredAt));
                    setLong(s, 5, a.statusCode() == null ? null : a.statusCode().longValue());
                    s.setString(6, a.error());
                    s.setLong(7, a.outboxSeq());
                });
    }

    @Override
    public List<DeliveryAttempt> attempts(long outboxSeq) {
        return tx.query("SELECT outbox_seq, attempted_at, status_code, error, duration_ms FROM webhook_attempts "
                + "WHERE outbox_seq = ? ORDER BY id", s -> s.setLong(1, outboxSeq), rs -> {
                    int code = rs.getInt(3);
                    Integer status = rs.wasNull() ? null : code;
                    return new DeliveryAttempt(rs.getLong(1), JdbcTx.instant(rs, 2), status, rs.getString(4), rs.getLong(5));
                });
    }

    @Override
    public boolean redeliver(long seq, Instant now) {
        return tx.update("UPDATE webhook_outbox SET status = 'pending', attempts = 0, next_attempt_at = ?, "
                + "delivered_at = NULL, claimed_until = NULL WHERE seq = ?", s -> {
                    s.setLong(1, now.toEpochMilli());
                    s.setLong(2, seq);
                }) > 0;
    }

    @Override
    public Pruned pruneOutbox(Instant cutoff, int batch) {
        String old = "SELECT seq FROM webhook_outbox WHERE status = 'delivered' AND delivered_at < ? ORDER BY seq LIMIT ?";
        tx.update("DELETE FROM webhook_attempts WHERE outbox_seq IN (" + old + ")", s -> {
            s.setLong(1, cutoff.toEpochMilli());
            s.setInt(2, batch);
        });
        int deliveries = tx.update("DELETE FROM webhook_outbox WHERE seq IN (" + old + ")", s -> {
            s.setLong(1, cutoff.toEpochMilli());
            s.setInt(2, batch);
        });
        int attempts = tx.update("DELETE FROM webhook_attempts WHERE id IN (SELECT id FROM webhook_attempts "
                + "WHERE attempted_at < ? ORDER BY id LIMIT ?)", s -> {
                    s.setLong(1, cutoff.toEpochMilli());
                    s.setInt(2, batch);
                });
        return new Pruned(deliveries, attempts);
    }

    @Override
    public long pendingOutbox() {
        return tx.one("SELECT COUNT(*) FROM webhook_outbox WHERE status = 'pending'", s -> { }, rs -> rs.getLong(1))
                .orElse(0L);
    }

    // ---- channels

    @Override
    public Optional<String> channelVisitor(String siteId, String channel, String externalId) {
        return tx.one("SELECT visitor_id FROM channel_threads WHERE site_id = ? AND channel = ? AND external_id = ?", s -> {
            s.setString(1, siteId);
            s.setString(2, channel);
            s.setString(3, externalId);
        }, rs -> rs.getString(1));
    }

    @Override
    public void insertChannelThread(String siteId, String channel, String externalId, String visitorId) {
        tx.update("INSERT INTO channel_threads(site_id, channel, external_id, visitor_id) VALUES (?, ?, ?, ?)", s -> {
            s.setString(1, siteId);
            s.setString(2, channel);
            s.setString(3, externalId);
            s.setString(4, visitorId);
        });
    }

    @Override
    public Optional<String[]> channelOf(String visitorId) {
        return tx.one("SELECT channel, external_id FROM channel_threads WHERE visitor_id = ?", s -> s.setString(1, visitorId),
                rs -> new String[] {rs.getString(1), rs.getString(2)});
    }

    // ---- paged reads

    @Override
    public List<Conversation> conversationsPage(String siteId, String state, String channel, Cursor after, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + JdbcTx.CONVERSATION_COLUMNS + "WHERE c.site_id = ?");
        if (state != null) {
            sql.append(" AND c.state = ?");
        }
        if ("web".equals(channel)) {
            sql.append(" AND c.visitor_id NOT IN (SELECT visitor_id FROM channel_threads)");
        } else if (channel != null) {
            sql.append(" AND c.visitor_id IN (SELECT visitor_id FROM channel_threads WHERE channel = ?)");
        }
        if (after != null) {
            sql.append(" AND (c.created_at < ? OR (c.created_at = ? AND c.id < ?))");
        }
        sql.append(" ORDER BY c.created_at DESC, c.id DESC LIMIT ?");
        return tx.query(sql.toString(), s -> {
            int i = 1;
            s.setString(i++, siteId);
            if (state != null) {
                s.setString(i++, state);
            }
            if (channel != null && !"web".equals(channel)) {
                s.setString(i++, channel);
            }
            if (after != null) {
                s.setLong(i++, after.createdAt().toEpochMilli());
                s.setLong(i++, after.createdAt().toEpochMilli());
                s.setString(i++, after.id());
            }
            s.setInt(i, limit);
        }, JdbcTx::conversationRow);
    }

    private static Visitor visitorRow(ResultSet rs) throws SQLException {
        return new Visitor(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), JdbcTx.instant(rs, 5));
    }

    @Override
    public Optional<Visitor> visitor(String id) {
        return tx.one("SELECT id, site_id, name, locale, created_at FROM visitors WHERE id = ?", s -> s.setString(1, id),
                JdbcIntegrationTx::visitorRow);
    }

    @Override
    public List<Visitor> visitorsPage(String siteId, Cursor after, int limit) {
        String sql = "SELECT id, site_id, name, locale, created_at FROM visitors WHERE site_id = ?"
                + (after == null ? "" : " AND (created_at < ? OR (created_at = ? AND id < ?))")
                + " ORDER BY created_at DESC, id DESC LIMIT ?";
        return tx.query(sql, s -> {
            int i = 1;
            s.setString(i++, siteId);
            if (after != null) {
                s.setLong(i++, after.createdAt().toEpochMilli());
                s.setLong(i++, after.createdAt().toEpochMilli());
                s.setString(i++, after.id());
            }
            s.setInt(i, limit);
        }, JdbcIntegrationTx::visitorRow);
    }

    @Override
    public Map<String, Long> report(String siteId, Instant from, Instant to) {
        Map<String, Long> counts = new LinkedHashMap<>();
        long f = from.toEpochMilli();
        long t = to.toEpochMilli();
        counts.put("conversationsStarted", count("SELECT COUNT(*) FROM conversations WHERE site_id = ? "
                + "AND created_at >= ? AND created_at < ?", siteId, f, t));
        counts.put("conversationsOpen", count("SELECT COUNT(*) FROM conversations WHERE site_id = ? "
                + "AND state <> 'RESOLVED' AND created_at >= ? AND created_at < ?", siteId, f, t));
        counts.put("conversationsHandedOff", count("SELECT COUNT(*) FROM conversations WHERE site_id = ? "
                + "AND waiting_since IS NOT NULL AND created_at >= ? AND created_at < ?", siteId, f, t));
        counts.put("conversationsResolved", count("SELECT COUNT(*) FROM conversations WHERE site_id = ? "
                + "AND state = 'RESOLVED' AND created_at >= ? AND created_at < ?", siteId, f, t));
        for (String kind : List.of("visitor", "bot", "agent", "system")) {
            counts.put("messagesFrom" + Character.toUpperCase(kind.charAt(0)) + kind.substring(1),
                    tx.one("SELECT COUNT(*) FROM messages m JOIN conversations c ON c.id = m.conversation_id "
                            + "WHERE c.site_id = ? AND m.from_kind = ? AND m.created_at >= ? AND m.created_at < ?", s -> {
                                s.setString(1, siteId);
                                s.setString(2, kind);
                                s.setLong(3, f);
                                s.setLong(4, t);
                            }, rs -> rs.getLong(1)).orElse(0L));
        }
        return counts;
    }

    private long count(String sql, String siteId, long from, long to) {
        return tx.one(sql, s -> {
            s.setString(1, siteId);
            s.setLong(2, from);
            s.setLong(3, to);
        }, rs -> rs.getLong(1)).orElse(0L);
    }
}
