package dev.sodam.server.store;

import dev.sodam.bot.FaqEntry;
import dev.sodam.server.model.Agent;
import dev.sodam.server.model.Conversation;
import dev.sodam.server.model.Message;
import dev.sodam.server.model.Site;
import dev.sodam.server.model.Team;
import dev.sodam.server.model.Visitor;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The data operations available inside a unit of work. Not thread-safe; valid only inside the unit. */
public interface StoreTx {

    /** API keys, webhooks and their outbox, channel threads, paged reads: in this same transaction. */
    IntegrationTx integrations();

    Optional<Site> site(String id);

    void insertSite(Site site);

    /** Changes a site's name and allowed origins. */
    void updateSite(Site site);

    List<Site> sites();

    Optional<Visitor> visitorByTokenHash(String tokenHash);

    void insertVisitor(Visitor visitor, String tokenHash);

    Optional<Conversation> conversation(String id);

    Optional<Conversation> openConversationOf(String visitorId);

    void insertConversation(Conversation conversation);

    void updateConversation(Conversation conversation);

    /**
     * Records a new message on the conversation (last seq, preview, time, topic) without touching
     * its indexed columns, so the indexes are not rewritten for every message.
     */
    void updateActivity(Conversation conversation);

    /** Queued conversations, longest waiting first. */
    List<Conversation> queue();

    /** A conversation's place in {@link #queue()} (1 = next), counted in the database; 0 when it is not queued. */
    int queuePosition(String conversationId);

    /** The latest entry time of a queued conversation, if any is queued. */
    Optional<Instant> latestQueueEntry();

    List<Conversation> assignedTo(String agentId);

    /** Every assigned conversation (routing rebuilds its picture from these after a restart). */
    List<Conversation> assigned();

    /**
     * How many conversations each agent holds (agents with none are absent), counted in the database: a
     * transfer dialog's loads, read on the domain thread, where reading every assigned row would hold
     * everyone's messages up (21 ms at 5,000 chats against about 1 for the count).
     */
    Map<String, Integer> assignedCounts();

    /** The agent's own chat limit, or null for the configured default. */
    Integer maxChats(String agentId);

    /** Teams with their tags and explicit members. */
    List<Team> teams();

    void insertTeam(Team team);

    /** The team serving a topic tag, or null. */
    String teamForTag(String tag);

    void insertNote(dev.sodam.server.model.Note note);

    List<dev.sodam.server.model.Note> notes(String conversationId);

    // ---- attachments (V18)

    void insertAttachment(String messageId, String conversationId, dev.sodam.server.model.Attachment attachment,
                          byte[] data, Instant now);

    Optional<StoredAttachment> attachment(String id);

    /** An image with the conversation it belongs to and its bytes. */
    record StoredAttachment(String conversationId, dev.sodam.server.model.Attachment attachment, byte[] data) {
    }

    // ---- site settings (V17)

    /** The site's stored settings document (JSON), if any. */
    Optional<String> siteSettings(String siteId);

    void putSiteSettings(String siteId, String json, Instant now, String updatedBy);

    // ---- visitor profile (V16)

    /** Replaces what identify() told about a visitor; the name also renames their conversations. */
    void updateVisitorProfile(dev.sodam.server.model.VisitorProfile profile);

    Optional<dev.sodam.server.model.VisitorProfile> visitorProfile(String visitorId);

    // ---- feedback (V15)

    /** Stores feedback, replacing the earlier row of the same conversation, kind and message. */
    void putFeedback(dev.sodam.server.model.Feedback feedback);

    /** A conversation's feedback, oldest first. */
    List<dev.sodam.server.model.Feedback> feedback(String conversationId);

    /**
     * Feedback matching every given filter (null = any), newest first, at most {@code limit}:
     * site, conversation, kind, and a time window [from, to).
     */
    List<dev.sodam.server.model.Feedback> feedbackSearch(String siteId, String conversationId,
                                                         dev.sodam.server.model.Feedback.Kind kind, Instant from,
                                                         Instant to, int limit);

    /** The message with this id in this conversation. */
    Optional<Message> message(String conversationId, String messageId);

    Optional<Message> messageByClientMsgId(String conversationId, String clientMsgId);

    void insertMessage(Message message);

    /**
     * Inserts the message unless its conversation already holds one with the same non-null
     * {@code clientMsgId}; then stores nothing and answers false. Cheaper than asking first: the
     * insert consults the same unique index anyway, and a re-send is rare.
     */
    boolean insertMessageIfNew(Message message);

    /**
     * {@link #insertMessage} then {@link #updateActivity} with {@code after}, the conversation as the
     * message leaves it; one statement where the database allows (PostgreSQL: one round trip, not two).
     */
    void appendMessage(Message message, Conversation after);

    /**
     * {@link #insertMessageIfNew} and, when it stored the message, {@link #updateActivity} with
     * {@code after}; false with nothing written for a re-send. One statement where the database allows.
     */
    boolean appendMessageIfNew(Message message, Conversation after);

    /** Messages with {@code seq > afterSeq}, in seq order, at most {@code limit}. */
    List<Message> messagesAfter(String conversationId, long afterSeq, int limit);

    /**
     * Visitor messages posted before {@code postedBefore} that are the last message of a conversation
     * still with the bot: questions the bot never answered (the server stopped between storing the
     * question and storing its answer), oldest first.
     */
    List<Message> unansweredQuestions(Instant postedBefore, int limit);

    Optional<Agent> agent(String id);

    Optional<Agent> agentByEmail(String email);

    /** Every agent and admin, by name. */
    List<Agent> agents();

    /**
     * The colleagues an agent's welcome lists, by name: every enabled account (pending invitations
     * included) except {@code agentId} that may serve {@code siteId}'s chats — installation-wide accounts
     * and that site's; with {@code siteId} null, every one. The same accounts in the same order as
     * {@link #agents()} filtered so, read as id and name only: an agent's hello runs on the domain thread.
     */
    List<AgentName> colleagueNames(String agentId, String siteId);

    void insertAgent(Agent agent);

    long countAgents();

    void insertToken(String tokenHash, String agentId, Instant expiresAt);

    /** The agent owning an unexpired token, with the token's expiry. */
    Optional<TokenOwner> tokenOwner(String tokenHash, Instant now);

    /** The agent owning an unexpired token. */
    default Optional<Agent> agentByToken(String tokenHash, Instant now) {
        return tokenOwner(tokenHash, now).map(TokenOwner::agent);
    }

    List<FaqEntry> faqEntries();

    void insertFaq(FaqEntry entry, Instant now);

    long countFaq();

    // ---- FAQ administration (V3)

    /**
     * Entries matching every given filter (null = any): locale, a tag, a text contained
     * (case-insensitively) in the id, question, paraphrases or answer, and enabled.
     */
    default List<StoredFaq> faqSearch(String locale, String tag, String text, Boolean enabled) {
        return faqSearch(locale, tag, text, enabled, null);
    }

    /** The same, also of one team when {@code team} is not null. */
    List<StoredFaq> faqSearch(String locale, String tag, String text, Boolean enabled, String team);

    Optional<StoredFaq> faq(String id);

    /** What the bot is trained on: enabled entries only. */
    List<FaqEntry> enabledFaqEntries();

    void insertStoredFaq(StoredFaq faq);

    /** Replaces the entry if it is still at {@code expectedVersion}; false when it is not (or gone). */
    boolean updateStoredFaq(StoredFaq faq, long expectedVersion);

    boolean deleteFaq(String id);

    /** The highest version the entry ever had, in the table or its history; 0 if never. */
    long lastFaqVersion(String id);

    void insertFaqRevision(FaqRevision revision);

    /** The entry's history, newest first. */
    List<FaqRevision> faqHistory(String id);

    Optional<FaqRevision> faqRevision(String id, long version);

    // ---- the agent's context packet (V10)

    /**
     * The bot's decision about the stored visitor message {@code turn.seq()} (on that message's row since
     * V58; a second decision replaces the first); a {@link StoreException} when no such message is stored.
     */
    void insertBotTurn(dev.sodam.server.model.BotTurn turn);

    /** The bot's turns in a conversation, in seq order. */
    List<dev.sodam.server.model.BotTurn> botTurns(String conversationId);

    /** The bot's turns asked in {@code [from, to)}, by conversation and seq (analytics, gap report). */
    List<dev.sodam.server.model.BotTurn> botTurns(Instant from, Instant to);

    /**
     * A visitor message the bot decided on, with the locale of its conversation: the language hint the
     * live bot read it with, which a replay must pass too.
     */
    record RecordedQuestion(String text, String locale, Instant at) {
    }

    /** The newest {@code limit} questions the bot decided on in {@code [from, to)}, newest first (the threshold what-if). */
    List<RecordedQuestion> recordedQuestions(Instant from, Instant to, int limit);

    void insertPageView(String visitorId, dev.sodam.server.model.PageView page);

    /** The visitor's most recent pages, newest first, at most {@code limit}. */
    List<dev.sodam.server.model.PageView> pageViews(String visitorId, int limit);

    /** The visitor's conversations, newest first, at most {@code limit}. */
    List<Conversation> conversationsOf(String visitorId, int limit);

    // ---- users, sessions, one-time tokens, audit, team edits (V20)

    /** Every account, disabled ones included, by name. */
    List<StoredUser> users();

    Optional<StoredUser> user(String id);

    /** Replaces name, role, site, limit and disabled if the account is still at {@code expectedVersion}. */
    boolean updateUser(StoredUser user, long expectedVersion, Instant now);

    void setPasswordHash(String agentId, String passwordHash, Instant now);

    /** Issues a session token with the metadata a user needs to recognise it later. */
    void insertSession(String tokenHash, String agentId, Instant createdAt, Instant expiresAt, String ip,
                       String userAgent);

    /** The account's unexpired sessions, newest first. */
    List<SessionInfo> sessions(String agentId, Instant now);

    /** Ends every session of the account; returns their token hashes. */
    List<String> deleteSessions(String agentId);

    /** Ends one session of the account; its token hash, or empty when there is no such session. */
    Optional<String> deleteSession(String agentId, String sessionId);

    /** Deletes expired tokens and one-time tokens. */
    int deleteExpiredTokens(Instant now);

    void insertOneTimeToken(String tokenHash, String agentId, String purpose, Instant expiresAt, Instant now);

    /** Uses up an unexpired one-time token: returns {agent id, purpose} and deletes it. */
    Optional<String[]> takeOneTimeToken(String tokenHash, Instant now);

    void deleteOneTimeTokens(String agentId);

    void insertAudit(AuditEntry entry);

    /** Audit rows matching the filter, newest first. */
    List<AuditEntry> audit(AuditEntry.Filter filter);

    /** The team's version, or 0 when there is no such team. */
    long teamVersion(String teamId);

    /** Rewrites the team with its tags and members if it is still at {@code expectedVersion}. */
    boolean replaceTeam(dev.sodam.server.model.Team team, long expectedVersion);

    /** Deletes the team, its tags and memberships; false if it did not exist. */
    boolean deleteTeam(String teamId);

    /** How many conversations (of any state) name the team. */
    long conversationsOfTeam(String teamId);

    /** Makes the agent an explicit member of exactly these teams (all-agents teams need no membership). */
    void setMemberships(String agentId, List<String> teamIds);

    // ---- conversation events (V26): the gap report and analytics

    void insertConversationEvent(ConversationEventRow row);

    /** Events with {@code from <= at < to}, oldest first; of one site when {@code siteId} is not null. */
    List<ConversationEventRow> conversationEvents(Instant from, Instant to, String siteId);

    /** Every event of one conversation, oldest first. */
    List<ConversationEventRow> conversationEvents(String conversationId);

    /**
     * When the newest {@code limit} accepts ({@code assigned} events) at or after {@code since} happened,
     * oldest first: the queue's throughput that routing's ETA starts from after a restart.
     */
    List<Instant> recentAssignments(Instant since, int limit);

    /** When an agent wrote in a conversation: per conversation and agent, the first time and the count. */
    record AgentActivity(String conversationId, String agentId, Instant firstAt, long messages) {
    }

    /** Agent messages of the conversations that had an event in {@code [from, to)}, summed per conversation and agent. */
    List<AgentActivity> agentActivity(Instant from, Instant to);

    // ---- settings and privacy (V21)

    /** A setting's JSON and version, or empty when it was never set. */
    Optional<Setting> setting(String key);

    /** Writes a setting if it is still at {@code expectedVersion} (0: not yet set); false otherwise. */
    boolean putSetting(String key, String json, long expectedVersion, Instant now, String by);

    /**
     * Deletes resolved conversations last active before {@code before}, with every row that refers to
     * them (messages, notes, and whatever later tables point at a conversation), then visitors left
     * without conversations who arrived before it. Returns {conversations, visitors} deleted.
     */
    long[] purgeResolvedBefore(Instant before);

    Optional<Visitor> visitor(String id);

    /** Deletes the visitor with their conversations and every row referring to either; false if unknown. */
    boolean deleteVisitor(String visitorId);

    /** A stored setting. */
    record Setting(String json, long version, Instant updatedAt) {
    }

    // ---- canned responses (V11)

    /** The agent's own responses, then the shared ones, each by shortcut and language. */
    List<dev.sodam.server.model.CannedResponse> cannedFor(String agentId);

    Optional<dev.sodam.server.model.CannedResponse> canned(String id);

    /** The response with the same owner (or shared), shortcut and language, if any. */
    Optional<dev.sodam.server.model.CannedResponse> cannedByKey(String ownerId, String shortcut, String locale);

    /** Inserts, or replaces the text of the response with the same id. */
    void saveCanned(dev.sodam.server.model.CannedResponse response);

    boolean deleteCanned(String id);

    // ---- labels and read receipts (V12)

    void updateLabels(String conversationId, List<String> labels);

    /** Raises the visitor's read mark; a lower one changes nothing. */
    void updateVisitorRead(String conversationId, long seq);
}
