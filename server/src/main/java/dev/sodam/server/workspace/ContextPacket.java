package dev.sodam.server.workspace;

import dev.sodam.server.conversation.ChatException;
import dev.sodam.server.conversation.ConversationService;
import dev.sodam.server.conversation.ErrorCode;
import dev.sodam.server.model.Agent;
import dev.sodam.server.model.Author;
import dev.sodam.server.model.BotTurn;
import dev.sodam.server.model.Conversation;
import dev.sodam.server.model.ConversationState;
import dev.sodam.server.model.Message;
import dev.sodam.server.model.PageView;
import dev.sodam.server.routing.Urgency;
import dev.sodam.server.store.StoreTx;
import dev.sodam.server.store.StoredFaq;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds the context packet an agent sees beside a chat that came from the bot (docs/protocol.md,
 * "Context packet"). Everything is read from what is stored — bot turns, messages, pages,
 * conversations — so the packet is the same after a restart.
 */
final class ContextPacket {
    /** The bot's part of a chat rarely runs long; the console shows it compactly. */
    private static final int MAX_TRANSCRIPT = 50;
    private static final int MAX_PAGES = 10;
    private static final int MAX_PREVIOUS = 10;

    private ContextPacket() {
    }

    /**
     * The packet, for an agent entitled to read the conversation: the one assigned, any agent while
     * it is queued (an offer is a queued chat), an admin always.
     */
    static Map<String, Object> build(StoreTx tx, Agent caller, String conversationId) {
        // Another site's conversation does not exist for this caller: the same 404 as an unknown id.
        Conversation c = tx.conversation(conversationId).filter(conversation -> caller.seesSite(conversation.siteId()))
                .orElseThrow(() -> new ChatException(ErrorCode.NOT_FOUND, "no such conversation"));
        boolean own = caller.id().equals(c.agentId());
        if (!own && !caller.supervises() && c.state() != ConversationState.QUEUED) {
            throw new ChatException(ErrorCode.FORBIDDEN, "conversation is not assigned to you");
        }
        List<BotTurn> turns = tx.botTurns(c.id());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("conversationId", c.id());
        body.put("state", c.state().wire());
        body.put("locale", c.locale());
        body.put("visitor", Map.of("id", c.visitorId(), "name", c.visitorName()));
        body.put("bot", turns.isEmpty() ? null : turnJson(turns.get(turns.size() - 1)));
        body.put("turns", turns.stream().map(ContextPacket::turnJson).toList());
        body.put("candidates", candidates(tx, turns));
        body.put("transcript", transcript(tx, c));
        Urgency.Signals signals = Urgency.signalsOf(ConversationService.recentMessages(tx, c));
        Map<String, Object> urgency = new LinkedHashMap<>();
        urgency.put("urgent", c.urgent() || signals.urgent());
        urgency.put("sentiment", signals.sentiment());
        urgency.put("botMisses", signals.botMisses());
        body.put("urgency", urgency);
        List<PageView> pages = tx.pageViews(c.visitorId(), MAX_PAGES);
        body.put("page", pages.isEmpty() ? null : pageJson(pages.get(0)));
        body.put("pages", pages.stream().map(ContextPacket::pageJson).toList());
        body.put("previous", tx.conversationsOf(c.visitorId(), MAX_PREVIOUS + 1).stream()
                .filter(p -> !p.id().equals(c.id())).limit(MAX_PREVIOUS).map(ContextPacket::previousJson).toList());
        return body;
    }

    private static Map<String, Object> turnJson(BotTurn t) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("seq", t.seq());
        json.put("question", t.question());
        json.put("decision", t.decision());
        json.put("reason", t.reason());
        json.put("intent", t.intent());
        json.put("confidence", t.confidence());
        json.put("faqId", t.faqId());
        json.put("at", t.at().toString());
        return json;
    }

    /**
     * The FAQ candidates of the bot's latest turn about a question (not "상담원 연결": a request for a
     * person says nothing about what the visitor needs), best first, each with its answer as stored
     * now (the console inserts it as a draft); an entry deleted since is left out.
     */
    private static List<Map<String, Object>> candidates(StoreTx tx, List<BotTurn> turns) {
        for (int i = turns.size() - 1; i >= 0; i--) {
            List<BotTurn.Candidate> found = turns.get(i).candidates();
            if (found.isEmpty() || turns.get(i).requestedPerson()) {
                continue;
            }
            List<Map<String, Object>> out = new ArrayList<>(found.size());
            for (BotTurn.Candidate candidate : found) {
                Optional<StoredFaq> entry = tx.faq(candidate.faqId());
                if (entry.isEmpty()) {
                    continue;
                }
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("faqId", candidate.faqId());
                json.put("question", candidate.question());
                json.put("score", candidate.score());
                json.put("answer", entry.get().answer());
                out.add(json);
            }
            return out;
        }
        return List.of();
    }

    /** The visitor's and the bot's messages until a person joined (the first agent message). */
    private static List<Map<String, Object>> transcript(StoreTx tx, Conversation c) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Message m : tx.messagesAfter(c.id(), 0, ConversationService.MAX_REPLAY)) {
            if (m.from().kind() == Author.Kind.AGENT || out.size() >= MAX_TRANSCRIPT) {
                break;
            }
            if (m.from().kind() == Author.Kind.SYSTEM) {
                continue;
            }
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("seq", m.seq());
            json.put("from", m.from().kind().wire());
            json.put("text", m.text());
            json.put("ts", m.ts().toString());
            out.add(json);
        }
        return out;
    }

    private static Map<String, Object> pageJson(PageView p) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("url", p.url());
        json.put("title", p.title());
        json.put("at", p.at().toString());
        return json;
    }

    private static Map<String, Object> previousJson(Conversation p) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", p.id());
        json.put("state", p.state().wire());
        json.put("createdAt", p.createdAt().toString());
        json.put("preview", p.preview());
        Map<String, Object> agent = null;
        if (p.agentId() != null) {
            agent = new LinkedHashMap<>();
            agent.put("id", p.agentId());
            agent.put("name", p.agentName());
        }
        json.put("agent", agent);
        return json;
    }
}
