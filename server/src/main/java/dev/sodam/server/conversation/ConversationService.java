package dev.sodam.server.conversation;

import dev.sodam.server.audit.Audit;
import dev.sodam.server.auth.Principal;
import dev.sodam.server.auth.Principal.AgentPrincipal;
import dev.sodam.server.auth.Principal.VisitorPrincipal;
import dev.sodam.server.event.ChatEvent;
import dev.sodam.server.event.ChatEvent.HandoffReason;
import dev.sodam.server.event.ChatEvent.Presence;
import dev.sodam.server.event.EventBus;
import dev.sodam.server.model.Action;
import dev.sodam.server.model.Agent;
import dev.sodam.server.model.Author;
import dev.sodam.server.model.BotTurn;
import dev.sodam.server.model.Conversation;
import dev.sodam.server.model.ConversationState;
import dev.sodam.server.model.Feedback;
import dev.sodam.server.model.Message;
import dev.sodam.server.model.Note;
import dev.sodam.server.model.Notice;
import dev.sodam.server.model.PageView;
import dev.sodam.server.model.Suggestion;
import dev.sodam.server.model.Visitor;
import dev.sodam.server.model.VisitorProfile;
import dev.sodam.server.routing.Availability;
import dev.sodam.server.routing.Router;
import dev.sodam.server.routing.RoutingSettings;
import dev.sodam.server.routing.Urgency;
import dev.sodam.server.store.AgentName;
import dev.sodam.server.store.ConversationEventRow;
import dev.sodam.server.store.Store;
import dev.sodam.server.store.StoreTx;
import dev.sodam.server.store.StoredUser;
import dev.sodam.server.util.Hashing;
import dev.sodam.server.util.Ids;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that changes conversations. Every call becomes a command on a single domain
 * thread; the thread takes all waiting commands as one batch, runs them in one transaction (each
 * in its own savepoint) and commits once — group commit — then, in order, answers each caller and
 * publishes its events. So:
 * <ul>
 *   <li>an answer (an ack) is only ever given for committed data;</li>
 *   <li>seq is assigned by one thread from the stored {@code last_seq}: gapless, no races;</li>
 *   <li>replies and broadcasts leave in commit order, which makes resume exact.</li>
 * </ul>
 * The thread blocks on SQLite I/O and must never be a Netty event loop.
 */
public final class ConversationService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ConversationService.class);
    /** Upper bound of commands per group commit; bounds the latency added to the first command. */
    private static final int MAX_BATCH = 512;
    /**
     * Longest a batch waits, before its commit, for bot decisions another thread is in the middle of.
     * A decision takes tens of microseconds (docs/benchmarks.md, BotBench); missing the batch costs
     * the answer a commit of its own (an fsync, ~3 ms on the benchmark machine) and everyone else in
     * the batch waits while we wait, so the bound is below one commit. Decisions nobody has started
     * are run here instead of waited for ({@link PendingBotAnswer}).
     */
    private static final long BOT_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    /**
     * Whether a bot thread can decide beside the domain thread: with one or two cores (the domain
     * thread, the event loops and the bot share them) another thread only runs by taking the core
     * from the domain thread, and the hand-over costs wake-ups and waits for nothing.
     */
    private static final boolean BOT_THREADS_RUN_BESIDE = Runtime.getRuntime().availableProcessors() > 2;
    /**
     * What a unit returns among its events when it changed the queue. The batch publishes one
     * {@link ChatEvent.QueueChanged} with the queue as committed, after the batch's other events: a
     * snapshot per unit made a batch of k handoffs hold k copies of an n-long queue until it was
     * published (k × n conversations: a flash crowd of 5,000 waiting visitors exhausted the heap).
     */
    private static final ChatEvent.QueueChanged QUEUE_CHANGED = new ChatEvent.QueueChanged(List.of());
    /** Longest replay in one answer; older history is fetched with further syncs. */
    public static final int MAX_REPLAY = 5_000;
    private static final int PREVIEW_CHARS = 120;

    private final Store store;
    private final EventBus bus;
    private final RoutingSettings routing;
    private final Clock clock;
    private final Ids ids;
    private final BlockingQueue<Command<?>> commands = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile CommitRecorder recorder = (tx, events) -> { };
    private volatile SendBurst sendBurst = SendBurst.NONE;
    /** Answers visitors in conversations that are still with the bot; null: no bot. */
    private volatile BotAnswerer botAnswerer;
    /** Who is connected and online, for transfers; the router where one runs on this node. */
    private volatile Availability availability = Availability.UNKNOWN;
    /** At most this many unanswered questions are asked again per start; older ones wait for the stale-chat rules. */
    private static final int UNANSWERED_PER_START = 10_000;
    /** Bot answers stored in their question's commit, and in a commit of their own after it. */
    private final LongAdder answersWithQuestion = new LongAdder();
    private final LongAdder answersLater = new LongAdder();
    /** When the store last failed a command (disk full, read-only, I/O); null once a command commits again. */
    private volatile Instant lastStoreFailure;

    /**
     * Writes durable records of a unit's events inside the unit's own transaction, so they commit
     * (or roll back) with the change they report: the webhook outbox.
     */
    @FunctionalInterface
    public interface CommitRecorder {
        void record(StoreTx tx, List<ChatEvent> events);
    }

    public ConversationService(Store store, EventBus bus, Clock clock, Ids ids, RoutingSettings routing) {
        this.store = store;
        this.bus = bus;
        this.routing = routing;
        this.clock = clock;
        this.ids = ids;
        this.thread = new Thread(this::loop, "sodam-domain");
        this.thread.setDaemon(false);
        this.thread.start();
    }

    /**
     * When the store last failed to commit a command, if no command that changed rows has committed since:
     * the store answers reads but cannot write (a full disk, a file system remounted read-only).
     */
    public Optional<Instant> lastStoreFailure() {
        return Optional.ofNullable(lastStoreFailure);
    }

    /**
     * Sets the bot that answers visitor messages in conversations still with the bot. Its answer is
     * stored in the same commit as the question whenever it is decided before that commit (the usual
     * case), otherwise in a commit of its own right after (docs/adr/0005-bot-answer-in-the-question-s-commit.md).
     */
    public void answerWith(BotAnswerer answerer) {
        this.botAnswerer = answerer;
    }

    /** How many bot answers were stored in their question's commit (the rest: {@link #botAnswersLater}). */
    public long botAnswersWithQuestion() {
        return answersWithQuestion.sum();
    }

    /** How many bot answers missed their question's commit and were stored in one of their own. */
    public long botAnswersLater() {
        return answersLater.sum();
    }

    /** Sets how what a batch sends after its commit (replies, event frames) leaves as one burst. */
    public void sendAfterCommitWith(SendBurst burst) {
        this.sendBurst = burst;
    }

    /**
     * Sets who answers "is this agent connected and online now?" for transfers: the router, which runs
     * on the domain thread as this service's commands do, so the answer is the state at the command.
     */
    public void checkAvailabilityWith(Availability presence) {
        this.availability = presence;
    }

    /** Sets the recorder that runs, inside the transaction, after every unit that produced events. */
    public void recordCommitsWith(CommitRecorder commitRecorder) {
        this.recorder = commitRecorder;
    }

    // ------------------------------------------------------------------ commands

    /** What a command did: its answer and the events to publish after commit. */
    private record Effect<T>(T value, List<ChatEvent> events) {
    }

    /** {@code conversationId}: the conversation the unit will read, when the caller knows it; else null. */
    private record Command<T>(String conversationId, Function<StoreTx, Effect<T>> unit, Reply<T> reply) {
        void complete(Effect<?> effect) {
            @SuppressWarnings("unchecked")
            T value = (T) effect.value();
            reply.ok(value);
        }
    }

    /** A visitor message of this batch the bot was asked about; {@code command} is its command's index. */
    private record AskedBot(int command, ChatEvent.MessagePosted question, PendingBotAnswer answer) {
    }

    private <T> void submit(Function<StoreTx, Effect<T>> unit, Reply<T> reply) {
        submit(null, unit, reply);
    }

    /** As above, for a unit that reads this conversation ({@link Store#writeBatch(List, java.util.Collection)}). */
    private <T> void submit(String conversationId, Function<StoreTx, Effect<T>> unit, Reply<T> reply) {
        if (!running) {
            reply.fail(new ChatException(ErrorCode.INTERNAL, "server is shutting down"));
            return;
        }
        commands.add(new Command<>(conversationId, unit, reply));
    }

    private void loop() {
        List<Command<?>> batch = new ArrayList<>();
        while (running || !commands.isEmpty()) {
            try {
                Command<?> first = commands.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                commands.drainTo(batch, MAX_BATCH - 1);
                runBatch(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.error("domain loop failure; the batch was answered with errors", e);
            } finally {
                batch.clear();
            }
        }
    }

    private void runBatch(List<Command<?>> batch) {
        List<Function<StoreTx, Effect<?>>> units = new ArrayList<>(batch.size() + 2);
        boolean[] queueChanged = {false};
        List<AskedBot> asked = new ArrayList<>();
        Set<String> conversations = new LinkedHashSet<>();
        for (int i = 0; i < batch.size(); i++) {
            Command<?> command = batch.get(i);
            if (command.conversationId() != null) {
                conversations.add(command.conversationId());
            }
            int index = i;
            units.add(tx -> {
                // A unit may run again (PostgreSQL: a race, a deadlock, a batch's second pass with savepoints),
                // and units run in order: what this and later commands asked the bot in a run that was rolled
                // back is void, or the bot would answer a question twice, or one that was never stored.
                asked.removeIf(question -> question.command() >= index);
                Effect<?> effect = command.unit().apply(tx);
                if (!effect.events().isEmpty()) {
                    recorder.record(tx, effect.events());
                    queueChanged[0] |= effect.events().stream().anyMatch(event -> event == QUEUE_CHANGED);
                    // Last, when nothing can roll this unit back any more but the batch's commit.
                    askBot(index, index < batch.size() - 1, effect.events(), asked);
                }
                return effect;
            });
        }
        // After every command: the bot's answers to this batch's questions, committed with them.
        units.add(tx -> answerInBatch(tx, asked, queueChanged));
        // Last in the same transaction: the queue as this batch commits it, read once.
        units.add(tx -> new Effect<>(queueChanged[0] ? tx.queue() : null, List.of()));
        List<Store.Outcome<Effect<?>>> outcomes = store.writeBatch(units, conversations);
        SendBurst burst = sendBurst;
        boolean bursting = burst.begin();
        try {
            afterCommit(batch, outcomes, asked);
        } finally {
            if (bursting) {
                burst.end();
            }
        }
        // The acks and deliveries are with the event loops: only commands queued since wait for this.
        store.afterBatch(batch.size());
    }

    /** Replies, events and later bot answers of a committed batch, in the batch's order. */
    private void afterCommit(List<Command<?>> batch, List<Store.Outcome<Effect<?>>> outcomes, List<AskedBot> asked) {
        Store.Outcome<Effect<?>> botAnswers = outcomes.get(batch.size());
        BitSet answered = botAnswers.ok() ? (BitSet) botAnswers.value().value() : new BitSet();
        // Counted before the replies complete, so that whoever waits for a reply sees its batch counted
        // (a test read the count right after its question's reply, and under load found 0).
        answersWithQuestion.add(answered.cardinality());
        for (int i = 0; i < batch.size(); i++) {
            Command<?> command = batch.get(i);
            Store.Outcome<Effect<?>> outcome = outcomes.get(i);
            if (outcome.ok()) {
                if (outcome.changedRows()) {
                    // Only a commit that wrote proves the disk writable again: the clock's tick every second
                    // and other reads commit even on a read-only disk, and made readiness UP within a second
                    // of a failed write.
                    lastStoreFailure = null;
                }
                command.complete(outcome.value());
                publish(outcome.value().events());
            } else if (outcome.failure() instanceof ChatException refusal) {
                command.reply().fail(refusal);
            } else {
                lastStoreFailure = clock.instant();
                log.error("command failed", outcome.failure());
                command.reply().fail(new ChatException(ErrorCode.INTERNAL, "internal error; nothing was stored"));
            }
        }
        if (botAnswers.ok()) {
            publish(botAnswers.value().events());
        } else {
            log.warn("bot answers not stored with their questions; each follows in a commit of its own",
                    botAnswers.failure());
        }
        for (int i = 0; i < asked.size(); i++) {
            // A question that is stored but not yet answered: its answer follows in a later commit.
            if (!answered.get(i) && outcomes.get(asked.get(i).command()).ok()) {
                answerLater(asked.get(i));
            }
        }
        Store.Outcome<Effect<?>> queue = outcomes.get(batch.size() + 1);
        if (!queue.ok()) {
            // Routing and the visitors' places keep the queue as it was before this batch. A failed commit
            // fails every unit with one exception, already logged with the commands.
            if (queue.failure() != outcomes.get(0).failure()) {
                log.error("the queue as this batch committed it could not be read", queue.failure());
            }
        } else if (queue.value().value() instanceof List<?> committed) {
            @SuppressWarnings("unchecked")
            List<Conversation> conversations = (List<Conversation>) committed;
            bus.publish(new ChatEvent.QueueChanged(conversations));
        }
    }

    private void publish(List<ChatEvent> events) {
        for (ChatEvent event : events) {
            if (event != QUEUE_CHANGED) {
                bus.publish(event);
            }
        }
    }

    // ------------------------------------------------------------------ the bot's turn

    /**
     * Asks the bot about each visitor message among a unit's events that is in a conversation still
     * with the bot. When more commands follow in the batch the decision starts now on the bot's
     * executor, beside them; after the last command the domain thread is about to store the answers
     * and makes the decision itself, without waking another thread.
     */
    private void askBot(int command, boolean moreFollow, List<ChatEvent> events, List<AskedBot> asked) {
        BotAnswerer answerer = botAnswerer;
        if (answerer == null) {
            return;
        }
        for (ChatEvent event : events) {
            if (event instanceof ChatEvent.MessagePosted posted && posted.message().from().kind() == Author.Kind.VISITOR
                    && posted.conversation().state() == ConversationState.BOT) {
                PendingBotAnswer answer = answerer.answer(posted.conversation(), posted.message(), posted.pickedFaqId());
                if (moreFollow && BOT_THREADS_RUN_BESIDE) {
                    answer.startElsewhere();
                }
                asked.add(new AskedBot(command, posted, answer));
            }
        }
    }

    /**
     * The batch's bot answers, stored after all its commands so that each follows its question (and
     * sees what the batch did to the conversation: a handoff in the same batch silences the bot).
     * Answers not decided in time are left out; the caller stores them later. If this unit fails it
     * is rolled back as a whole and every answer is stored later, one commit each.
     * The value is the set of {@code asked} indices answered here.
     */
    private Effect<BitSet> answerInBatch(StoreTx tx, List<AskedBot> asked, boolean[] queueChanged) {
        BitSet answered = new BitSet();
        if (asked.isEmpty()) {
            return new Effect<>(answered, List.of());
        }
        long deadline = System.nanoTime() + BOT_WAIT_NANOS;
        List<ChatEvent> events = new ArrayList<>();
        for (int i = 0; i < asked.size(); i++) {
            AskedBot question = asked.get(i);
            BotAnswer answer = question.answer().await(deadline);
            if (answer != null) {
                events.addAll(storeBotAnswer(tx, question.question(), answer));
                answered.set(i);
            }
        }
        if (!events.isEmpty()) {
            recorder.record(tx, events);
            queueChanged[0] |= events.contains(QUEUE_CHANGED);
        }
        return new Effect<>(answered, events);
    }

    /** A visitor's question the bot never answered, and its conversation as stored. */
    private record Unanswered(Conversation conversation, Message question) {
    }

    /**
     * Asks the bot again about every question it never answered: those posted before
     * {@code postedBefore} that are still the last message of a conversation with the bot. A server
     * stopped (or killed) after a question's commit and before its answer's would otherwise leave
     * that visitor waiting for a bot that never speaks. Each answer (or handoff) is stored in a
     * commit of its own, as for an answer that missed its question's batch. Called once at start;
     * returns how many questions were asked again.
     */
    public int answerUnanswered(Instant postedBefore) {
        BotAnswerer answerer = botAnswerer;
        if (answerer == null) {
            return 0;
        }
        List<Unanswered> found = Replies.<List<Unanswered>>future(reply -> execute(tx ->
                tx.unansweredQuestions(postedBefore, UNANSWERED_PER_START).stream()
                        .flatMap(question -> tx.conversation(question.conversationId()).stream()
                                .map(conversation -> new Unanswered(conversation, question)))
                        .toList(), reply)).join();
        for (Unanswered unanswered : found) {
            PendingBotAnswer answer = answerer.answer(unanswered.conversation(), unanswered.question(), null);
            answer.startElsewhere();
            answerLater(new AskedBot(-1, new ChatEvent.MessagePosted(unanswered.conversation(), unanswered.question(), null), answer));
        }
        if (!found.isEmpty()) {
            log.info("bot: asking again about {} question(s) left unanswered by the last stop", found.size());
        }
        return found.size();
    }

    /** An answer that missed its question's commit: stored in a command of its own once it is decided. */
    private void answerLater(AskedBot question) {
        String conversationId = question.question().conversation().id();
        Reply<Void> logged = Replies.of(done -> { }, error ->
                log.warn("bot answer for {} not stored: {}", conversationId, error.getMessage()));
        question.answer().result().whenComplete((answer, failure) -> {
            if (failure != null) {
                log.warn("the bot failed on a message in {}; handing it to a person", conversationId, failure);
            }
            BotAnswer stored = failure != null ? BotAnswer.handoff(null, HandoffReason.BOT_UNSURE) : answer;
            answersLater.increment();
            submit(tx -> new Effect<Void>(null, storeBotAnswer(tx, question.question(), stored)), logged);
        });
    }

    /**
     * Stores what the bot decided and then its message or its handoff. The decision is stored whatever
     * the conversation's state (a handoff is a decision too); the message only while the conversation
     * is still with the bot, and the handoff only while it is open: once a person is involved, or the
     * conversation is closed, the bot stays silent.
     */
    private List<ChatEvent> storeBotAnswer(StoreTx tx, ChatEvent.MessagePosted question, BotAnswer answer) {
        Optional<Conversation> found = tx.conversation(question.conversation().id());
        if (found.isEmpty()) {
            // Deleted while the bot decided (a visitor's data, on request): there is nothing to answer,
            // and the question's row the turn would go on is gone with it — not an error.
            return List.of();
        }
        Conversation stored = found.get();
        if (answer.turn() != null) {
            tx.insertBotTurn(answer.turn());
        }
        if (answer.handoff() != null) {
            return stored.state().isOpen() ? handoff(tx, stored, answer.handoff(), null).events() : List.of();
        }
        if (stored.state() != ConversationState.BOT) {
            return List.of();
        }
        BotAnswer.BotMessage message = answer.message();
        Conversation conversation = message.topic() == null ? stored : stored.aboutTopic(message.topic());
        Results.Posted posted = append(tx, conversation, null, Author.bot(conversation.locale()), message.text(),
                message.suggestions(), message.actions(), message.notice(), clock.instant());
        return List.of(new ChatEvent.MessagePosted(posted.conversation(), posted.message(), null));
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // A command that passed the running check just as the loop ended: answer it, never drop it.
        for (Command<?> late = commands.poll(); late != null; late = commands.poll()) {
            late.reply().fail(new ChatException(ErrorCode.INTERNAL, "server is shutting down"));
        }
    }

    // ------------------------------------------------------------------ hello

    /**
     * A visitor connects. With no token a new visitor is created and a token issued; an unknown
     * token is refused ({@code unauthorized}) so the client can start afresh.
     */
    public void helloVisitor(String siteId, String visitorToken, String locale, String resumeConversationId,
                             long resumeAfterSeq, Reply<Results.VisitorHello> reply) {
        submit(tx -> {
            Instant now = clock.instant();
            if (tx.site(siteId).isEmpty()) {
                throw new ChatException(ErrorCode.NOT_FOUND, "unknown site '" + siteId + "'");
            }
            Visitor visitor;
            String token = visitorToken;
            if (token == null) {
                token = ids.secret("vt_");
                String id = ids.next("vi_");
                visitor = new Visitor(id, siteId, visitorName(id, locale), locale, now);
                tx.insertVisitor(visitor, Hashing.sha256Hex(token));
            } else {
                visitor = tx.visitorByTokenHash(Hashing.sha256Hex(token))
                        .filter(v -> v.siteId().equals(siteId))
                        .orElseThrow(() -> new ChatException(ErrorCode.UNAUTHORIZED,
                                "unknown visitor token; say hello without one to start afresh"));
            }
            Conversation open = tx.openConversationOf(visitor.id()).orElse(null);
            int position = open == null ? 0 : queuePosition(tx, open);
            List<Message> replay = List.of();
            List<Feedback> feedback = List.of();
            boolean resumeNotFound = false;
            if (resumeConversationId != null) {
                Optional<Conversation> resumed = tx.conversation(resumeConversationId)
                        .filter(c -> c.visitorId().equals(visitor.id()));
                if (resumed.isPresent()) {
                    replay = tx.messagesAfter(resumeConversationId, resumeAfterSeq, MAX_REPLAY);
                    // A page load replays everything: the visitor's earlier ratings come along.
                    feedback = resumeAfterSeq == 0 ? tx.feedback(resumeConversationId) : List.of();
                } else {
                    resumeNotFound = true;
                }
            }
            return new Effect<>(new Results.VisitorHello(visitor, token, open, position, replay, resumeNotFound,
                    feedback),
                    List.of());
        }, reply);
    }

    private static String visitorName(String visitorId, String locale) {
        int number = Math.floorMod(visitorId.hashCode(), 9000) + 1000;
        return ("ko".equals(locale) ? "방문자 " : "Visitor ") + number;
    }

    /** An agent connects with a login token. */
    public void helloAgent(String token, Reply<Results.AgentHello> reply) {
        submit(tx -> {
            Agent agent = tx.agentByToken(Hashing.sha256Hex(token), clock.instant())
                    .orElseThrow(() -> new ChatException(ErrorCode.UNAUTHORIZED, "unknown or expired token; log in again"));
            // An account of one site sees that site's queue only (and colleagues who may serve it). Names
            // only, filtered by the database: every hello of every agent reads this list.
            List<AgentName> colleagues = tx.colleagueNames(agent.id(), agent.siteId());
            List<Conversation> queue = tx.queue().stream().filter(c -> agent.seesSite(c.siteId())).toList();
            return new Effect<>(new Results.AgentHello(agent, queue, tx.assignedTo(agent.id()), colleagues,
                    tx.teams()), List.of());
        }, reply);
    }

    // ------------------------------------------------------------------ messages

    /**
     * Stores a message from a visitor or an agent. A repeated {@code clientMsgId} in the same
     * conversation answers with the original message and stores nothing.
     *
     * @param conversationId null for a visitor's open conversation (created if none)
     * @param faqId          the FAQ entry a visitor picked from suggestions, or null
     */
    public void post(Principal caller, String conversationId, String clientMsgId, String text, String faqId,
                     Reply<Results.Posted> reply) {
        post(caller, conversationId, clientMsgId, text, faqId, false, reply);
    }

    /**
     * As above; with {@code handoff} the visitor also asks for a person in the same step (the
     * offline form's message), so the bot never answers that message: it reaches the queue as it is.
     */
    public void post(Principal caller, String conversationId, String clientMsgId, String text, String faqId,
                     boolean handoff, Reply<Results.Posted> reply) {
        if (handoff && !(caller instanceof VisitorPrincipal)) {
            reply.fail(new ChatException(ErrorCode.FORBIDDEN, "only visitors ask for a person"));
            return;
        }
        // Masked before it is stored: the database, the console and the bot never see the raw numbers.
        String stored = masking.apply(text);
        submit(conversationId, tx -> {
            Instant now = clock.instant();
            List<ChatEvent> events = new ArrayList<>(2);
            Conversation conversation = target(tx, caller, conversationId, clientMsgId, now, events);
            Results.Posted posted = appendUnlessResent(tx, conversation, clientMsgId, authorIn(conversation, caller),
                    stored, now);
            if (posted == null) {
                Message original = tx.messageByClientMsgId(conversation.id(), clientMsgId).orElseThrow();
                return new Effect<>(new Results.Posted(conversation, original, true), List.of());
            }
            if (handoff && posted.conversation().state() == ConversationState.BOT) {
                Effect<Conversation> queued = handoff(tx, posted.conversation(), HandoffReason.VISITOR_ASKED, null);
                // The message is announced as part of the queued conversation, so the bot leaves it alone.
                events.add(new ChatEvent.MessagePosted(queued.value(), posted.message(), faqId));
                events.addAll(queued.events());
                return new Effect<>(new Results.Posted(queued.value(), posted.message(), false), events);
            }
            events.add(new ChatEvent.MessagePosted(posted.conversation(), posted.message(), faqId));
            return new Effect<>(posted, events);
        }, reply);
    }

    /**
     * Stores a message an integration (an API key) writes into an open conversation of its site,
     * shown as {@code author}. Like {@link #post}, a repeated {@code clientMsgId} answers with the
     * original message; a foreign conversation is reported as missing.
     */
    public void postFromIntegration(String siteId, String conversationId, Author author, String clientMsgId,
                                    String text, Reply<Results.Posted> reply) {
        submit(tx -> {
            Conversation conversation = ofSite(tx, siteId, conversationId);
            if (clientMsgId != null) {
                Optional<Message> earlier = tx.messageByClientMsgId(conversation.id(), clientMsgId);
                if (earlier.isPresent()) {
                    return new Effect<>(new Results.Posted(conversation, earlier.get(), true), List.of());
                }
            }
            if (!conversation.state().isOpen()) {
                throw new ChatException(ErrorCode.CONFLICT, "conversation is resolved");
            }
            Results.Posted posted = append(tx, conversation, clientMsgId, author, masking.apply(text), List.of(),
                    List.of(), clock.instant());
            Audit.write(tx, posted.message().ts(), author.id(), author.name(), siteId, "conversation.message",
                    "conversation", conversation.id(), null, Map.of("messageId", posted.message().id(),
                            "seq", posted.message().seq(), "kind", author.kind().wire()));
            return new Effect<>(posted, List.of(new ChatEvent.MessagePosted(posted.conversation(), posted.message(), null)));
        }, reply);
    }

    /**
     * Stores an image (already checked: type from its bytes, size) and the message that shows it, like
     * {@link #post}: same targets, same clientMsgId dedupe, same events. The caller checked the bytes.
     */
    public void postAttachment(Principal caller, String conversationId, String clientMsgId, String contentType,
                               byte[] data, Reply<Results.Posted> reply) {
        submit(conversationId, tx -> {
            Instant now = clock.instant();
            List<ChatEvent> events = new ArrayList<>(2);
            Conversation conversation = target(tx, caller, conversationId, clientMsgId, now, events);
            Optional<Message> earlier = earlier(tx, conversation, clientMsgId);
            if (earlier.isPresent()) {
                return new Effect<>(new Results.Posted(conversation, earlier.get(), true), List.of());
            }
            Author author = authorIn(conversation, caller);
            dev.sodam.server.model.Attachment attachment =
                    new dev.sodam.server.model.Attachment(ids.next("at_"), contentType, data.length);
            long seq = conversation.lastSeq() + 1;
            String text = dev.sodam.server.model.Attachment.caption(conversation.locale());
            Message message = new Message(ids.next("m_"), conversation.id(), seq, clientMsgId, author, text, now,
                    List.of(), List.of(), null, attachment);
            Conversation updated = after(conversation, message);
            tx.appendMessage(message, updated);
            tx.insertAttachment(message.id(), conversation.id(), attachment, data, now);
            events.add(new ChatEvent.MessagePosted(updated, message, null));
            return new Effect<>(new Results.Posted(updated, message, false), events);
        }, reply);
    }

    /**
     * An image for whoever may read its conversation (the visitor who owns it; the assigned agent,
     * admins, any agent while it is queued). Blocking read on a reader connection; a stranger gets
     * {@code not_found}, as for conversations.
     */
    public StoreTx.StoredAttachment readAttachment(Principal caller, String attachmentId) {
        return store.read(tx -> {
            StoreTx.StoredAttachment found = tx.attachment(attachmentId)
                    .orElseThrow(() -> new ChatException(ErrorCode.NOT_FOUND, "no such attachment"));
            try {
                entitled(tx, caller, found.conversationId(), true);
            } catch (ChatException e) {
                throw new ChatException(ErrorCode.NOT_FOUND, "no such attachment");
            }
            return found;
        });
    }

    /**
     * The conversation a visitor's or agent's message goes to (a visitor's may be started here). A
     * repeated clientMsgId of a message already stored there gets that conversation even when it is
     * resolved now, so the re-send is answered with the original ack rather than {@code conflict}
     * (the client would otherwise take the message as unsent and send it again elsewhere).
     */
    private Conversation target(StoreTx tx, Principal caller, String conversationId, String clientMsgId, Instant now,
                                List<ChatEvent> events) {
        return caller instanceof VisitorPrincipal v
                ? visitorTarget(tx, v.visitor(), conversationId, clientMsgId, now, events)
                : agentTarget(tx, (AgentPrincipal) caller, conversationId, clientMsgId);
    }

    /** The message stored earlier under this clientMsgId, if any: a re-send gets the original. */
    private static Optional<Message> earlier(StoreTx tx, Conversation conversation, String clientMsgId) {
        return clientMsgId == null ? Optional.empty() : tx.messageByClientMsgId(conversation.id(), clientMsgId);
    }

    /** A visitor's name is read from storage with the conversation: identify() may have changed it. */
    private static Author authorIn(Conversation conversation, Principal caller) {
        return caller instanceof VisitorPrincipal v
                ? new Author(Author.Kind.VISITOR, v.visitor().id(), conversation.visitorName())
                : caller.author();
    }

    private Conversation visitorTarget(StoreTx tx, Visitor visitor, String conversationId, String clientMsgId,
                                       Instant now, List<ChatEvent> events) {
        if (conversationId != null) {
            Conversation conversation = ownedBy(tx, visitor, conversationId);
            if (!conversation.state().isOpen() && earlier(tx, conversation, clientMsgId).isEmpty()) {
                throw new ChatException(ErrorCode.CONFLICT,
                        "conversation is resolved; send without conversationId to start a new one");
            }
            return conversation;
        }
        Optional<Conversation> open = tx.openConversationOf(visitor.id());
        if (open.isPresent()) {
            return open.get();
        }
        String name = tx.visitorProfile(visitor.id()).map(VisitorProfile::name).orElse(visitor.name());
        Conversation started = new Conversation(ids.next("cv_"), visitor.siteId(), visitor.id(), name,
                visitor.locale(), ConversationState.BOT, null, null, 0, "", null, now, now, null, null, false, List.of(), 0);
        tx.insertConversation(started);
        tx.insertConversationEvent(ConversationEventRow.of(started.id(), started.siteId(), "started", now));
        events.add(new ChatEvent.ConversationStarted(started));
        return started;
    }

    private static Conversation ownedBy(StoreTx tx, Visitor visitor, String conversationId) {
        // A foreign conversation is reported as missing: never a hint that it exists.
        return tx.conversation(conversationId)
                .filter(c -> c.visitorId().equals(visitor.id()))
                .orElseThrow(() -> new ChatException(ErrorCode.NOT_FOUND, "no such conversation"));
    }

    private static Conversation agentTarget(StoreTx tx, AgentPrincipal agent, String conversationId,
                                            String clientMsgId) {
        if (conversationId == null) {
            throw new ChatException(ErrorCode.BAD_REQUEST, "field 'conversationId' is required for agents");
        }
        Conversation conversation = visibleTo(tx, agent, conversationId);
        if (conversation.state() != ConversationState.ASSIGNED || !agent.agent().id().equals(conversation.agentId())) {
            // Looked up only here, off the path of every agent message (whose re-send check is the insert's).
            Optional<Message> earlier = earlier(tx, conversation, clientMsgId);
            if (earlier.isPresent() && earlier.get().from().id().equals(agent.agent().id())) {
                return conversation; // their own re-send: the original ack, whatever became of the chat
            }
            throw new ChatException(ErrorCode.FORBIDDEN, "conversation is not assigned to you; accept it first");
        }
        return conversation;
    }

    private Results.Posted append(StoreTx tx, Conversation conversation, String clientMsgId, Author from, String text,
                                  List<Suggestion> suggestions, List<Action> actions, Instant now) {
        return append(tx, conversation, clientMsgId, from, text, suggestions, actions, null, now);
    }

    private Results.Posted append(StoreTx tx, Conversation conversation, String clientMsgId, Author from, String text,
                                  List<Suggestion> suggestions, List<Action> actions, Notice notice, Instant now) {
        Message message = new Message(ids.next("m_"), conversation.id(), conversation.lastSeq() + 1, clientMsgId, from,
                text, now, suggestions, actions, notice);
        Conversation updated = after(conversation, message);
        tx.appendMessage(message, updated);
        return new Results.Posted(updated, message, false);
    }

    /**
     * Like {@link #append}, but null, with nothing stored, when the conversation already holds a message
     * with this {@code clientMsgId} (a re-send). Inserting first spares every message a lookup that
     * finds nothing but for re-sends: that lookup was a tenth of the domain thread's time per message.
     */
    private Results.Posted appendUnlessResent(StoreTx tx, Conversation conversation, String clientMsgId, Author from,
                                              String text, Instant now) {
        Message message = new Message(ids.next("m_"), conversation.id(), conversation.lastSeq() + 1, clientMsgId, from,
                text, now, List.of(), List.of(), null);
        Conversation updated = after(conversation, message);
        return tx.appendMessageIfNew(message, updated) ? new Results.Posted(updated, message, false) : null;
    }

    /** The conversation as {@code message} leaves it: its seq, preview and time. */
    private static Conversation after(Conversation conversation, Message message) {
        return conversation.withMessage(message.seq(), preview(message.text()), message.ts());
    }

    /**
     * The conversation list's one-line preview: the text stripped, each run of whitespace made one
     * space, cut to {@link #PREVIEW_CHARS} with an ellipsis. Only the first characters are looked at:
     * it runs on the domain thread for every message, and a regex over the whole text was a fifth of
     * that thread's time in the bot benchmark (docs/benchmarks.md).
     */
    static String preview(String text) {
        String stripped = text.strip();
        StringBuilder flat = new StringBuilder(Math.min(stripped.length(), PREVIEW_CHARS + 1));
        boolean inSpace = false;
        for (int i = 0; i < stripped.length() && flat.length() <= PREVIEW_CHARS; i++) {
            char c = stripped.charAt(i);
            if (isRegexSpace(c)) {
                if (!inSpace) {
                    flat.append(' ');
                    inSpace = true;
                }
            } else {
                flat.append(c);
                inSpace = false;
            }
        }
        return flat.length() <= PREVIEW_CHARS ? flat.toString() : flat.substring(0, PREVIEW_CHARS - 1) + "…";
    }

    /** What the regex {@code \s} matches (ASCII whitespace): the preview has always collapsed exactly these. */
    private static boolean isRegexSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
    }

    /**
     * Stores a bot reply, but only while the conversation is still with the bot: once a person is
     * involved the bot stays silent. Answers with null when the reply was dropped for that reason.
     */
    public void postBotReply(String conversationId, String text, List<Suggestion> suggestions, List<Action> actions,
                             Reply<Results.Posted> reply) {
        postBotReply(conversationId, text, suggestions, actions, null, reply);
    }

    /** As above, remembering the FAQ topic (tag) the reply is about, so a later handoff finds its team. */
    public void postBotReply(String conversationId, String text, List<Suggestion> suggestions, List<Action> actions,
                             String topic, Reply<Results.Posted> reply) {
        postBotReply(conversationId, text, null, suggestions, actions, topic, reply);
    }

    /** As above, with the notice code of a fixed bot text ("이런 질문을 찾으셨나요?"), or null for an FAQ answer. */
    public void postBotReply(String conversationId, String text, Notice notice, List<Suggestion> suggestions,
                             List<Action> actions, String topic, Reply<Results.Posted> reply) {
        submit(tx -> {
            Conversation stored = tx.conversation(conversationId)
                    .orElseThrow(() -> new ChatException(ErrorCode.NOT_FOUND, "no such conversation"));
            if (stored.state() != ConversationState.BOT) {
                return new Effect<Results.Posted>(null, List.of());
            }
            Conversation conversation = topic == null ? stored : stored.aboutTopic(topic);
            Results.Posted posted = append(tx, conversation, null, Author.bot(conversation.locale()), text, suggestions,
                    actions, notice, clock.instant());
            return new Effect<>(posted, List.of(new ChatEvent.MessagePosted(posted.conversation(), posted.message(), null)));
        }, reply);
    }

    /**
     * Remembers what the bot decided about a visitor message (intent, confidence, FAQ candidates),
     * for the agent's context packet. Stored whatever the conversation's state: a handoff is a decision too.
     */
    public void recordBotTurn(BotTurn turn, Reply<BotTurn> reply) {
        submit(tx -> {
            tx.insertBotTurn(turn);
            return new Effect<>(turn, List.of());
        }, reply);
    }

    /**
     * The page the visitor's widget is on (origin and path). A reload of the same page adds nothing;
     * the context packet shows the latest pages.
     */
    public void visitorPage(VisitorPrincipal visitor, String url, String title, Reply<PageView> reply) {
        submit(tx -> {
            PageView page = new PageView(url, title, clock.instant());
            List<PageView> last = tx.pageViews(visitor.visitor().id(), 1);
            if (last.isEmpty() || !last.get(0).url().equals(url) || !last.get(0).title().equals(title)) {
                tx.insertPageView(visitor.visitor().id(), page);
            }
            return new Effect<>(page, List.of());
        }, reply);
    }

    /** Stores a system notice (handoff, agent joined, resolved) in any state. */
    public void postSystem(String conversationId, String text, Reply<Results.Posted> reply) {
        postSystem(conversationId, text, null, reply);
    }

    /** As above, with the notice's code and parameters, so clients can say it in the visitor's current language. */
    public void postSystem(String conversationId, String text, Notice notice, Reply<Results.Posted> reply) {
        submit(tx -> {
            Conversation conversation = tx.conversation(conversationId)
                    .orElseThrow(() -> new ChatException(ErrorCode.NOT_FOUND, "no such conversation"));
            Results.Posted posted = append(tx, conversation, null, Author.system(conversation.locale()), text, List.of(),
                    List.of(), notice, clock.instant());
            return new Effect<>(posted, List.of(new ChatEvent.MessagePosted(posted.conversation(), posted.message(), null)));
        }, reply);
    }

    // ------------------------------------------------------------------ state changes

    /**
     * BOT → QUEUED. Asking again while queued or assigned is harmless and changes nothing.
     *
     * @param caller the visitor (a handoff frame) or null when the bot decided
     */
    public void requestHandoff(Principal caller, String conversationId, HandoffReason reason,
                               Reply<Conversation> reply) {
        requestHandoff(caller, conversationId, reason, null, reply);
    }

    /**
     * BOT → QUEUED for the team serving {@code topic} (an FAQ tag), or for the team of the topic the
     * bot last answered about when {@code topic} is null; no team means any agent.
     */
    public void requestHandoff(Principal caller, String conversationId, HandoffReason reason, String topic,
                               Reply<Conversation> reply) {
        submit(tx -> {
            if (caller instanceof AgentPrincipal agent) {
                visibleTo(tx, agent, requireId(conversationId));
                throw new ChatException(ErrorCode.FORBIDDEN, "only visitors ask for a person");
            }
            // The visitor asks for their own conversation; the bot (no caller) for the one it serves.
            Conversation conversation = caller instanceof VisitorPrincipal v
                    ? ownedBy(tx, v.visitor(), requireId(conversationId))
                    : tx.conversation(requireId(conversationId))
                            .orElseThrow(() -> new ChatException(ErrorCode.NOT_FOUND, "no such conversation"));
            return handoff(tx, conversation, reason, topic);
        }, reply);
    }

    /**
     * BOT → QUEUED asked by an integration (an API key of the conversation's site), like a visitor's
     * handoff: the same queue, team choice, events and webhooks; audited as the key.
     */
    public void handoffFromIntegration(String siteId, String conversationId, Author by, String topic,
                                       Reply<Conversation> reply) {
        submit(tx -> {
            Conversation conversation = ofSite(tx, siteId, conversationId);
            Effect<Conversation> effect = handoff(tx, conversation, HandoffReason.INTEGRATION, topic);
            if (!effect.events().isEmpty()) {
                Audit.write(tx, clock.instant(), by.id(), by.name(), siteId, "conversation.handoff", "conversation",
                        conversation.id(), Map.of("state", conversation.state().wire()), Map.of("state", "queued"));
            }
            return effect;
        }, reply);
    }

    /**
     * → RESOLVED by an integration, from any open state (it speaks for the site, like an admin);
     * a resolved conversation is 409. Audited as the key; the {@code conversation.resolved} webhook follows.
     */
    public void resolveFromIntegration(String siteId, String conversationId, Author by, Reply<Conversation> reply) {
        submit(tx -> {
            Conversation conversation = ofSite(tx, siteId, conversationId);
            if (!conversation.state().isOpen()) {
                throw new ChatException(ErrorCode.CONFLICT, "conversation is already resolved");
            }
            boolean wasQueued = conversation.state() == ConversationState.QUEUED;
            Conversation resolved = move(conversation, ConversationState.RESOLVED)
                    .withState(ConversationState.RESOLVED, clock.instant());
            tx.updateConversation(resolved);
            tx.insertConversationEvent(ConversationEventRow.of(resolved.id(), resolved.siteId(), "resolved",
                    resolved.updatedAt()).withAgent(conversation.agentId(), resolved.teamId()).withReason("integration"));
            Audit.write(tx, resolved.updatedAt(), by.id(), by.name(), siteId, "conversation.resolve", "conversation",
                    resolved.id(), Map.of("state", conversation.state().wire()), Map.of("state", "resolved"));
            List<ChatEvent> events = new ArrayList<>(2);
            events.add(new ChatEvent.ConversationResolved(resolved, by));
            if (wasQueued) {
                events.add(QUEUE_CHANGED);
            }
            return new Effect<>(resolved, events);
        }, reply);
    }

    /** A conversation of {@code siteId}; another site's is reported as missing, never as existing. */
    private static Conversation ofSite(StoreTx tx, String siteId, String conversationId) {
        return tx.conversation(requireId(conversationId)).filter(c -> c.siteId().equals(siteId))
                .orElseThrow(() -> new ChatException(ErrorCode.NOT_FOUND, "no such conversation"));
    }

    private Effect<Conversation> handoff(StoreTx tx, Conversation conversation, HandoffReason reason, String topic) {
        switch (conversation.state()) {
            case QUEUED, ASSIGNED -> {
                return new Effect<>(conversation, List.of());
            }
            case RESOLVED -> throw new ChatException(ErrorCode.CONFLICT, "conversation is resolved");
            case BOT -> {
                // the transition itself follows
            }
        }
        String about = topic != null ? topic : conversation.topic();
        Conversation queued = move(conversation, ConversationState.QUEUED).queued(queueEntryTime(tx))
                .forTeam(about == null ? null : tx.teamForTag(about))
                .markedUrgent(urgent(tx, conversation));
        tx.updateConversation(queued);
        tx.insertConversationEvent(ConversationEventRow.of(queued.id(), queued.siteId(), "handoff", clock.instant())
                .withAgent(null, queued.teamId()).withReason(reason.name().toLowerCase(java.util.Locale.ROOT)));
        return new Effect<>(queued, List.of(
                new ChatEvent.HandoffRequested(queued, reason, tx.queuePosition(queued.id())),
                QUEUE_CHANGED));
    }

    /**
     * The queue is ordered by entry time, so entry times must be strictly increasing: two handoffs
     * in the same millisecond (or under a fixed clock) would otherwise tie and be ordered by their
     * random ids, not first come, first served.
     */
    private Instant queueEntryTime(StoreTx tx) {
        Instant now = clock.instant();
        Instant latest = tx.latestQueueEntry().orElse(null);
        return latest != null && !now.isAfter(latest) ? latest.plusMillis(1) : now;
    }

    /** Reads the visitor's recent messages and the bot's misses for signs that they should be served first. */
    private static boolean urgent(StoreTx tx, Conversation conversation) {
        return Urgency.signalsOf(recentMessages(tx, conversation)).urgent();
    }

    /** The last 30 messages: what urgency is read from, here and in the agent's context packet. */
    public static List<Message> recentMessages(StoreTx tx, Conversation conversation) {
        return tx.messagesAfter(conversation.id(), Math.max(0, conversation.lastSeq() - 30), 30);
    }

    /** QUEUED → ASSIGNED to the calling agent. Of concurrent accepts exactly one wins; the others get conflict. */
    public void accept(AgentPrincipal agent, String conversationId, Reply<Conversation> reply) {
        submit(tx -> {
            Conversation conversation = visibleTo(tx, agent, requireId(conversationId));
            if (conversation.state() != ConversationState.QUEUED) {
                throw new ChatException(ErrorCode.CONFLICT, conversation.state() == ConversationState.ASSIGNED
                        ? "conversation is already assigned" : "conversation is not in the queue");
            }
            int cap = capOf(tx, agent.agent().id());
            if (tx.assignedTo(agent.agent().id()).size() >= cap) {
                throw new ChatException(ErrorCode.CONFLICT, "you already have " + cap + " chats, your limit");
            }
            Conversation assigned = move(conversation, ConversationState.ASSIGNED)
                    .assigned(agent.agent().id(), agent.agent().name(), clock.instant());
            tx.updateConversation(assigned);
            tx.insertConversationEvent(ConversationEventRow.of(assigned.id(), assigned.siteId(), "assigned",
                    assigned.updatedAt()).withAgent(assigned.agentId(), assigned.teamId()));
            return new Effect<>(assigned, List.of(new ChatEvent.ConversationAssigned(assigned),
                    QUEUE_CHANGED));
        }, reply);
    }

    private int capOf(StoreTx tx, String agentId) {
        Integer own = tx.maxChats(agentId);
        return own == null ? routing.defaultCap() : own;
    }

    /**
     * ASSIGNED → QUEUED for every conversation of an agent who went away or offline. They keep
     * their original {@code waitingSince}, so they return to their original place in the queue.
     */
    public void requeueAgent(String agentId, Reply<List<Conversation>> reply) {
        submit(tx -> {
            List<Conversation> requeued = new ArrayList<>();
            for (Conversation c : tx.assignedTo(agentId)) {
                Conversation back = move(c, ConversationState.QUEUED).requeued(clock.instant());
                tx.updateConversation(back);
                tx.insertConversationEvent(ConversationEventRow.of(back.id(), back.siteId(), "requeued", back.updatedAt())
                        .withAgent(agentId, back.teamId()));
                requeued.add(back);
            }
            if (requeued.isEmpty()) {
                return new Effect<>(requeued, List.of());
            }
            return new Effect<>(requeued, List.of(new ChatEvent.ConversationsRequeued(requeued, agentId),
                    QUEUE_CHANGED));
        }, reply);
    }

    /**
     * Hands an assigned conversation on, with an optional private note: to another agent (who must
     * have room under their limit) or back to the queue for a team, keeping its original place.
     * Exactly one of {@code toAgentId} and {@code toTeamId} is given.
     */
    public void transfer(AgentPrincipal agent, String conversationId, String toAgentId, String toTeamId, String note,
                         Reply<Conversation> reply) {
        submit(tx -> {
            Conversation conversation = transferable(tx, agent, conversationId);
            if ((toAgentId == null) == (toTeamId == null)) {
                throw new ChatException(ErrorCode.BAD_REQUEST, "give exactly one of 'toAgentId' and 'toTeamId'");
            }
            Instant now = clock.instant();
            String from = conversation.agentId();
            Conversation moved;
            if (toAgentId != null) {
                if (toAgentId.equals(from)) {
                    throw new ChatException(ErrorCode.CONFLICT, "the conversation is already theirs");
                }
                Agent target = tx.agent(toAgentId)
                        .orElseThrow(() -> new ChatException(ErrorCode.NOT_FOUND, "no such agent"));
                // Only to someone who is there to answer: a chat handed to an absent agent strands the
                // visitor (the sender still has it and can choose someone else or a team).
                StoredUser account = tx.user(target.id())
                        .orElseThrow(() -> new ChatException(ErrorCode.NOT_FOUND, "no such agent"));
                // An account of another site could not even open the chat (every frame naming it: not_found);
                // the colleagues list leaves such accounts out for the same reason.
                if (!target.seesSite(conversation.siteId())) {
                    throw new ChatException(ErrorCode.CONFLICT, target.name() + " does not serve this site");
                }
                int cap = capOf(tx, target.id());
                Results.Refusal refusal = refusal(account, availability.presence(target.id()),
                        tx.assignedTo(target.id()).size(), cap);
                if (refusal != null) {
                    throw new ChatException(ErrorCode.CONFLICT, switch (refusal) {
                        case DISABLED -> target.name() + "'s account is disabled";
                        case PENDING -> target.name() + " has not set a password yet";
                        case OFFLINE, AWAY -> target.name() + " is not online";
                        case AT_LIMIT -> target.name() + " already has " + cap + " chats";
                    });
                }
                moved = conversation.assigned(target.id(), target.name(), now);
            } else {
                if (tx.teams().stream().noneMatch(t -> t.id().equals(toTeamId))) {
                    throw new ChatException(ErrorCode.NOT_FOUND, "no such team");
                }
                moved = move(conversation, ConversationState.QUEUED).requeued(now).forTeam(toTeamId);
            }
            tx.updateConversation(moved);
            tx.insertConversationEvent(ConversationEventRow.of(moved.id(), moved.siteId(), "transferred", now)
                    .withAgent(toAgentId, moved.teamId()));
            List<ChatEvent> events = new ArrayList<>(3);
            events.add(new ChatEvent.ConversationTransferred(moved, from, toAgentId, toTeamId));
            if (note != null && !note.isBlank()) {
                Note stored = new Note(ids.next("n_"), moved.id(), agent.author(), masking.apply(note.strip()), now);
                tx.insertNote(stored);
                events.add(new ChatEvent.NoteAdded(moved, stored));
            }
            if (toTeamId != null) {
                events.add(QUEUE_CHANGED);
            }
            return new Effect<>(moved, events);
        }, reply);
    }

    /** The conversation, if this agent may transfer it: assigned, and theirs (or they supervise). */
    private static Conversation transferable(StoreTx tx, AgentPrincipal agent, String conversationId) {
        Conversation conversation = visibleTo(tx, agent, requireId(conversationId));
        boolean own = agent.agent().id().equals(conversation.agentId());
        if (conversation.state() != ConversationState.ASSIGNED || !(own || agent.supervises())) {
            throw new ChatException(ErrorCode.FORBIDDEN, "only the assigned agent transfers a conversation");
        }
        return conversation;
    }

    /**
     * Why a transfer to this account would be refused now, or null when it would go through. The one rule
     * for {@link #transfer} and for {@link #colleagues}, so the list an agent picks from never offers someone
     * the transfer then refuses.
     */
    private static Results.Refusal refusal(StoredUser account, Presence presence, int assigned, int cap) {
        if (account.disabled()) {
            return Results.Refusal.DISABLED;
        }
        if (account.pending()) {
            return Results.Refusal.PENDING;
        }
        if (presence != Presence.ONLINE) {
            return presence == Presence.AWAY ? Results.Refusal.AWAY : Results.Refusal.OFFLINE;
        }
        return assigned >= cap ? Results.Refusal.AT_LIMIT : null;
    }

    /**
     * The agents a conversation could be transferred to, each with presence, load and whether a transfer
     * would go through now: every other account serving the conversation's site (not its current agent),
     * by name. Asked when an agent opens the transfer dialog, instead of pushing every agent's presence to
     * every agent (O(agents²) frames when a large team logs in). Read on the domain thread, where the router
     * keeps presence and {@link #transfer} checks, so the answer is what a transfer would find at this point.
     */
    public void colleagues(AgentPrincipal agent, String conversationId, Reply<Results.Colleagues> reply) {
        submit(tx -> {
            // Asked by whoever may transfer it: presence of colleagues is not shown to every agent.
            Conversation conversation = transferable(tx, agent, conversationId);
            Map<String, Integer> load = tx.assignedCounts();
            List<dev.sodam.server.model.Team> teams = tx.teams();
            List<Results.Colleague> colleagues = new ArrayList<>();
            for (StoredUser user : tx.users()) {
                // Same site rule as Agent.seesSite, which transfer applies to the target.
                if (user.id().equals(agent.agent().id()) || user.id().equals(conversation.agentId())
                        || !(user.siteId() == null || user.siteId().equals(conversation.siteId()))) {
                    continue;
                }
                int cap = user.maxChats() == null ? routing.defaultCap() : user.maxChats();
                int assigned = load.getOrDefault(user.id(), 0);
                Presence presence = availability.presence(user.id());
                List<String> teamIds = teams.stream()
                        .filter(t -> t.allAgents() || t.memberIds().contains(user.id())).map(t -> t.id()).toList();
                colleagues.add(new Results.Colleague(user.id(), user.name(), teamIds, presence, assigned, cap,
                        refusal(user, presence, assigned, cap)));
            }
            return new Effect<>(new Results.Colleagues(conversation.id(), colleagues), List.of());
        }, reply);
    }

    /** A private note on a conversation the agent may read (agents only; no seq, never sent to the visitor). */
    public void addNote(AgentPrincipal agent, String conversationId, String text, Reply<Note> reply) {
        submit(tx -> {
            Conversation conversation = entitled(tx, agent, requireId(conversationId), true);
            // Masked like messages: an agent pasting the visitor's card number into a note stores no number.
            Note note = new Note(ids.next("n_"), conversation.id(), agent.author(), masking.apply(text.strip()),
                    clock.instant());
            tx.insertNote(note);
            return new Effect<>(note, List.of(new ChatEvent.NoteAdded(conversation, note)));
        }, reply);
    }

    /** Labels per conversation: enough to sort chats, few enough to show in a list row. */
    public static final int MAX_LABELS = 10;

    /**
     * Puts a label on a conversation ({@code on}) or takes it off: the assigned agent, or an admin.
     * Adding one it has, or removing one it has not, changes nothing and announces nothing.
     */
    public void label(AgentPrincipal agent, String conversationId, String label, boolean on, Reply<Conversation> reply) {
        submit(tx -> {
            Conversation conversation = entitled(tx, agent, requireId(conversationId), false);
            List<String> labels = new ArrayList<>(conversation.labels());
            boolean changed = on ? !labels.contains(label) && labels.add(label) : labels.remove(label);
            if (!changed) {
                return new Effect<>(conversation, List.of());
            }
            if (labels.size() > MAX_LABELS) {
                throw new ChatException(ErrorCode.CONFLICT, "a conversation has at most " + MAX_LABELS + " labels");
            }
            Conversation labelled = conversation.labelled(labels);
            tx.updateLabels(labelled.id(), labelled.labels());
            return new Effect<>(labelled, List.of(new ChatEvent.ConversationLabelled(labelled)));
        }, reply);
    }

    /** An agent turned down an offer; routing offers it to someone else. */
    public void decline(AgentPrincipal agent, String conversationId, Reply<Conversation> reply) {
        submit(tx -> {
            Conversation conversation = visibleTo(tx, agent, requireId(conversationId));
            if (conversation.state() != ConversationState.QUEUED) {
                throw new ChatException(ErrorCode.CONFLICT, "conversation is not in the queue");
            }
            return new Effect<>(conversation,
                    List.of(new ChatEvent.OfferDeclined(conversation.id(), agent.agent().id())));
        }, reply);
    }

    /** An agent's connection was authenticated; routing learns the agent's cap. */
    public void agentConnected(AgentPrincipal agent, Reply<Integer> reply) {
        submit(tx -> {
            int cap = capOf(tx, agent.agent().id());
            return new Effect<>(cap, List.of(new ChatEvent.AgentConnected(agent.agent(), cap, Presence.ONLINE)));
        }, reply);
    }

    /** An agent's connection closed. */
    public void agentDisconnected(String agentId) {
        submit(tx -> new Effect<>(null, List.of(new ChatEvent.AgentDisconnected(agentId))), Replies.of(v -> { }, e -> { }));
    }

    /** An agent set their presence (online, away, offline). */
    public void setPresence(AgentPrincipal agent, Presence presence, Reply<Presence> reply) {
        setPresence(agent.agent().id(), presence, null, reply);
    }

    /**
     * Sets an agent's presence for them (routing: {@link ChatEvent.PresenceSet#MISSED_OFFERS}), the same
     * change as the agent's own, with the reason it travels with.
     */
    public void setPresence(String agentId, Presence presence, String reason, Reply<Presence> reply) {
        submit(tx -> new Effect<>(presence, List.of(new ChatEvent.PresenceSet(agentId, presence, reason))), reply);
    }

    /** Lets timers (offer deadlines, presence grace) fire; called every second, and by tests with a manual clock. */
    public void tick() {
        submit(tx -> new Effect<>(null, List.of(new ChatEvent.ClockTicked(clock.instant()))), Replies.of(v -> { }, e -> { }));
    }

    /** Hands routing the stored queue, assignments and latest accepts (for the ETA); called once at start-up. */
    public void restoreRouting(Reply<Void> reply) {
        submit(tx -> {
            Instant now = clock.instant();
            return new Effect<Void>(null, List.of(new ChatEvent.RoutingRestored(tx.queue(), tx.assigned(),
                    tx.recentAssignments(now.minus(Router.ETA_WINDOW), Router.ETA_SAMPLES), now)));
        }, reply);
    }

    /** → RESOLVED, by the assigned agent, or by an admin in any open state. */
    public void resolve(AgentPrincipal agent, String conversationId, Reply<Conversation> reply) {
        submit(tx -> {
            Conversation conversation = visibleTo(tx, agent, requireId(conversationId));
            boolean own = conversation.state() == ConversationState.ASSIGNED
                    && agent.agent().id().equals(conversation.agentId());
            if (!own && !(agent.supervises() && conversation.state().isOpen())) {
                throw new ChatException(conversation.state().isOpen() ? ErrorCode.FORBIDDEN : ErrorCode.CONFLICT,
                        conversation.state().isOpen() ? "conversation is not assigned to you"
                                : "conversation is already resolved");
            }
            boolean wasQueued = conversation.state() == ConversationState.QUEUED;
            Conversation resolved = move(conversation, ConversationState.RESOLVED)
                    .withState(ConversationState.RESOLVED, clock.instant());
            tx.updateConversation(resolved);
            tx.insertConversationEvent(ConversationEventRow.of(resolved.id(), resolved.siteId(), "resolved",
                    resolved.updatedAt()).withAgent(agent.agent().id(), resolved.teamId()).withReason(own ? "agent" : "admin"));
            List<ChatEvent> events = new ArrayList<>(2);
            events.add(new ChatEvent.ConversationResolved(resolved, agent.author()));
            if (wasQueued) {
                events.add(QUEUE_CHANGED);
            }
            return new Effect<>(resolved, events);
        }, reply);
    }

    /** → RESOLVED by Sodam itself: an assigned chat the visitor left without a word after a nudge. */
    public void resolveIdle(String conversationId, Reply<Conversation> reply) {
        submit(tx -> {
            Conversation conversation = tx.conversation(requireId(conversationId))
                    .orElseThrow(() -> new ChatException(ErrorCode.NOT_FOUND, "no such conversation"));
            if (conversation.state() != ConversationState.ASSIGNED) {
                throw new ChatException(ErrorCode.CONFLICT, "only an assigned chat is closed for inactivity");
            }
            Conversation resolved = move(conversation, ConversationState.RESOLVED)
                    .withState(ConversationState.RESOLVED, clock.instant());
            tx.updateConversation(resolved);
            tx.insertConversationEvent(ConversationEventRow.of(resolved.id(), resolved.siteId(), "resolved",
                    resolved.updatedAt()).withAgent(conversation.agentId(), resolved.teamId()).withReason("idle"));
            return new Effect<>(resolved, List.of(
                    new ChatEvent.ConversationResolved(resolved, Author.system(resolved.locale()))));
        }, reply);
    }

    /** The single check of the transition table; every state change passes through here. */
    private static Conversation move(Conversation conversation, ConversationState target) {
        if (!conversation.state().canMoveTo(target)) {
            throw new ChatException(ErrorCode.CONFLICT,
                    "cannot go from " + conversation.state().wire() + " to " + target.wire());
        }
        return conversation;
    }

    // ------------------------------------------------------------------ reading and relaying

    /** Messages with seq > afterSeq, for whoever is entitled to the conversation. */
    public void sync(Principal caller, String conversationId, long afterSeq, Reply<Results.Synced> reply) {
        submit(tx -> {
            Conversation conversation = entitled(tx, caller, requireId(conversationId), true);
            // A full sync by an agent also brings the private notes; visitors never get them.
            List<Note> notes = caller instanceof AgentPrincipal && afterSeq == 0 ? tx.notes(conversation.id()) : List.of();
            // A full sync also brings the feedback given so far (the visitor's own, for their tabs).
            List<Feedback> feedback = afterSeq == 0 ? tx.feedback(conversation.id()) : List.of();
            // And, for agents, who the visitor is (as their site told).
            VisitorProfile profile = caller instanceof AgentPrincipal && afterSeq == 0
                    ? tx.visitorProfile(conversation.visitorId()).orElse(null) : null;
            return new Effect<>(new Results.Synced(conversation,
                    tx.messagesAfter(conversation.id(), afterSeq, MAX_REPLAY), notes, feedback, profile), List.of());
        }, reply);
    }

    /** Most attributes a visitor keeps; more is refused rather than silently cut. */
    private static final int MAX_ATTRIBUTES = 30;

    /**
     * Stores what the site told about its visitor. Given fields replace the stored ones; attributes
     * are merged by name. The new name shows on the visitor's conversations and later messages.
     */
    public void identify(VisitorPrincipal visitor, String name, String email, String externalId,
                         java.util.Map<String, String> attributes, Reply<VisitorProfile> reply) {
        submit(tx -> {
            String id = visitor.visitor().id();
            VisitorProfile old = tx.visitorProfile(id)
                    .orElseThrow(() -> new ChatException(ErrorCode.UNAUTHORIZED, "unknown visitor"));
            java.util.Map<String, String> merged = new java.util.LinkedHashMap<>(old.attributes());
            merged.putAll(attributes);
            if (merged.size() > MAX_ATTRIBUTES) {
                throw new ChatException(ErrorCode.BAD_REQUEST, "a visitor keeps at most " + MAX_ATTRIBUTES + " attributes");
            }
            VisitorProfile profile = new VisitorProfile(id, name != null ? name : old.name(),
                    email != null ? email : old.email(), externalId != null ? externalId : old.externalId(), merged);
            tx.updateVisitorProfile(profile);
            Conversation open = tx.openConversationOf(id).orElse(null);
            return new Effect<>(profile, List.of(new ChatEvent.VisitorIdentified(open, profile)));
        }, reply);
    }

    /**
     * Stores a visitor's feedback on their own conversation. 👍/👎 is for a bot answer of that
     * conversation; CSAT and NPS once it is resolved. Rating the same thing again replaces the
     * earlier answer.
     */
    public void rate(VisitorPrincipal visitor, String conversationId, Feedback.Kind kind, String messageId, int score,
                     String comment, Reply<Feedback> reply) {
        submit(tx -> {
            Conversation conversation = ownedBy(tx, visitor.visitor(), requireId(conversationId));
            if (kind == Feedback.Kind.THUMBS) {
                Message answer = tx.message(conversation.id(), messageId)
                        .orElseThrow(() -> new ChatException(ErrorCode.NOT_FOUND, "no such message"));
                if (answer.from().kind() != Author.Kind.BOT) {
                    throw new ChatException(ErrorCode.BAD_REQUEST, "only bot answers get 👍/👎");
                }
            } else if (conversation.state() != ConversationState.RESOLVED) {
                throw new ChatException(ErrorCode.CONFLICT, kind.wire() + " is asked once the conversation is resolved");
            }
            if (!kind.allows(score)) {
                throw new ChatException(ErrorCode.BAD_REQUEST, "score out of range for " + kind.wire());
            }
            Feedback feedback = new Feedback(ids.next("fb_"), conversation.siteId(), conversation.id(),
                    kind == Feedback.Kind.THUMBS ? messageId : null, kind, score,
                    comment == null ? null : masking.apply(comment), clock.instant());
            tx.putFeedback(feedback);
            return new Effect<>(feedback, List.of(new ChatEvent.FeedbackGiven(conversation, feedback)));
        }, reply);
    }

    /** Relays typing to the other side; nothing is stored. */
    public void typing(Principal caller, String conversationId, boolean on, Reply<Conversation> reply) {
        submit(conversationId, tx -> {
            Conversation conversation = relayTarget(tx, caller, requireId(conversationId));
            return new Effect<>(conversation, List.of(new ChatEvent.TypingChanged(conversation, caller.author(), on)));
        }, reply);
    }

    /** Relays a read receipt to the other side; a visitor's is also stored as their read mark. */
    public void read(Principal caller, String conversationId, long seq, Reply<Conversation> reply) {
        submit(conversationId, tx -> {
            Conversation conversation = relayTarget(tx, caller, requireId(conversationId));
            if (seq > conversation.lastSeq()) {
                throw new ChatException(ErrorCode.BAD_REQUEST, "seq " + seq + " is beyond the last message");
            }
            if (caller instanceof VisitorPrincipal && seq > conversation.visitorReadSeq()) {
                // Kept, so an agent's console shows read receipts also after a reload; never lowered.
                tx.updateVisitorRead(conversation.id(), seq);
                conversation = conversation.readByVisitor(seq);
            }
            return new Effect<>(conversation, List.of(new ChatEvent.ReadUpTo(conversation, caller.author(), seq)));
        }, reply);
    }

    /**
     * Visitors are entitled to their own conversations; agents to those assigned to them and, for
     * reading, to queued ones (to see the history before accepting); admins to all.
     */
    private static Conversation entitled(StoreTx tx, Principal caller, String conversationId, boolean reading) {
        if (caller instanceof VisitorPrincipal v) {
            return ownedBy(tx, v.visitor(), conversationId);
        }
        AgentPrincipal agent = (AgentPrincipal) caller;
        Conversation conversation = visibleTo(tx, agent, conversationId);
        boolean own = agent.agent().id().equals(conversation.agentId());
        boolean queued = conversation.state() == ConversationState.QUEUED;
        if (own || agent.supervises() || (reading && queued)) {
            return conversation;
        }
        throw new ChatException(ErrorCode.FORBIDDEN, "conversation is not assigned to you");
    }

    /**
     * The conversation, if the agent's account may see its site at all; another site's conversation
     * is reported as missing, as a foreign one is to a visitor: never a hint that it exists.
     */
    private static Conversation visibleTo(StoreTx tx, AgentPrincipal agent, String conversationId) {
        return tx.conversation(conversationId).filter(c -> agent.agent().seesSite(c.siteId()))
                .orElseThrow(() -> new ChatException(ErrorCode.NOT_FOUND, "no such conversation"));
    }

    /**
     * Typing and read receipts speak for the agent serving the chat: the visitor would read a
     * supervisor's "typing…" or "read" as their agent's, so only the conversation's own agent relays them.
     */
    private static Conversation relayTarget(StoreTx tx, Principal caller, String conversationId) {
        Conversation conversation = entitled(tx, caller, conversationId, false);
        if (caller instanceof AgentPrincipal agent && !agent.agent().id().equals(conversation.agentId())) {
            throw new ChatException(ErrorCode.FORBIDDEN, "conversation is not assigned to you");
        }
        return conversation;
    }

    private static String requireId(String conversationId) {
        if (conversationId == null || conversationId.isBlank()) {
            throw new ChatException(ErrorCode.BAD_REQUEST, "field 'conversationId' is required");
        }
        return conversationId;
    }

    private static int queuePosition(StoreTx tx, Conversation conversation) {
        return conversation.state() == ConversationState.QUEUED ? tx.queuePosition(conversation.id()) : 0;
    }

    private volatile java.util.function.UnaryOperator<String> masking = java.util.function.UnaryOperator.identity();

    /** What visitor and agent messages go through before they are stored (personal numbers masked). */
    public void maskWith(java.util.function.UnaryOperator<String> masker) {
        this.masking = masker;
    }

    /** What a unit that deleted conversations answers, and the open ones among them as they were. */
    public record Deletion<T>(T value, List<Conversation> open) {
        public Deletion {
            open = List.copyOf(open);
        }
    }

    /**
     * Runs a unit that deletes conversations (a visitor's data, on request). Agents may be looking at
     * an open one, so after the commit each is published as {@link ChatEvent.ConversationDeleted}
     * (and the queue as changed when one was queued): without it consoles kept a queue entry whose
     * every frame got {@code not_found}, and routing kept its agent's place taken.
     */
    public <T> void executeDeleting(Function<StoreTx, Deletion<T>> unit, Reply<T> reply) {
        submit(tx -> {
            Deletion<T> deletion = unit.apply(tx);
            Instant now = clock.instant();
            List<ChatEvent> events = new ArrayList<>(deletion.open().size() + 1);
            boolean queued = false;
            for (Conversation c : deletion.open()) {
                events.add(new ChatEvent.ConversationDeleted(c.withState(ConversationState.RESOLVED, now)));
                queued |= c.state() == ConversationState.QUEUED;
            }
            if (queued) {
                events.add(QUEUE_CHANGED);
            }
            return new Effect<>(deletion.value(), events);
        }, reply);
    }

    /** Runs an arbitrary unit on the domain thread (start-up seeding, tests); answers after commit. */
    public <T> void execute(Function<StoreTx, T> unit, Reply<T> reply) {
        submit(tx -> new Effect<>(unit.apply(tx), List.of()), reply);
    }
}
