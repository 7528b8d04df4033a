package dev.sodam.server.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.sodam.bot.FaqEntry;
import dev.sodam.server.model.Action;
import dev.sodam.server.model.Agent;
import dev.sodam.server.model.Author;
import dev.sodam.server.model.BotTurn;
import dev.sodam.server.model.CannedResponse;
import dev.sodam.server.model.Conversation;
import dev.sodam.server.model.ConversationState;
import dev.sodam.server.model.Feedback;
import dev.sodam.server.model.Message;
import dev.sodam.server.model.Note;
import dev.sodam.server.model.PageView;
import dev.sodam.server.model.Site;
import dev.sodam.server.model.Suggestion;
import dev.sodam.server.model.Team;
import dev.sodam.server.model.Visitor;
import dev.sodam.server.model.VisitorProfile;
import dev.sodam.server.util.Json;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@link StoreTx} over one JDBC connection to SQLite or PostgreSQL; the few differences are the
 * {@link SqlDialect}'s. The writer's instance caches prepared statements and, where several processes
 * write (PostgreSQL), locks the conversation rows it reads, so seq assignment stays gapless across them.
 */
final class JdbcTx implements StoreTx {
    static final String CONVERSATION_COLUMNS = "c.id, c.site_id, c.visitor_id, v.name, c.locale, c.state, "
            + "c.agent_id, a.name, c.last_seq, c.preview, c.waiting_since, c.created_at, c.updated_at, c.team_id, c.topic, c.priority, "
            + "c.labels, c.visitor_read_seq "
            + "FROM conversations c JOIN visitors v ON v.id = c.visitor_id LEFT JOIN agents a ON a.id = c.agent_id ";
    private static final String MESSAGE_COLUMNS = "id, conversation_id, seq, client_msg_id, from_kind, from_id, "
            + "from_name, body, extras, created_at FROM messages ";

    private final Connection connection;
    private final SqlDialect dialect;
    private final boolean cacheStatements;
    private final boolean writer;
    private final Map<String, PreparedStatement> statements = new HashMap<>();
    /**
     * Conversation rows as this writer last read or wrote them: SQLite's writer keeps them between
     * transactions, PostgreSQL's for one transaction, which holds their row locks; null for readers.
     */
    private final RecentConversations recent;
    /** Per SQL text: whether it writes a table a cached conversation row is read from. */
    private final Map<String, Boolean> writesConversationRows = new HashMap<>();
    private long rowsChanged;
    private static final Pattern CONVERSATION_ROW_TABLES =
            Pattern.compile("\\b(conversations|visitors|agents)\\b", Pattern.CASE_INSENSITIVE);

    private final IntegrationTx integrations = new JdbcIntegrationTx(this);

    /**
     * @param writer whether this is a write transaction (caches statements; locks rows it will change
     *               where the dialect asks for it)
     */
    JdbcTx(Connection connection, SqlDialect dialect, boolean writer) {
        this(connection, dialect, writer, null);
    }

    /**
     * @param recent the conversation rows to keep: between transactions only for the one connection
     *               that writes the database (SQLite's writer), since no other writer can change them;
     *               for one transaction where the rows it reads are locked (PostgreSQL's writer)
     */
    JdbcTx(Connection connection, SqlDialect dialect, boolean writer, RecentConversations recent) {
        this.connection = connection;
        this.dialect = dialect;
        this.cacheStatements = writer;
        this.writer = writer;
        this.recent = recent;
    }

    /** After a rollback: what the cache holds may be what was rolled back. */
    void forgetRecentRows() {
        if (recent != null) {
            recent.clear();
        }
    }

    /**
     * Drops the cached conversation rows when {@code sql} writes a table they are read from and was not
     * sent by a method that keeps the cache exact itself (those call {@link #execute} directly).
     */
    private void beforeWrite(String sql) {
        if (recent != null && writesConversationRows.computeIfAbsent(sql,
                q -> !q.stripLeading().regionMatches(true, 0, "SELECT", 0, 6)
                        && CONVERSATION_ROW_TABLES.matcher(q).find())) {
            recent.clear();
        }
    }

    SqlDialect dialect() {
        return dialect;
    }

    /** Whether this transaction writes where other processes write too, and so locks the rows it changes. */
    boolean locksRows() {
        return writer && dialect.locksRows();
    }

    /** The writer's row lock of the conversation it reads ({@link SqlDialect#lockConversation}), or "". */
    private String lockConversation() {
        return writer ? dialect.lockConversation() : "";
    }

    @Override
    public IntegrationTx integrations() {
        return integrations;
    }

    /** Extras of a message: what the bot offered beside its text. */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    private record Extras(List<Suggestion> suggestions, List<Action> actions, dev.sodam.server.model.Notice notice,
                          dev.sodam.server.model.Attachment attachment) {
    }

    @FunctionalInterface
    interface Binder {
        void bind(PreparedStatement statement) throws SQLException;
    }

    @FunctionalInterface
    interface RowMapper<T> {
        T map(ResultSet row) throws SQLException;
    }

    private PreparedStatement prepare(String sql) throws SQLException {
        if (!cacheStatements) {
            return connection.prepareStatement(sql);
        }
        PreparedStatement cached = statements.get(sql);
        if (cached == null) {
            cached = connection.prepareStatement(sql);
            statements.put(sql, cached);
        }
        return cached;
    }

    private void release(PreparedStatement statement) throws SQLException {
        if (cacheStatements) {
            statement.clearParameters();
        } else {
            statement.close();
        }
    }

    <T> List<T> query(String sql, Binder binder, RowMapper<T> mapper) {
        beforeWrite(sql); // an UPDATE … RETURNING is sent as a query
        try {
            PreparedStatement statement = prepare(sql);
            try {
                binder.bind(statement);
                List<T> rows = new ArrayList<>();
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        rows.add(mapper.map(rs));
                    }
                }
                if (!rows.isEmpty() && !sql.stripLeading().regionMatches(true, 0, "SELECT", 0, 6)) {
                    rowsChanged += rows.size(); // UPDATE … RETURNING: a row back per row changed
                }
                return rows;
            } finally {
                release(statement);
            }
        } catch (SQLException e) {
            throw new StoreException("query failed: " + sql, e);
        }
    }

    <T> Optional<T> one(String sql, Binder binder, RowMapper<T> mapper) {
        List<T> rows = query(sql, binder, mapper);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    int update(String sql, Binder binder) {
        beforeWrite(sql);
        return execute(sql, binder);
    }

    /** Rows inserted, updated or deleted through this transaction object so far (what {@link Store.Outcome} reports). */
    long rowsChanged() {
        return rowsChanged;
    }

    /** An update that leaves {@link #recent} exact by itself (or does not touch what it holds). */
    private int execute(String sql, Binder binder) {
        try {
            PreparedStatement statement = prepare(sql);
            try {
                binder.bind(statement);
                int rows = statement.executeUpdate();
                rowsChanged += rows;
                return rows;
            } finally {
                release(statement);
            }
        } catch (SQLException e) {
            throw new StoreException("update failed: " + sql, e);
        }
    }

    void closeStatements() {
        for (PreparedStatement statement : statements.values()) {
            try {
                statement.close();
            } catch (SQLException ignored) {
                // closing on shutdown; nothing to recover
            }
        }
        statements.clear();
    }

    static String toJson(Object value) {
        try {
            return Json.MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final ObjectReader STRING_LIST = Json.MAPPER.readerFor(new TypeReference<List<String>>() { });

    /**
     * A JSON array of strings. The empty array (most conversations' labels) skips Jackson: resolving
     * a fresh TypeReference for every conversation read was a tenth of the domain thread's time per
     * relayed message (docs/benchmarks.md).
     */
    static List<String> strings(String json) {
        if (json == null || json.equals("[]")) {
            return List.of();
        }
        try {
            return STRING_LIST.readValue(json);
        } catch (JsonProcessingException e) {
            throw new StoreException("corrupt JSON column: " + json, e);
        }
    }

    static <T> T fromJson(String json, TypeReference<T> type) {
        try {
            return Json.MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new StoreException("corrupt JSON column: " + json, e);
        }
    }

    static Instant instant(ResultSet rs, int column) throws SQLException {
        long millis = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(millis);
    }

    // ---- sites

    @Override
    public Optional<Site> site(String id) {
        return one("SELECT id, name, allowed_origins FROM sites WHERE id = ?", s -> s.setString(1, id),
                rs -> new Site(rs.getString(1), rs.getString(2),
                        strings(rs.getString(3))));
    }

    @Override
    public List<Site> sites() {
        return query("SELECT id, name, allowed_origins FROM sites ORDER BY id", s -> { },
                rs -> new Site(rs.getString(1), rs.getString(2),
                        strings(rs.getString(3))));
    }

    @Override
    public void insertSite(Site site) {
        update("INSERT INTO sites(id, name, allowed_origins) VALUES (?, ?, ?)", s -> {
            s.setString(1, site.id());
            s.setString(2, site.name());
            s.setString(3, toJson(site.allowedOrigins()));
        });
    }

    @Override
    public void updateSite(Site site) {
        update("UPDATE sites SET name = ?, allowed_origins = ? WHERE id = ?", s -> {
            s.setString(1, site.name());
            s.setString(2, toJson(site.allowedOrigins()));
            s.setString(3, site.id());
        });
    }

    // ---- visitors

    @Override
    public Optional<Visitor> visitorByTokenHash(String tokenHash) {
        return one("SELECT id, site_id, name, locale, created_at FROM visitors WHERE token_hash = ?",
                s -> s.setString(1, tokenHash),
                rs -> new Visitor(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), instant(rs, 5)));
    }

    @Override
    public void insertVisitor(Visitor visitor, String tokenHash) {
        // A new visitor has no conversation yet (their rows name it by foreign key), so no kept row or
        // queued row changes: through update() every new visitor dropped all the writer kept.
        execute("INSERT INTO visitors(id, site_id, token_hash, name, locale, created_at) VALUES (?, ?, ?, ?, ?, ?)", s -> {
            s.setString(1, visitor.id());
            s.setString(2, visitor.siteId());
            s.setString(3, tokenHash);
            s.setString(4, visitor.name());
            s.setString(5, visitor.locale());
            s.setLong(6, visitor.createdAt().toEpochMilli());
        });
    }

    // ---- conversations

    static Conversation conversationRow(ResultSet rs) throws SQLException {
        return new Conversation(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                ConversationState.valueOf(rs.getString(6)), rs.getString(7), rs.getString(8), rs.getLong(9),
                rs.getString(10), instant(rs, 11), instant(rs, 12), instant(rs, 13), rs.getString(14), rs.getString(15),
                rs.getInt(16) > 0, strings(rs.getString(17)), rs.getLong(18));
    }

    @Override
    public Optional<Conversation> conversation(String id) {
        if (recent != null) {
            Conversation cached = recent.get(id);
            if (cached != null) {
                return Optional.of(cached);
            }
        }
        Optional<Conversation> row = one("SELECT " + CONVERSATION_COLUMNS + "WHERE c.id = ?" + lockConversation(),
                s -> s.setString(1, id), JdbcTx::conversationRow);
        if (recent != null) {
            row.ifPresent(recent::put);
        }
        return row;
    }

    private static final String CONVERSATIONS_BY_ID = "SELECT " + CONVERSATION_COLUMNS + "WHERE c.id = ANY(?) ORDER BY c.id";

    /**
     * Reads the rows of these conversations that this writer does not hold yet, in one statement,
     * locked in id order, so that {@link #conversation} finds them: on PostgreSQL a read is a round
     * trip, and a batch's units would otherwise each read their own. PostgreSQL only (an array
     * parameter); a writer that keeps no rows has nowhere to put them and reads nothing.
     */
    void readConversations(Collection<String> ids) {
        if (recent == null) {
            return;
        }
        List<String> missing = new ArrayList<>(ids.size());
        for (String id : ids) {
            if (recent.get(id) == null) {
                missing.add(id);
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        query(CONVERSATIONS_BY_ID + lockConversation(),
                s -> s.setArray(1, connection.createArrayOf("text", missing.toArray())),
                JdbcTx::conversationRow).forEach(recent::put);
    }

    @Override
    public Optional<Conversation> openConversationOf(String visitorId) {
        if (writer && dialect.locksRows()) {
            // Two tabs of one visitor on two nodes must not both start a conversation: the visitor's
            // row is the lock under which "no open conversation yet" is decided.
            query("SELECT id FROM visitors WHERE id = ? FOR UPDATE", s -> s.setString(1, visitorId), rs -> rs.getString(1));
        }
        return one("SELECT " + CONVERSATION_COLUMNS + "WHERE c.visitor_id = ? AND c.state <> 'RESOLVED' "
                + "ORDER BY c.created_at DESC LIMIT 1" + lockConversation(), s -> s.setString(1, visitorId),
                JdbcTx::conversationRow);
    }

    @Override
    public void insertConversation(Conversation c) {
        // Not cached: the visitor's and agent's names of a row come from their own tables.
        forget(c.id());
        execute("INSERT INTO conversations(id, site_id, visitor_id, locale, state, agent_id, last_seq, preview, "
                + "waiting_since, created_at, updated_at, team_id, topic, priority) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", s -> {
                    s.setString(1, c.id());
                    s.setString(2, c.siteId());
                    s.setString(3, c.visitorId());
                    s.setString(4, c.locale());
                    s.setString(5, c.state().name());
                    s.setString(6, c.agentId());
                    s.setLong(7, c.lastSeq());
                    s.setString(8, c.preview());
                    setInstant(s, 9, c.waitingSince());
                    s.setLong(10, c.createdAt().toEpochMilli());
                    s.setLong(11, c.updatedAt().toEpochMilli());
                    s.setString(12, c.teamId());
                    s.setString(13, c.topic());
                    s.setInt(14, c.urgent() ? 1 : 0);
                });
    }

    @Override
    public void updateConversation(Conversation c) {
        forget(c.id()); // re-read once: the agent's name comes with the row
        int changed = execute("UPDATE conversations SET state = ?, agent_id = ?, last_seq = ?, preview = ?, "
                + "waiting_since = ?, updated_at = ?, team_id = ?, topic = ?, priority = ? WHERE id = ?", s -> {
                    s.setString(1, c.state().name());
                    s.setString(2, c.agentId());
                    s.setLong(3, c.lastSeq());
                    s.setString(4, c.preview());
                    setInstant(s, 5, c.waitingSince());
                    s.setLong(6, c.updatedAt().toEpochMilli());
                    s.setString(7, c.teamId());
                    s.setString(8, c.topic());
                    s.setInt(9, c.urgent() ? 1 : 0);
                    s.setString(10, c.id());
                });
        if (changed != 1) {
            throw new StoreException("conversation " + c.id() + " not found for update", null);
        }
    }

    private static final String UPDATE_ACTIVITY =
            "UPDATE conversations SET last_seq = ?, preview = ?, updated_at = ?, topic = ? WHERE id = ?";

    @Override
    public void updateActivity(Conversation c) {
        if (execute(UPDATE_ACTIVITY, s -> bindActivity(s, 0, c)) != 1) {
            throw notFoundForUpdate(c);
        }
        recordActivity(c);
    }

    private static void bindActivity(PreparedStatement s, int offset, Conversation c) throws SQLException {
        s.setLong(offset + 1, c.lastSeq());
        s.setString(offset + 2, c.preview());
        s.setLong(offset + 3, c.updatedAt().toEpochMilli());
        s.setString(offset + 4, c.topic());
        s.setString(offset + 5, c.id());
    }

    private void recordActivity(Conversation c) {
        if (recent != null) {
            recent.activity(c.id(), c.lastSeq(), c.preview(), c.updatedAt(), c.topic());
        }
    }

    private static StoreException notFoundForUpdate(Conversation c) {
        return new StoreException("conversation " + c.id() + " not found for update", null);
    }

    private void forget(String conversationId) {
        if (recent != null) {
            recent.forget(conversationId);
        }
    }

    private static void setInstant(PreparedStatement s, int index, Instant value) throws SQLException {
        if (value == null) {
            s.setNull(index, Types.BIGINT);
        } else {
            s.setLong(index, value.toEpochMilli());
        }
    }

    @Override
    public List<Conversation> queue() {
        QueuedRows synced = syncedQueueCopy();
        if (synced != null) {
            List<Conversation> queue = synced.list();
            if (QueuedRows.VERIFY) {
                verifyQueueCopy(synced, queue);
            }
            return queue;
        }
        List<Conversation> read = readQueue();
        if (recent != null && recent.queue() != null) {
            // The writer's copy starts again from this full read.
            recent.queue().reset(read);
        }
        return read;
    }

    /**
     * The SQLite writer's copy of the queue with the rows this transaction touched read again, or null when
     * there is no valid copy (PostgreSQL, a reader, or a copy that was dropped): then ask the database.
     */
    private QueuedRows syncedQueueCopy() {
        QueuedRows copy = recent == null ? null : recent.queue();
        if (copy == null || !copy.valid()) {
            return null;
        }
        for (String id : copy.takeTouched()) {
            if (!copy.update(id, conversation(id).orElse(null))) {
                return null;
            }
        }
        return copy;
    }

    private List<Conversation> readQueue() {
        return query("SELECT " + CONVERSATION_COLUMNS + "WHERE c.state = 'QUEUED' ORDER BY c.priority DESC, c.waiting_since, c.id",
                s -> { }, JdbcTx::conversationRow);
    }

    /** Tests only ({@link QueuedRows#VERIFY}): the copy must be what a full read returns, row for row. */
    private void verifyQueueCopy(QueuedRows copy, List<Conversation> fromCopy) {
        List<Conversation> read = readQueue();
        if (!read.equals(fromCopy)) {
            copy.invalidate();
            int at = 0;
            while (at < Math.min(read.size(), fromCopy.size()) && read.get(at).equals(fromCopy.get(at))) {
                at++;
            }
            throw new IllegalStateException("the writer's queue copy differs from the database at place " + at
                    + ": copy " + (at < fromCopy.size() ? fromCopy.get(at) : "(end)")
                    + ", database " + (at < read.size() ? read.get(at) : "(end)"));
        }
    }

    @Override
    public int queuePosition(String conversationId) {
        // Every handoff asks, and counting the places before it in SQL reads the queue's index up to it
        // (0.3 ms with 3,000 waiting, 40 times a row's read): the writer's copy answers in memory.
        QueuedRows synced = syncedQueueCopy();
        if (synced == null) {
            return readQueuePosition(conversationId);
        }
        int position = synced.position(conversationId);
        if (QueuedRows.VERIFY && position != readQueuePosition(conversationId)) {
            synced.invalidate();
            throw new IllegalStateException("the writer's queue copy places " + conversationId + " at " + position
                    + ", the database at " + readQueuePosition(conversationId));
        }
        return position;
    }

    private int readQueuePosition(String conversationId) {
        // The queue's own order (priority, entry time, id), counted without reading a row per place.
        return one("SELECT me.state, (SELECT count(*) FROM conversations c WHERE c.state = 'QUEUED' AND "
                + "(c.priority > me.priority OR (c.priority = me.priority AND (c.waiting_since < me.waiting_since "
                + "OR (c.waiting_since = me.waiting_since AND c.id < me.id))))) FROM conversations me WHERE me.id = ?",
                s -> s.setString(1, conversationId),
                rs -> "QUEUED".equals(rs.getString(1)) ? rs.getInt(2) + 1 : 0).orElse(0);
    }

    @Override
    public Optional<Instant> latestQueueEntry() {
        // Asked by every handoff; the index is ordered by priority first, so SQLite's max() scans it.
        QueuedRows synced = syncedQueueCopy();
        if (synced == null) {
            return readLatestQueueEntry();
        }
        Optional<Instant> latest = Optional.ofNullable(synced.latestEntry());
        if (QueuedRows.VERIFY && !latest.equals(readLatestQueueEntry())) {
            synced.invalidate();
            throw new IllegalStateException("the writer's queue copy has the latest entry at " + latest
                    + ", the database at " + readLatestQueueEntry());
        }
        return latest;
    }

    private Optional<Instant> readLatestQueueEntry() {
        // An aggregate always answers one row; its value is NULL when nothing is queued.
        List<Instant> latest = query("SELECT max(waiting_since) FROM conversations WHERE state = 'QUEUED'", s -> { }, rs -> {
            long millis = rs.getLong(1);
            return rs.wasNull() ? null : Instant.ofEpochMilli(millis);
        });
        return latest.isEmpty() ? Optional.empty() : Optional.ofNullable(latest.get(0));
    }

    @Override
    public List<Conversation> assignedTo(String agentId) {
        return query("SELECT " + CONVERSATION_COLUMNS + "WHERE c.state = 'ASSIGNED' AND c.agent_id = ? "
                + "ORDER BY c.updated_at", s -> s.setString(1, agentId), JdbcTx::conversationRow);
    }

    @Override
    public List<Conversation> assigned() {
        return query("SELECT " + CONVERSATION_COLUMNS + "WHERE c.state = 'ASSIGNED' ORDER BY c.waiting_since, c.id",
                s -> { }, JdbcTx::conversationRow);
    }

    @Override
    public Map<String, Integer> assignedCounts() {
        Map<String, Integer> counts = new HashMap<>();
        // Answered from the partial index conversations_agent (agent_id WHERE state = 'ASSIGNED').
        for (Map.Entry<String, Integer> row : query("SELECT agent_id, COUNT(*) FROM conversations "
                + "WHERE state = 'ASSIGNED' AND agent_id IS NOT NULL GROUP BY agent_id", s -> { },
                rs -> Map.entry(rs.getString(1), rs.getInt(2)))) {
            counts.put(row.getKey(), row.getValue());
        }
        return counts;
    }

    @Override
    public Integer maxChats(String agentId) {
        // Read before counting an agent's chats against the limit: where several nodes accept at once,
        // the agent's row is the lock under which the count is taken and the new assignment written.
        String lock = writer && dialect.locksRows() ? " FOR UPDATE" : "";
        List<Integer> rows = query("SELECT max_chats FROM agents WHERE id = ?" + lock, s -> s.setString(1, agentId), rs -> {
            int value = rs.getInt(1);
            return rs.wasNull() ? null : value;
        });
        return rows.isEmpty() ? null : rows.get(0);
    }

    // ---- teams

    @Override
    public List<Team> teams() {
        List<String[]> tags = query("SELECT team_id, tag FROM team_tags ORDER BY tag", s -> { },
                rs -> new String[] {rs.getString(1), rs.getString(2)});
        List<String[]> members = query("SELECT team_id, agent_id FROM team_members ORDER BY agent_id", s -> { },
                rs -> new String[] {rs.getString(1), rs.getString(2)});
        return query("SELECT id, name_ko, name_en, all_agents, hours FROM teams ORDER BY id", s -> { }, rs -> {
            String id = rs.getString(1);
            return new Team(id, rs.getString(2), rs.getString(3), rs.getInt(4) == 1, rs.getString(5),
                    tags.stream().filter(t -> t[0].equals(id)).map(t -> t[1]).toList(),
                    members.stream().filter(m -> m[0].equals(id)).map(m -> m[1]).toList());
        });
    }

    @Override
    public void insertTeam(Team team) {
        update("INSERT INTO teams(id, name_ko, name_en, all_agents, hours) VALUES (?, ?, ?, ?, ?)", s -> {
            s.setString(1, team.id());
            s.setString(2, team.nameKo());
            s.setString(3, team.nameEn());
            s.setInt(4, team.allAgents() ? 1 : 0);
            s.setString(5, team.hoursJson());
        });
        insertTeamLinks(team);
    }

    @Override
    public String teamForTag(String tag) {
        return one("SELECT team_id FROM team_tags WHERE tag = ?", s -> s.setString(1, tag), rs -> rs.getString(1))
                .orElse(null);
    }

    // ---- notes

    @Override
    public void insertNote(Note note) {
        update("INSERT INTO notes(id, conversation_id, author_id, author_name, body, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                s -> {
                    s.setString(1, note.id());
                    s.setString(2, note.conversationId());
                    s.setString(3, note.from().id());
                    s.setString(4, note.from().name());
                    s.setString(5, note.text());
                    s.setLong(6, note.ts().toEpochMilli());
                });
    }

    @Override
    public List<Note> notes(String conversationId) {
        return query("SELECT id, conversation_id, author_id, author_name, body, created_at FROM notes "
                + "WHERE conversation_id = ? ORDER BY created_at, id", s -> s.setString(1, conversationId),
                rs -> new Note(rs.getString(1), rs.getString(2),
                        new Author(Author.Kind.AGENT, rs.getString(3), rs.getString(4)), rs.getString(5), instant(rs, 6)));
    }

    // ---- attachments

    @Override
    public void insertAttachment(String messageId, String conversationId, dev.sodam.server.model.Attachment a,
                                 byte[] data, Instant now) {
        update("INSERT INTO attachments(id, conversation_id, message_id, content_type, size, data, created_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?)", s -> {
                    s.setString(1, a.id());
                    s.setString(2, conversationId);
                    s.setString(3, messageId);
                    s.setString(4, a.contentType());
                    s.setLong(5, a.size());
                    s.setBytes(6, data);
                    s.setLong(7, now.toEpochMilli());
                });
    }

    @Override
    public Optional<StoredAttachment> attachment(String id) {
        return one("SELECT id, conversation_id, content_type, size, data FROM attachments WHERE id = ?",
                s -> s.setString(1, id), rs -> new StoredAttachment(rs.getString(2),
                        new dev.sodam.server.model.Attachment(rs.getString(1), rs.getString(3), rs.getLong(4)),
                        rs.getBytes(5)));
    }

    // ---- site settings

    @Override
    public Optional<String> siteSettings(String siteId) {
        return one("SELECT settings FROM site_settings WHERE site_id = ?", s -> s.setString(1, siteId),
                rs -> rs.getString(1));
    }

    @Override
    public void putSiteSettings(String siteId, String json, Instant now, String updatedBy) {
        update("INSERT INTO site_settings(site_id, settings, updated_at, updated_by) VALUES (?, ?, ?, ?) "
                + "ON CONFLICT(site_id) DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at, "
                + "updated_by = excluded.updated_by", s -> {
                    s.setString(1, siteId);
                    s.setString(2, json);
                    s.setLong(3, now.toEpochMilli());
                    s.setString(4, updatedBy);
                });
    }

    // ---- visitor profile

    @Override
    public void updateVisitorProfile(VisitorProfile p) {
        if (recent != null) {
            recent.forgetVisitor(p.visitorId()); // the visitor's name comes with each of their conversations
        }
        execute("UPDATE visitors SET name = ?, email = ?, external_id = ?, attributes = ? WHERE id = ?", s -> {
            s.setString(1, p.name());
            s.setString(2, p.email());
            s.setString(3, p.externalId());
            s.setString(4, p.attributes().isEmpty() ? null : toJson(p.attributes()));
            s.setString(5, p.visitorId());
        });
    }

    @Override
    public Optional<VisitorProfile> visitorProfile(String visitorId) {
        return one("SELECT id, name, email, external_id, attributes FROM visitors WHERE id = ?",
                s -> s.setString(1, visitorId), rs -> {
                    String attributes = rs.getString(5);
                    return new VisitorProfile(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            attributes == null ? Map.of()
                                    : fromJson(attributes, new TypeReference<java.util.LinkedHashMap<String, String>>() { }));
                });
    }

    // ---- feedback

    private static final String FEEDBACK_COLUMNS =
            "id, site_id, conversation_id, message_id, kind, score, comment, created_at FROM feedback ";

    private static Feedback feedbackRow(ResultSet rs) throws SQLException {
        return new Feedback(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                Feedback.Kind.fromWire(rs.getString(5)), rs.getInt(6), rs.getString(7), instant(rs, 8));
    }

    @Override
    public void putFeedback(Feedback f) {
        update("DELETE FROM feedback WHERE conversation_id = ? AND kind = ? AND message_id IS NOT DISTINCT FROM ?", s -> {
            s.setString(1, f.conversationId());
            s.setString(2, f.kind().wire());
            s.setString(3, f.messageId());
        });
        update("INSERT INTO feedback(id, site_id, conversation_id, message_id, kind, score, comment, created_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", s -> {
                    s.setString(1, f.id());
                    s.setString(2, f.siteId());
                    s.setString(3, f.conversationId());
                    s.setString(4, f.messageId());
                    s.setString(5, f.kind().wire());
                    s.setInt(6, f.score());
                    s.setString(7, f.comment());
                    s.setLong(8, f.createdAt().toEpochMilli());
                });
    }

    @Override
    public List<Feedback> feedback(String conversationId) {
        return query("SELECT " + FEEDBACK_COLUMNS + "WHERE conversation_id = ? ORDER BY created_at, id",
                s -> s.setString(1, conversationId), JdbcTx::feedbackRow);
    }

    @Override
    public List<Feedback> feedbackSearch(String siteId, String conversationId, Feedback.Kind kind, Instant from,
                                         Instant to, int limit) {
        // Each optional filter is bound twice (positional parameters only: PostgreSQL has no ?1).
        return query("SELECT " + FEEDBACK_COLUMNS + "WHERE (? IS NULL OR site_id = ?) "
                + "AND (? IS NULL OR conversation_id = ?) AND (? IS NULL OR kind = ?) "
                + "AND (? IS NULL OR created_at >= ?) AND (? IS NULL OR created_at < ?) "
                + "ORDER BY created_at DESC, id DESC LIMIT ?", s -> {
                    String wire = kind == null ? null : kind.wire();
                    for (int twice = 0; twice < 2; twice++) {
                        s.setString(1 + twice, siteId);
                        s.setString(3 + twice, conversationId);
                        s.setString(5 + twice, wire);
                        setInstant(s, 7 + twice, from);
                        setInstant(s, 9 + twice, to);
                    }
                    s.setInt(11, limit);
                }, JdbcTx::feedbackRow);
    }

    @Override
    public Optional<Message> message(String conversationId, String messageId) {
        return one("SELECT " + MESSAGE_COLUMNS + "WHERE conversation_id = ? AND id = ?", s -> {
            s.setString(1, conversationId);
            s.setString(2, messageId);
        }, JdbcTx::messageRow);
    }

    // ---- messages

    private static Message messageRow(ResultSet rs) throws SQLException {
        String extrasJson = rs.getString(9);
        Extras extras = extrasJson == null ? new Extras(List.of(), List.of(), null, null)
                : fromJson(extrasJson, new TypeReference<Extras>() { });
        return new Message(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4),
                new Author(Author.Kind.fromWire(rs.getString(5)), rs.getString(6), rs.getString(7)),
                rs.getString(8), instant(rs, 10), extras.suggestions(), extras.actions(), extras.notice(),
                extras.attachment());
    }

    @Override
    public Optional<Message> messageByClientMsgId(String conversationId, String clientMsgId) {
        return one("SELECT " + MESSAGE_COLUMNS + "WHERE conversation_id = ? AND client_msg_id = ?", s -> {
            s.setString(1, conversationId);
            s.setString(2, clientMsgId);
        }, JdbcTx::messageRow);
    }

    private static final String INSERT_MESSAGE = "INSERT INTO messages(id, conversation_id, seq, client_msg_id, "
            + "from_kind, from_id, from_name, body, extras, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    // Only this conflict is expected: any other (a seq taken twice) must still fail the unit.
    private static final String INSERT_MESSAGE_IF_NEW =
            INSERT_MESSAGE + " ON CONFLICT (conversation_id, client_msg_id) DO NOTHING";
    // The activity is updated only when the insert stored a row; the statement's count is the update's.
    private static final String APPEND_MESSAGE =
            "WITH m AS (" + INSERT_MESSAGE + " RETURNING 1) " + UPDATE_ACTIVITY + " AND EXISTS (SELECT 1 FROM m)";
    private static final String APPEND_MESSAGE_IF_NEW =
            "WITH m AS (" + INSERT_MESSAGE_IF_NEW + " RETURNING 1) " + UPDATE_ACTIVITY + " AND EXISTS (SELECT 1 FROM m)";

    @Override
    public void insertMessage(Message m) {
        execute(INSERT_MESSAGE, s -> bindMessage(s, m));
    }

    @Override
    public boolean insertMessageIfNew(Message m) {
        if (m.clientMsgId() == null) {
            insertMessage(m);
            return true;
        }
        return execute(INSERT_MESSAGE_IF_NEW, s -> bindMessage(s, m)) == 1;
    }

    @Override
    public void appendMessage(Message m, Conversation after) {
        if (!dialect.writesInWith()) {
            insertMessage(m);
            updateActivity(after);
        } else if (!appendInOneStatement(APPEND_MESSAGE, m, after)) {
            // The insert stored its row (a failed one throws), so the update found no conversation.
            throw notFoundForUpdate(after);
        }
    }

    @Override
    public boolean appendMessageIfNew(Message m, Conversation after) {
        if (m.clientMsgId() == null) {
            appendMessage(m, after);
            return true;
        }
        if (!dialect.writesInWith()) {
            if (!insertMessageIfNew(m)) {
                return false;
            }
            updateActivity(after);
            return true;
        }
        // No update means no insert: the message's foreign key guarantees the conversation exists.
        return appendInOneStatement(APPEND_MESSAGE_IF_NEW, m, after);
    }

    /** The message and the activity in one statement (one round trip); whether both were written. */
    private boolean appendInOneStatement(String sql, Message m, Conversation after) {
        if (execute(sql, s -> {
            bindMessage(s, m);
            bindActivity(s, 10, after);
        }) != 1) {
            return false;
        }
        rowsChanged++; // the count is the update's; the message is a row changed too
        recordActivity(after);
        return true;
    }

    private static void bindMessage(PreparedStatement s, Message m) throws SQLException {
        s.setString(1, m.id());
        s.setString(2, m.conversationId());
        s.setLong(3, m.seq());
        s.setString(4, m.clientMsgId());
        s.setString(5, m.from().kind().wire());
        s.setString(6, m.from().id());
        s.setString(7, m.from().name());
        s.setString(8, m.text());
        boolean plain = m.suggestions().isEmpty() && m.actions().isEmpty() && m.notice() == null
                && m.attachment() == null;
        s.setString(9, plain ? null : toJson(new Extras(m.suggestions(), m.actions(), m.notice(), m.attachment())));
        s.setLong(10, m.ts().toEpochMilli());
    }

    @Override
    public List<Message> messagesAfter(String conversationId, long afterSeq, int limit) {
        return query("SELECT " + MESSAGE_COLUMNS + "WHERE conversation_id = ? AND seq > ? ORDER BY seq LIMIT ?", s -> {
            s.setString(1, conversationId);
            s.setLong(2, afterSeq);
            s.setInt(3, limit);
        }, JdbcTx::messageRow);
    }

    @Override
    public List<Message> unansweredQuestions(Instant postedBefore, int limit) {
        // From the conversations with the bot (a partial index, V57) to each one's last message.
        return query("SELECT m.id, m.conversation_id, m.seq, m.client_msg_id, m.from_kind, m.from_id, m.from_name, "
                + "m.body, m.extras, m.created_at FROM conversations c "
                + "JOIN messages m ON m.conversation_id = c.id AND m.seq = c.last_seq "
                + "WHERE c.state = 'BOT' AND m.from_kind = 'visitor' AND m.created_at < ? "
                + "ORDER BY m.created_at, m.id LIMIT ?", s -> {
                    s.setLong(1, postedBefore.toEpochMilli());
                    s.setInt(2, limit);
                }, JdbcTx::messageRow);
    }

    // ---- agents and tokens

    private static Agent agentRow(ResultSet rs) throws SQLException {
        return new Agent(rs.getString(1), rs.getString(2), rs.getString(3),
                Agent.Role.valueOf(rs.getString(4).toUpperCase(java.util.Locale.ROOT)), rs.getString(5),
                instant(rs, 6), rs.getString(7));
    }

    private static final String AGENT_COLUMNS = "SELECT id, email, name, role, password_hash, created_at, site_id FROM agents ";

    @Override
    public Optional<Agent> agent(String id) {
        return one(AGENT_COLUMNS + "WHERE id = ?", s -> s.setString(1, id), JdbcTx::agentRow);
    }

    @Override
    public Optional<Agent> agentByEmail(String email) {
        return one(AGENT_COLUMNS + "WHERE email = ?", s -> s.setString(1, email.toLowerCase(java.util.Locale.ROOT)),
                JdbcTx::agentRow);
    }

    @Override
    public List<Agent> agents() {
        return query(AGENT_COLUMNS + "WHERE disabled = 0 ORDER BY name, id", s -> { }, JdbcTx::agentRow);
    }

    @Override
    public List<AgentName> colleagueNames(String agentId, String siteId) {
        // Two columns instead of whole rows: at a thousand accounts the hello spent most of its time on
        // the domain thread reading every email and password hash only to drop them (docs/benchmarks.md).
        if (siteId == null) {
            return query("SELECT id, name FROM agents WHERE disabled = 0 AND id <> ? ORDER BY name, id",
                    s -> s.setString(1, agentId), rs -> new AgentName(rs.getString(1), rs.getString(2)));
        }
        return query("SELECT id, name FROM agents WHERE disabled = 0 AND id <> ? AND (site_id IS NULL OR site_id = ?) "
                + "ORDER BY name, id", s -> {
                    s.setString(1, agentId);
                    s.setString(2, siteId);
                }, rs -> new AgentName(rs.getString(1), rs.getString(2)));
    }

    @Override
    public void insertAgent(Agent agent) {
        update("INSERT INTO agents(id, email, name, role, password_hash, created_at, site_id, updated_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", s -> {
            s.setString(1, agent.id());
            s.setString(2, agent.email().toLowerCase(java.util.Locale.ROOT));
            s.setString(3, agent.name());
            s.setString(4, agent.role().wire());
            s.setString(5, agent.passwordHash());
            s.setLong(6, agent.createdAt().toEpochMilli());
            s.setString(7, agent.siteId());
            s.setLong(8, agent.createdAt().toEpochMilli());
        });
    }

    @Override
    public long countAgents() {
        return one("SELECT count(*) FROM agents", s -> { }, rs -> rs.getLong(1)).orElse(0L);
    }

    @Override
    public void insertToken(String tokenHash, String agentId, Instant expiresAt) {
        update("INSERT INTO auth_tokens(token_hash, agent_id, expires_at) VALUES (?, ?, ?)", s -> {
            s.setString(1, tokenHash);
            s.setString(2, agentId);
            s.setLong(3, expiresAt.toEpochMilli());
        });
    }

    @Override
    public Optional<TokenOwner> tokenOwner(String tokenHash, Instant now) {
        return one("SELECT a.id, a.email, a.name, a.role, a.password_hash, a.created_at, a.site_id, t.expires_at FROM auth_tokens t "
                + "JOIN agents a ON a.id = t.agent_id WHERE t.token_hash = ? AND t.expires_at > ? AND a.disabled = 0", s -> {
                    s.setString(1, tokenHash);
                    s.setLong(2, now.toEpochMilli());
                }, rs -> new TokenOwner(agentRow(rs), Instant.ofEpochMilli(rs.getLong(8))));
    }

    // ---- FAQ

    @Override
    public List<FaqEntry> faqEntries() {
        return query("SELECT id, locale, question, paraphrases, answer, tags FROM faq_entries ORDER BY locale, id",
                s -> { }, rs -> new FaqEntry(rs.getString(1), rs.getString(2), rs.getString(3),
                        strings(rs.getString(4)), rs.getString(5),
                        strings(rs.getString(6))));
    }

    @Override
    public void insertFaq(FaqEntry entry, Instant now) {
        update("INSERT INTO faq_entries(id, locale, question, paraphrases, answer, tags, updated_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?)", s -> {
                    s.setString(1, entry.id());
                    s.setString(2, entry.locale());
                    s.setString(3, entry.question());
                    s.setString(4, toJson(entry.paraphrases()));
                    s.setString(5, entry.answer());
                    s.setString(6, toJson(entry.tags()));
                    s.setLong(7, now.toEpochMilli());
                });
    }

    @Override
    public long countFaq() {
        return one("SELECT count(*) FROM faq_entries", s -> { }, rs -> rs.getLong(1)).orElse(0L);
    }

    // ---- FAQ administration (V3)

    private static final String FAQ_COLUMNS = "SELECT f.id, f.locale, f.question, f.paraphrases, f.answer, f.tags, "
            + "f.enabled, f.version, f.updated_at, f.updated_by, a.name, f.team_id, f.translation_id FROM faq_entries f "
            + "LEFT JOIN agents a ON a.id = f.updated_by ";

    private static StoredFaq storedFaqRow(ResultSet rs) throws SQLException {
        return new StoredFaq(rs.getString(1), rs.getString(2), rs.getString(3),
                strings(rs.getString(4)), rs.getString(5),
                strings(rs.getString(6)), rs.getInt(7) != 0, rs.getLong(8),
                instant(rs, 9), rs.getString(10), rs.getString(11), rs.getString(12), rs.getString(13));
    }

    @Override
    public List<StoredFaq> faqSearch(String locale, String tag, String text, Boolean enabled, String team) {
        StringBuilder sql = new StringBuilder(FAQ_COLUMNS).append("WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (locale != null) {
            sql.append(" AND f.locale = ?");
            args.add(locale);
        }
        if (team != null) {
            sql.append(" AND f.team_id = ?");
            args.add(team);
        }
        if (tag != null) {
            sql.append(" AND ").append(dialect.jsonArrayContains("f.tags"));
            args.add(tag);
        }
        if (text != null) {
            // instr/strpos, not LIKE: the search text needs no escaping of % and _.
            sql.append(" AND ").append(dialect.containsText(
                    "lower(f.id || ' ' || f.question || ' ' || f.paraphrases || ' ' || f.answer)", "lower(?)"));
            args.add(text);
        }
        if (enabled != null) {
            sql.append(" AND f.enabled = ?");
            args.add(enabled ? 1 : 0);
        }
        sql.append(" ORDER BY f.locale, f.id");
        return query(sql.toString(), s -> {
            for (int i = 0; i < args.size(); i++) {
                s.setObject(i + 1, args.get(i));
            }
        }, JdbcTx::storedFaqRow);
    }

    @Override
    public Optional<StoredFaq> faq(String id) {
        return one(FAQ_COLUMNS + "WHERE f.id = ?", s -> s.setString(1, id), JdbcTx::storedFaqRow);
    }

    @Override
    public List<FaqEntry> enabledFaqEntries() {
        return query(FAQ_COLUMNS + "WHERE f.enabled = 1 ORDER BY f.locale, f.id", s -> { }, JdbcTx::storedFaqRow)
                .stream().map(StoredFaq::toEntry).toList();
    }

    @Override
    public void insertStoredFaq(StoredFaq f) {
        update("INSERT INTO faq_entries(id, locale, question, paraphrases, answer, tags, updated_at, version, enabled, "
                + "updated_by, team_id, translation_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", s -> {
                    bindFaq(s, f);
                    s.setString(1, f.id());
                });
    }

    /** Binds columns 2..10 and 11..12 in the order of {@link #insertStoredFaq}. */
    private static void bindFaq(PreparedStatement s, StoredFaq f) throws SQLException {
        s.setString(2, f.locale());
        s.setString(3, f.question());
        s.setString(4, toJson(f.paraphrases()));
        s.setString(5, f.answer());
        s.setString(6, toJson(f.tags()));
        s.setLong(7, f.updatedAt().toEpochMilli());
        s.setLong(8, f.version());
        s.setInt(9, f.enabled() ? 1 : 0);
        s.setString(10, f.updatedBy());
        s.setString(11, f.team());
        s.setString(12, f.translation());
    }

    @Override
    public boolean updateStoredFaq(StoredFaq f, long expectedVersion) {
        return update("UPDATE faq_entries SET id = ?, locale = ?, question = ?, paraphrases = ?, answer = ?, tags = ?, "
                + "updated_at = ?, version = ?, enabled = ?, updated_by = ?, team_id = ?, translation_id = ? "
                + "WHERE id = ? AND version = ?", s -> {
                    s.setString(1, f.id());
                    bindFaq(s, f);
                    s.setString(13, f.id());
                    s.setLong(14, expectedVersion);
                }) == 1;
    }

    @Override
    public boolean deleteFaq(String id) {
        return update("DELETE FROM faq_entries WHERE id = ?", s -> s.setString(1, id)) == 1;
    }

    @Override
    public long lastFaqVersion(String id) {
        return one("SELECT coalesce((SELECT max(version) FROM faq_history WHERE entry_id = ?), 0), "
                + "coalesce((SELECT version FROM faq_entries WHERE id = ?), 0)", s -> {
                    s.setString(1, id);
                    s.setString(2, id);
                }, rs -> Math.max(rs.getLong(1), rs.getLong(2))).orElse(0L);
    }

    private static final String REVISION_COLUMNS = "SELECT h.entry_id, h.version, h.action, h.snapshot, h.changed_by, "
            + "a.name, h.changed_at FROM faq_history h LEFT JOIN agents a ON a.id = h.changed_by ";

    private static FaqRevision revisionRow(ResultSet rs) throws SQLException {
        return new FaqRevision(rs.getString(1), rs.getLong(2), rs.getString(3),
                fromJson(rs.getString(4), new TypeReference<StoredFaq>() { }), rs.getString(5), rs.getString(6),
                instant(rs, 7));
    }

    @Override
    public void insertFaqRevision(FaqRevision r) {
        update("INSERT INTO faq_history(entry_id, version, action, snapshot, changed_by, changed_at) "
                + "VALUES (?, ?, ?, ?, ?, ?)", s -> {
                    s.setString(1, r.entryId());
                    s.setLong(2, r.version());
                    s.setString(3, r.action());
                    s.setString(4, toJson(r.snapshot()));
                    s.setString(5, r.changedBy());
                    s.setLong(6, r.changedAt().toEpochMilli());
                });
    }

    @Override
    public List<FaqRevision> faqHistory(String id) {
        return query(REVISION_COLUMNS + "WHERE h.entry_id = ? ORDER BY h.version DESC", s -> s.setString(1, id),
                JdbcTx::revisionRow);
    }

    @Override
    public Optional<FaqRevision> faqRevision(String id, long version) {
        return one(REVISION_COLUMNS + "WHERE h.entry_id = ? AND h.version = ?", s -> {
            s.setString(1, id);
            s.setLong(2, version);
        }, JdbcTx::revisionRow);
    }

    // ---- the agent's context packet (V10)

    /**
     * Records the bot's decision on the visitor message it read (V58: on that message's row, which the
     * same commit usually has just written, so the turn costs no page of its own). A second decision on
     * the same message replaces the first.
     */
    @Override
    public void insertBotTurn(BotTurn turn) {
        int changed = update("UPDATE messages SET bot_decision = ?, bot_reason = ?, bot_intent = ?, bot_confidence = ?, "
                + "bot_faq_id = ?, bot_candidates = ? WHERE conversation_id = ? AND seq = ?", s -> {
                    s.setString(1, turn.decision());
                    s.setString(2, turn.reason());
                    s.setString(3, turn.intent());
                    s.setDouble(4, turn.confidence());
                    s.setString(5, turn.faqId());
                    s.setString(6, toJson(turn.candidates()));
                    s.setString(7, turn.conversationId());
                    s.setLong(8, turn.seq());
                });
        if (changed != 1) {
            throw new StoreException("no message " + turn.conversationId() + "#" + turn.seq() + " for the bot's turn", null);
        }
    }

    /** The turn's question is its message's text, and its time the message's. */
    private static final String BOT_TURN_COLUMNS = "SELECT conversation_id, seq, body, bot_decision, bot_reason, bot_intent, "
            + "bot_confidence, bot_faq_id, bot_candidates, created_at FROM messages ";

    private static BotTurn botTurnRow(ResultSet rs) throws SQLException {
        return new BotTurn(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getDouble(7), rs.getString(8),
                fromJson(rs.getString(9), new TypeReference<List<BotTurn.Candidate>>() { }), instant(rs, 10));
    }

    @Override
    public List<BotTurn> botTurns(String conversationId) {
        return query(BOT_TURN_COLUMNS + "WHERE conversation_id = ? AND bot_decision IS NOT NULL ORDER BY seq",
                s -> s.setString(1, conversationId),
                JdbcTx::botTurnRow);
    }

    @Override
    public List<BotTurn> botTurns(Instant from, Instant to) {
        // bot_decision IS NOT NULL: the partial index of the turns (V58), so a range is not a scan of every message.
        return query(BOT_TURN_COLUMNS + "WHERE bot_decision IS NOT NULL AND created_at >= ? AND created_at < ? "
                + "ORDER BY conversation_id, seq", s -> {
            s.setLong(1, from.toEpochMilli());
            s.setLong(2, to.toEpochMilli());
        }, JdbcTx::botTurnRow);
    }

    @Override
    public List<RecordedQuestion> recordedQuestions(Instant from, Instant to, int limit) {
        // The range is a scan of the partial index of the turns (V58); the conversation is one key lookup each.
        return query("SELECT m.body, c.locale, m.created_at FROM messages m JOIN conversations c ON c.id = m.conversation_id "
                + "WHERE m.bot_decision IS NOT NULL AND m.created_at >= ? AND m.created_at < ? "
                + "ORDER BY m.created_at DESC, m.conversation_id, m.seq LIMIT ?", s -> {
                    s.setLong(1, from.toEpochMilli());
                    s.setLong(2, to.toEpochMilli());
                    s.setInt(3, limit);
                }, rs -> new RecordedQuestion(rs.getString(1), rs.getString(2), instant(rs, 3)));
    }

    @Override
    public void insertPageView(String visitorId, PageView page) {
        update("INSERT INTO visitor_pages(visitor_id, url, title, seen_at) VALUES (?, ?, ?, ?)", s -> {
            s.setString(1, visitorId);
            s.setString(2, page.url());
            s.setString(3, page.title());
            s.setLong(4, page.at().toEpochMilli());
        });
    }

    @Override
    public List<PageView> pageViews(String visitorId, int limit) {
        return query("SELECT url, title, seen_at FROM visitor_pages WHERE visitor_id = ? ORDER BY seen_at DESC, "
                + dialect.insertionOrder() + " DESC LIMIT ?", s -> {
                    s.setString(1, visitorId);
                    s.setInt(2, limit);
                }, rs -> new PageView(rs.getString(1), rs.getString(2), instant(rs, 3)));
    }

    @Override
    public List<Conversation> conversationsOf(String visitorId, int limit) {
        return query("SELECT " + CONVERSATION_COLUMNS + "WHERE c.visitor_id = ? ORDER BY c.created_at DESC, c.id LIMIT ?",
                s -> {
                    s.setString(1, visitorId);
                    s.setInt(2, limit);
                }, JdbcTx::conversationRow);
    }

    // ---- users, sessions, one-time tokens, audit, team edits (V20)

    private static final String USER_COLUMNS = "SELECT id, email, name, role, site_id, disabled, max_chats, version, "
            + "created_at, updated_at, password_hash FROM agents ";

    private static StoredUser userRow(ResultSet rs) throws SQLException {
        int maxChats = rs.getInt(7);
        Integer limit = rs.wasNull() ? null : maxChats;
        return new StoredUser(rs.getString(1), rs.getString(2), rs.getString(3),
                Agent.Role.valueOf(rs.getString(4).toUpperCase(java.util.Locale.ROOT)), rs.getString(5),
                rs.getInt(6) == 1, limit, rs.getLong(8), instant(rs, 9), instant(rs, 10),
                !rs.getString(11).startsWith("$argon2"));
    }

    @Override
    public List<StoredUser> users() {
        return query(USER_COLUMNS + "ORDER BY name, id", s -> { }, JdbcTx::userRow);
    }

    @Override
    public Optional<StoredUser> user(String id) {
        return one(USER_COLUMNS + "WHERE id = ?", s -> s.setString(1, id), JdbcTx::userRow);
    }

    @Override
    public boolean updateUser(StoredUser user, long expectedVersion, Instant now) {
        return update("UPDATE agents SET name = ?, role = ?, site_id = ?, disabled = ?, max_chats = ?, "
                + "version = version + 1, updated_at = ? WHERE id = ? AND version = ?", s -> {
                    s.setString(1, user.name());
                    s.setString(2, user.role().wire());
                    s.setString(3, user.siteId());
                    s.setInt(4, user.disabled() ? 1 : 0);
                    if (user.maxChats() == null) {
                        s.setNull(5, Types.INTEGER);
                    } else {
                        s.setInt(5, user.maxChats());
                    }
                    s.setLong(6, now.toEpochMilli());
                    s.setString(7, user.id());
                    s.setLong(8, expectedVersion);
                }) == 1;
    }

    @Override
    public void setPasswordHash(String agentId, String passwordHash, Instant now) {
        update("UPDATE agents SET password_hash = ?, updated_at = ? WHERE id = ?", s -> {
            s.setString(1, passwordHash);
            s.setLong(2, now.toEpochMilli());
            s.setString(3, agentId);
        });
    }

    @Override
    public void insertSession(String tokenHash, String agentId, Instant createdAt, Instant expiresAt, String ip,
                              String userAgent) {
        update("INSERT INTO auth_tokens(token_hash, agent_id, expires_at, created_at, ip, user_agent) "
                + "VALUES (?, ?, ?, ?, ?, ?)", s -> {
                    s.setString(1, tokenHash);
                    s.setString(2, agentId);
                    s.setLong(3, expiresAt.toEpochMilli());
                    s.setLong(4, createdAt.toEpochMilli());
                    s.setString(5, ip);
                    s.setString(6, userAgent);
                });
    }

    @Override
    public List<SessionInfo> sessions(String agentId, Instant now) {
        return query("SELECT substr(token_hash, 1, " + SessionInfo.ID_LENGTH + "), agent_id, created_at, expires_at, "
                + "ip, user_agent FROM auth_tokens WHERE agent_id = ? AND expires_at > ? "
                + "ORDER BY created_at DESC", s -> {
                    s.setString(1, agentId);
                    s.setLong(2, now.toEpochMilli());
                }, rs -> new SessionInfo(rs.getString(1), rs.getString(2), instant(rs, 3), instant(rs, 4),
                        rs.getString(5), rs.getString(6)));
    }

    @Override
    public List<String> deleteSessions(String agentId) {
        List<String> hashes = query("SELECT token_hash FROM auth_tokens WHERE agent_id = ?",
                s -> s.setString(1, agentId), rs -> rs.getString(1));
        update("DELETE FROM auth_tokens WHERE agent_id = ?", s -> s.setString(1, agentId));
        return hashes;
    }

    @Override
    public Optional<String> deleteSession(String agentId, String sessionId) {
        if (sessionId.length() != SessionInfo.ID_LENGTH) {
            return Optional.empty();
        }
        Optional<String> hash = one("SELECT token_hash FROM auth_tokens WHERE agent_id = ? AND substr(token_hash, 1, "
                + SessionInfo.ID_LENGTH + ") = ?", s -> {
                    s.setString(1, agentId);
                    s.setString(2, sessionId);
                }, rs -> rs.getString(1));
        hash.ifPresent(h -> update("DELETE FROM auth_tokens WHERE token_hash = ?", s -> s.setString(1, h)));
        return hash;
    }

    @Override
    public int deleteExpiredTokens(Instant now) {
        return update("DELETE FROM auth_tokens WHERE expires_at <= ?", s -> s.setLong(1, now.toEpochMilli()))
                + update("DELETE FROM one_time_tokens WHERE expires_at <= ?", s -> s.setLong(1, now.toEpochMilli()));
    }

    @Override
    public void insertOneTimeToken(String tokenHash, String agentId, String purpose, Instant expiresAt, Instant now) {
        update("INSERT INTO one_time_tokens(token_hash, agent_id, purpose, expires_at, created_at) VALUES (?, ?, ?, ?, ?)",
                s -> {
                    s.setString(1, tokenHash);
                    s.setString(2, agentId);
                    s.setString(3, purpose);
                    s.setLong(4, expiresAt.toEpochMilli());
                    s.setLong(5, now.toEpochMilli());
                });
    }

    @Override
    public Optional<String[]> takeOneTimeToken(String tokenHash, Instant now) {
        Optional<String[]> found = one("SELECT agent_id, purpose FROM one_time_tokens WHERE token_hash = ? AND expires_at > ?",
                s -> {
                    s.setString(1, tokenHash);
                    s.setLong(2, now.toEpochMilli());
                }, rs -> new String[] {rs.getString(1), rs.getString(2)});
        // Taken only by the transaction whose DELETE removed it: two nodes redeeming one link at once
        // both find it, but the second one's DELETE waits for the first commit and removes nothing.
        return found.filter(f -> update("DELETE FROM one_time_tokens WHERE token_hash = ?",
                s -> s.setString(1, tokenHash)) == 1);
    }

    @Override
    public void deleteOneTimeTokens(String agentId) {
        update("DELETE FROM one_time_tokens WHERE agent_id = ?", s -> s.setString(1, agentId));
    }

    @Override
    public void insertAudit(AuditEntry e) {
        update("INSERT INTO audit_log(at, actor_id, actor_name, site_id, action, target_type, target_id, before_json, "
                + "after_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", s -> {
                    s.setLong(1, e.at().toEpochMilli());
                    s.setString(2, e.actorId());
                    s.setString(3, e.actorName());
                    s.setString(4, e.siteId());
                    s.setString(5, e.action());
                    s.setString(6, e.targetType());
                    s.setString(7, e.targetId());
                    s.setString(8, e.beforeJson());
                    s.setString(9, e.afterJson());
                });
    }

    @Override
    public List<AuditEntry> audit(AuditEntry.Filter f) {
        StringBuilder sql = new StringBuilder("SELECT id, at, actor_id, actor_name, site_id, action, target_type, "
                + "target_id, before_json, after_json FROM audit_log WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (f.actorId() != null) {
            sql.append(" AND actor_id = ?");
            args.add(f.actorId());
        }
        if (f.action() != null) {
            sql.append(" AND action = ?");
            args.add(f.action());
        }
        if (f.targetType() != null) {
            sql.append(" AND target_type = ?");
            args.add(f.targetType());
        }
        if (f.targetId() != null) {
            sql.append(" AND target_id = ?");
            args.add(f.targetId());
        }
        if (f.siteId() != null) {
            sql.append(" AND site_id = ?");
            args.add(f.siteId());
        }
        if (f.from() != null) {
            sql.append(" AND at >= ?");
            args.add(f.from().toEpochMilli());
        }
        if (f.to() != null) {
            sql.append(" AND at < ?");
            args.add(f.to().toEpochMilli());
        }
        sql.append(" ORDER BY id DESC LIMIT ?");
        args.add((long) f.limit());
        return query(sql.toString(), s -> {
            for (int i = 0; i < args.size(); i++) {
                s.setObject(i + 1, args.get(i));
            }
        }, rs -> new AuditEntry(rs.getLong(1), instant(rs, 2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10)));
    }

    @Override
    public long teamVersion(String teamId) {
        return one("SELECT version FROM teams WHERE id = ?", s -> s.setString(1, teamId), rs -> rs.getLong(1)).orElse(0L);
    }

    @Override
    public boolean replaceTeam(Team team, long expectedVersion) {
        int changed = update("UPDATE teams SET name_ko = ?, name_en = ?, all_agents = ?, hours = ?, version = version + 1 "
                + "WHERE id = ? AND version = ?", s -> {
                    s.setString(1, team.nameKo());
                    s.setString(2, team.nameEn());
                    s.setInt(3, team.allAgents() ? 1 : 0);
                    s.setString(4, team.hoursJson());
                    s.setString(5, team.id());
                    s.setLong(6, expectedVersion);
                });
        if (changed != 1) {
            return false;
        }
        update("DELETE FROM team_tags WHERE team_id = ?", s -> s.setString(1, team.id()));
        update("DELETE FROM team_members WHERE team_id = ?", s -> s.setString(1, team.id()));
        insertTeamLinks(team);
        return true;
    }

    private void insertTeamLinks(Team team) {
        for (String tag : team.tags()) {
            update("INSERT INTO team_tags(tag, team_id) VALUES (?, ?)", s -> {
                s.setString(1, tag);
                s.setString(2, team.id());
            });
        }
        for (String agentId : team.memberIds()) {
            update("INSERT INTO team_members(team_id, agent_id) VALUES (?, ?)", s -> {
                s.setString(1, team.id());
                s.setString(2, agentId);
            });
        }
    }

    @Override
    public boolean deleteTeam(String teamId) {
        update("DELETE FROM team_tags WHERE team_id = ?", s -> s.setString(1, teamId));
        update("DELETE FROM team_members WHERE team_id = ?", s -> s.setString(1, teamId));
        return update("DELETE FROM teams WHERE id = ?", s -> s.setString(1, teamId)) == 1;
    }

    @Override
    public long conversationsOfTeam(String teamId) {
        return one("SELECT count(*) FROM conversations WHERE team_id = ?", s -> s.setString(1, teamId),
                rs -> rs.getLong(1)).orElse(0L);
    }

    @Override
    public void setMemberships(String agentId, List<String> teamIds) {
        update("DELETE FROM team_members WHERE agent_id = ?", s -> s.setString(1, agentId));
        for (String teamId : teamIds) {
            update("INSERT INTO team_members(team_id, agent_id) VALUES (?, ?)", s -> {
                s.setString(1, teamId);
                s.setString(2, agentId);
            });
        }
    }

    // ---- conversation events (V26)

    private static final String EVENT_COLUMNS = "SELECT id, conversation_id, site_id, kind, at, agent_id, team_id, reason "
            + "FROM conversation_events ";

    @Override
    public void insertConversationEvent(ConversationEventRow e) {
        update("INSERT INTO conversation_events(conversation_id, site_id, kind, at, agent_id, team_id, reason) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?)", s -> {
                    s.setString(1, e.conversationId());
                    s.setString(2, e.siteId());
                    s.setString(3, e.kind());
                    s.setLong(4, e.at().toEpochMilli());
                    s.setString(5, e.agentId());
                    s.setString(6, e.teamId());
                    s.setString(7, e.reason());
                });
    }

    private static ConversationEventRow eventRow(ResultSet rs) throws SQLException {
        return new ConversationEventRow(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                Instant.ofEpochMilli(rs.getLong(5)), rs.getString(6), rs.getString(7), rs.getString(8));
    }

    @Override
    public List<ConversationEventRow> conversationEvents(Instant from, Instant to, String siteId) {
        return query(EVENT_COLUMNS + "WHERE at >= ? AND at < ? AND (? IS NULL OR site_id = ?) ORDER BY at, id", s -> {
            s.setLong(1, from.toEpochMilli());
            s.setLong(2, to.toEpochMilli());
            s.setString(3, siteId);
            s.setString(4, siteId);
        }, JdbcTx::eventRow);
    }

    @Override
    public List<ConversationEventRow> conversationEvents(String conversationId) {
        return query(EVENT_COLUMNS + "WHERE conversation_id = ? ORDER BY id", s -> s.setString(1, conversationId),
                JdbcTx::eventRow);
    }

    @Override
    public List<Instant> recentAssignments(Instant since, int limit) {
        // Newest first so LIMIT keeps the latest (conversation_events_at bounds the scan to the window).
        List<Instant> newestFirst = query("SELECT at FROM conversation_events WHERE kind = 'assigned' AND at >= ? "
                + "ORDER BY at DESC, id DESC LIMIT ?", s -> {
                    s.setLong(1, since.toEpochMilli());
                    s.setInt(2, limit);
                }, rs -> Instant.ofEpochMilli(rs.getLong(1)));
        List<Instant> oldestFirst = new ArrayList<>(newestFirst);
        Collections.reverse(oldestFirst);
        return oldestFirst;
    }

    @Override
    public List<AgentActivity> agentActivity(Instant from, Instant to) {
        return query("SELECT m.conversation_id, m.from_id, min(m.created_at), count(*) FROM messages m "
                + "WHERE m.from_kind = 'agent' AND m.conversation_id IN (SELECT conversation_id FROM conversation_events "
                + "WHERE at >= ? AND at < ?) GROUP BY m.conversation_id, m.from_id", s -> {
                    s.setLong(1, from.toEpochMilli());
                    s.setLong(2, to.toEpochMilli());
                }, rs -> new AgentActivity(rs.getString(1), rs.getString(2), Instant.ofEpochMilli(rs.getLong(3)),
                        rs.getLong(4)));
    }

    // ---- settings and privacy (V21)

    @Override
    public Optional<Setting> setting(String key) {
        return one("SELECT value, version, updated_at FROM settings WHERE key = ?", s -> s.setString(1, key),
                rs -> new Setting(rs.getString(1), rs.getLong(2), instant(rs, 3)));
    }

    @Override
    public boolean putSetting(String key, String json, long expectedVersion, Instant now, String by) {
        if (expectedVersion == 0) {
            return update("INSERT INTO settings(key, value, version, updated_at, updated_by) VALUES (?, ?, 1, ?, ?) "
                    + "ON CONFLICT(key) DO NOTHING", s -> {
                        s.setString(1, key);
                        s.setString(2, json);
                        s.setLong(3, now.toEpochMilli());
                        s.setString(4, by);
                    }) == 1;
        }
        return update("UPDATE settings SET value = ?, version = version + 1, updated_at = ?, updated_by = ? "
                + "WHERE key = ? AND version = ?", s -> {
                    s.setString(1, json);
                    s.setLong(2, now.toEpochMilli());
                    s.setString(3, by);
                    s.setString(4, key);
                    s.setLong(5, expectedVersion);
                }) == 1;
    }

    @Override
    public long[] purgeResolvedBefore(Instant before) {
        long cutoff = before.toEpochMilli();
        long conversations = deleteWithDependents("conversations", "id",
                "SELECT id FROM conversations WHERE state = 'RESOLVED' AND updated_at < ?", List.of(cutoff), 0);
        long visitors = deleteWithDependents("visitors", "id", "SELECT v.id FROM visitors v WHERE v.created_at < ? "
                + "AND NOT EXISTS (SELECT 1 FROM conversations c WHERE c.visitor_id = v.id)", List.of(cutoff), 0);
        return new long[] {conversations, visitors};
    }

    @Override
    public Optional<Visitor> visitor(String id) {
        return one("SELECT id, site_id, name, locale, created_at FROM visitors WHERE id = ?", s -> s.setString(1, id),
                rs -> new Visitor(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), instant(rs, 5)));
    }

    @Override
    public boolean deleteVisitor(String visitorId) {
        // Webhook events carry the visitor's text in their payload but name the conversation without a
        // foreign key (an event outlives nothing it reports on): the foreign-key walk below would miss
        // them, and a pending one would still send the deleted visitor's words out.
        update("DELETE FROM webhook_outbox WHERE conversation_id IN (SELECT id FROM conversations WHERE visitor_id = ?)",
                s -> s.setString(1, visitorId));
        deleteWithDependents("conversations", "visitor_id", "SELECT ?", List.of(visitorId), 0);
        return deleteWithDependents("visitors", "id", "SELECT ?", List.of(visitorId), 0) == 1;
    }

    /**
     * Deletes the rows of {@code table} whose {@code column} is in {@code select}, after deleting,
     * depth first, every row of any table whose foreign key points at them. The referring tables are
     * read from the database's schema, so a table added by a later migration is covered without a change here.
     */
    private long deleteWithDependents(String table, String column, String select, List<Object> args, int depth) {
        if (depth > 5) {
            throw new StoreException("foreign keys nest deeper than expected below " + table, null);
        }
        List<String[]> referrers = query(dialect.foreignKeysTo(), s -> s.setString(1, table), rs -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
        for (String[] ref : referrers) {
            if (ref[0].equals(table)) {
                continue;
            }
            String parentColumn = ref[2] == null ? "id" : ref[2];
            deleteWithDependents(ref[0], ref[1], "SELECT " + parentColumn + " FROM " + table + " WHERE " + column
                    + " IN (" + select + ")", args, depth + 1);
        }
        return update("DELETE FROM " + table + " WHERE " + column + " IN (" + select + ")", s -> {
            for (int i = 0; i < args.size(); i++) {
                s.setObject(i + 1, args.get(i));
            }
        });
    }

    // ---- canned responses (V11)

    private static final String CANNED_COLUMNS = "SELECT id, owner_id, shortcut, locale, body, updated_at FROM canned_responses ";

    private static CannedResponse cannedRow(ResultSet rs) throws SQLException {
        return new CannedResponse(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                instant(rs, 6));
    }

    @Override
    public List<CannedResponse> cannedFor(String agentId) {
        return query(CANNED_COLUMNS + "WHERE owner_id = ? OR owner_id IS NULL "
                + "ORDER BY owner_id IS NULL, shortcut, locale", s -> s.setString(1, agentId), JdbcTx::cannedRow);
    }

    @Override
    public Optional<CannedResponse> canned(String id) {
        return one(CANNED_COLUMNS + "WHERE id = ?", s -> s.setString(1, id), JdbcTx::cannedRow);
    }

    @Override
    public Optional<CannedResponse> cannedByKey(String ownerId, String shortcut, String locale) {
        return one(CANNED_COLUMNS + "WHERE coalesce(owner_id, '') = ? AND shortcut = ? AND locale = ?", s -> {
            s.setString(1, ownerId == null ? "" : ownerId);
            s.setString(2, shortcut);
            s.setString(3, locale);
        }, JdbcTx::cannedRow);
    }

    @Override
    public void saveCanned(CannedResponse r) {
        update("INSERT INTO canned_responses(id, owner_id, shortcut, locale, body, updated_at) VALUES (?, ?, ?, ?, ?, ?) "
                + "ON CONFLICT(id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at", s -> {
                    s.setString(1, r.id());
                    s.setString(2, r.ownerId());
                    s.setString(3, r.shortcut());
                    s.setString(4, r.locale());
                    s.setString(5, r.text());
                    s.setLong(6, r.updatedAt().toEpochMilli());
                });
    }

    @Override
    public boolean deleteCanned(String id) {
        return update("DELETE FROM canned_responses WHERE id = ?", s -> s.setString(1, id)) == 1;
    }

    // ---- labels and read receipts (V12)

    @Override
    public void updateLabels(String conversationId, List<String> labels) {
        execute("UPDATE conversations SET labels = ? WHERE id = ?", s -> {
            s.setString(1, toJson(labels));
            s.setString(2, conversationId);
        });
        if (recent != null) {
            recent.change(conversationId, c -> c.labelled(labels));
        }
    }

    @Override
    public void updateVisitorRead(String conversationId, long seq) {
        execute("UPDATE conversations SET visitor_read_seq = ? WHERE id = ? AND visitor_read_seq < ?", s -> {
            s.setLong(1, seq);
            s.setString(2, conversationId);
            s.setLong(3, seq);
        });
        if (recent != null) {
            recent.change(conversationId, c -> c.visitorReadSeq() >= seq ? c : c.readByVisitor(seq));
        }
    }
}
