package dev.sodam.server.ws;

import dev.sodam.server.auth.Principal;
import dev.sodam.server.auth.Principal.AgentPrincipal;
import dev.sodam.server.auth.Principal.VisitorPrincipal;
import dev.sodam.server.conversation.ChatException;
import dev.sodam.server.conversation.ConversationService;
import dev.sodam.server.conversation.ErrorCode;
import dev.sodam.server.conversation.Replies;
import dev.sodam.server.conversation.Reply;
import dev.sodam.server.conversation.Results;
import dev.sodam.server.delivery.SessionRegistry;
import dev.sodam.server.event.ChatEvent.HandoffReason;
import dev.sodam.server.event.ChatEvent.Presence;
import dev.sodam.server.model.Conversation;
import dev.sodam.server.model.Feedback;
import dev.sodam.server.model.Message;
import dev.sodam.server.net.ChannelAttributes;
import dev.sodam.server.protocol.ClientFrame;
import dev.sodam.server.protocol.Frames;
import dev.sodam.server.protocol.ServerFrame;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection's conversation with the server: authenticates with {@code hello}, then turns each
 * client frame into one {@link ConversationService} call and its answer into frames. Holds no
 * domain state besides who is connected.
 */
public final class ProtocolHandler extends SimpleChannelInboundHandler<ClientFrame> {
    private static final Logger log = LoggerFactory.getLogger(ProtocolHandler.class);

    private final ConversationService service;
    private final SessionRegistry registry;
    /** Told the nanoseconds from each send frame's arrival to its ack (the metrics' ack latency). */
    private final LongConsumer ackLatency;
    /** Written on the domain thread once hello commits, read on the event loop: volatile. */
    private volatile ChannelSession session;
    private boolean helloSent;
    /**
     * Frames that came after {@code hello} but before its welcome (a client that does not wait for it):
     * held on the event loop and handled in order once the session exists, never refused as "before hello".
     */
    private java.util.ArrayDeque<ClientFrame> waiting;
    /** At most this many frames wait for a welcome; more is a client that is not waiting at all. */
    private static final int MAX_WAITING = 64;

    public ProtocolHandler(ConversationService service, SessionRegistry registry) {
        this(service, registry, nanos -> { });
    }

    public ProtocolHandler(ConversationService service, SessionRegistry registry, LongConsumer ackLatency) {
        this.service = service;
        this.registry = registry;
        this.ackLatency = ackLatency;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
            ctx.channel().attr(ChannelAttributes.WEBSOCKET).set(Boolean.TRUE);
        }
        super.userEventTriggered(ctx, event);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        ChannelSession current = session;
        if (current != null && current.release()) {
            detach(current);
        }
        super.channelInactive(ctx);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ClientFrame frame) {
        Channel channel = ctx.channel();
        if (waiting != null && !(frame instanceof ClientFrame.Hello)) {
            // Hello is still committing (or its waiting frames are not handled yet): this one goes behind them.
            if (waiting.size() < MAX_WAITING) {
                waiting.add(frame);
            } else {
                error(channel, ErrorCode.RATE_LIMITED, "too many frames before the welcome; wait for it", frame.ref());
            }
            return;
        }
        handle(channel, frame);
    }

    /** Runs on the event loop once hello is answered: the frames that waited for it, in order. */
    private void releaseWaiting(Channel channel, boolean welcomed) {
        java.util.ArrayDeque<ClientFrame> held = waiting;
        waiting = null;
        if (held == null) {
            return;
        }
        for (ClientFrame frame : held) {
            if (welcomed) {
                handle(channel, frame);
            } else {
                error(channel, ErrorCode.UNAUTHORIZED, "hello was refused; say hello again", frame.ref());
            }
        }
    }

    private void handle(Channel channel, ClientFrame frame) {
        if (frame instanceof ClientFrame.Hello hello) {
            if (helloSent) {
                error(channel, ErrorCode.CONFLICT, "already said hello on this connection", hello.ref());
                return;
            }
            helloSent = true;
            waiting = new java.util.ArrayDeque<>();
            if (hello.isAgent()) {
                helloAgent(channel, hello);
            } else {
                helloVisitor(channel, hello);
            }
            return;
        }
        ChannelSession current = session;
        if (current == null) {
            error(channel, ErrorCode.UNAUTHORIZED, "say hello first", frame.ref());
            return;
        }
        Principal principal = current.principal();
        if (frame instanceof ClientFrame.Send send) {
            long arrived = System.nanoTime();
            service.post(principal, send.conversationId(), send.clientMsgId(), send.text(), send.faqId(), send.handoff(),
                    reply(channel, send.ref(), posted -> {
                        current.send(Frames.ack(posted.message()));
                        ackLatency.accept(System.nanoTime() - arrived);
                    }));
        } else if (frame instanceof ClientFrame.Handoff handoff) {
            if (principal instanceof AgentPrincipal) {
                error(channel, ErrorCode.FORBIDDEN, "only visitors ask for a person", handoff.ref());
            } else {
                service.requestHandoff(principal, handoff.conversationId(), HandoffReason.VISITOR_ASKED,
                        reply(channel, handoff.ref(), conversation -> { }));
            }
        } else if (frame instanceof ClientFrame.Sync sync) {
            service.sync(principal, sync.conversationId(), sync.afterSeq(), reply(channel, sync.ref(), synced -> {
                // Sent as asked, even a seq sent before; live delivery goes on after the last one.
                synced.messages().forEach(m -> {
                    current.markSent(m.conversationId(), m.seq());
                    current.send(Frames.message(m));
                });
                synced.notes().forEach(n -> current.send(Frames.note(n)));
                synced.feedback().forEach(f -> current.send(Frames.rated(f)));
                if (synced.profile() != null) {
                    current.send(Frames.visitor(synced.conversation().id(), synced.profile()));
                }
            }));
        } else if (frame instanceof ClientFrame.Typing typing) {
            service.typing(principal, typing.conversationId(), typing.on(), reply(channel, typing.ref(), c -> { }));
        } else if (frame instanceof ClientFrame.Read read) {
            service.read(principal, read.conversationId(), read.seq(), reply(channel, read.ref(), c -> { }));
        } else if (frame instanceof ClientFrame.Accept accept) {
            if (principal instanceof AgentPrincipal agent) {
                service.accept(agent, accept.conversationId(), reply(channel, accept.ref(), c -> { }));
            } else {
                error(channel, ErrorCode.FORBIDDEN, "only agents accept conversations", accept.ref());
            }
        } else if (frame instanceof ClientFrame.Transfer transfer) {
            if (principal instanceof AgentPrincipal agent) {
                service.transfer(agent, transfer.conversationId(), transfer.toAgentId(), transfer.toTeamId(),
                        transfer.note(), reply(channel, transfer.ref(), c -> { }));
            } else {
                error(channel, ErrorCode.FORBIDDEN, "only agents transfer conversations", transfer.ref());
            }
        } else if (frame instanceof ClientFrame.Colleagues colleagues) {
            if (principal instanceof AgentPrincipal agent) {
                service.colleagues(agent, colleagues.conversationId(), reply(channel, colleagues.ref(),
                        answer -> current.send(Frames.colleagues(answer, colleagues.ref()))));
            } else {
                error(channel, ErrorCode.FORBIDDEN, "only agents transfer conversations", colleagues.ref());
            }
        } else if (frame instanceof ClientFrame.Note note) {
            if (principal instanceof AgentPrincipal agent) {
                service.addNote(agent, note.conversationId(), note.text(), reply(channel, note.ref(), n -> { }));
            } else {
                error(channel, ErrorCode.FORBIDDEN, "only agents write notes", note.ref());
            }
        } else if (frame instanceof ClientFrame.Decline decline) {
            if (principal instanceof AgentPrincipal agent) {
                service.decline(agent, decline.conversationId(), reply(channel, decline.ref(), c -> { }));
            } else {
                error(channel, ErrorCode.FORBIDDEN, "only agents decline offers", decline.ref());
            }
        } else if (frame instanceof ClientFrame.Presence presence) {
            if (principal instanceof AgentPrincipal agent) {
                service.setPresence(agent, Presence.valueOf(presence.status().toUpperCase(java.util.Locale.ROOT)),
                        reply(channel, presence.ref(), p -> { }));
            } else {
                error(channel, ErrorCode.FORBIDDEN, "only agents have a presence", presence.ref());
            }
        } else if (frame instanceof ClientFrame.Identify identify) {
            if (principal instanceof VisitorPrincipal visitor) {
                service.identify(visitor, identify.name(), identify.email(), identify.externalId(),
                        identify.attributes(), reply(channel, identify.ref(), p -> { }));
            } else {
                error(channel, ErrorCode.FORBIDDEN, "only visitors identify themselves", identify.ref());
            }
        } else if (frame instanceof ClientFrame.Rate rate) {
            if (principal instanceof VisitorPrincipal visitor) {
                service.rate(visitor, rate.conversationId(), Feedback.Kind.fromWire(rate.kind()), rate.messageId(),
                        rate.score(), rate.comment(), reply(channel, rate.ref(), f -> { }));
            } else {
                error(channel, ErrorCode.FORBIDDEN, "only visitors rate", rate.ref());
            }
        } else if (frame instanceof ClientFrame.Label label) {
            if (principal instanceof AgentPrincipal agent) {
                service.label(agent, label.conversationId(), label.label(), label.on(),
                        reply(channel, label.ref(), c -> { }));
            } else {
                error(channel, ErrorCode.FORBIDDEN, "only agents label conversations", label.ref());
            }
        } else if (frame instanceof ClientFrame.Page page) {
            if (principal instanceof VisitorPrincipal visitor) {
                service.visitorPage(visitor, page.url(), page.title(), reply(channel, page.ref(), p -> { }));
            } else {
                error(channel, ErrorCode.FORBIDDEN, "only visitors report the page they are on", page.ref());
            }
        } else if (frame instanceof ClientFrame.Resolve resolve) {
            if (principal instanceof AgentPrincipal agent) {
                service.resolve(agent, resolve.conversationId(), reply(channel, resolve.ref(), c -> { }));
            } else {
                error(channel, ErrorCode.FORBIDDEN, "only agents resolve conversations", resolve.ref());
            }
        }
    }

    private void helloVisitor(Channel channel, ClientFrame.Hello hello) {
        String upgradedFor = channel.attr(ChannelAttributes.SITE).get();
        if (upgradedFor == null || !upgradedFor.equals(hello.site())) {
            helloSent = false;
            waiting = null;
            error(channel, ErrorCode.FORBIDDEN, upgradedFor == null
                    ? "visitors connect to /ws?site=<site>" : "this connection is for site '" + upgradedFor + "'",
                    hello.ref());
            return;
        }
        service.helloVisitor(hello.site(), hello.visitorToken(), hello.locale(), hello.resumeConversationId(),
                hello.resumeLastSeq(), new Reply<>() {
                    @Override
                    public void ok(Results.VisitorHello welcome) {
                        // Runs on the domain thread in commit order: registering here, then replaying,
                        // means every later message reaches this session exactly once.
                        // Attached before the welcome is written: a client may send its first frame the
                        // moment it reads the welcome, and it must find the session there. No broadcast
                        // can slip in between, because broadcasts also leave from this thread.
                        ChannelSession created = new ChannelSession(channel, new VisitorPrincipal(welcome.visitor()));
                        attach(channel, created);
                        created.send(Frames.visitorWelcome(welcome.visitorToken(), welcome.visitor().locale(),
                                welcome.open(), welcome.queuePosition()));
                        for (Message message : welcome.replay()) {
                            created.markSent(message.conversationId(), message.seq());
                            created.send(Frames.message(message));
                        }
                        Conversation open = welcome.open();
                        if (welcome.replay().isEmpty() && open != null && open.id().equals(hello.resumeConversationId())
                                && hello.resumeLastSeq() > 0) {
                            // The client has the conversation up to here: live delivery goes on from it.
                            created.markSent(open.id(), Math.min(hello.resumeLastSeq(), open.lastSeq()));
                        }
                        welcome.feedback().forEach(f -> created.send(Frames.rated(f)));
                        if (welcome.resumeNotFound()) {
                            created.send(Frames.error(ErrorCode.NOT_FOUND, "no such conversation to resume", hello.ref()));
                        }
                        channel.eventLoop().execute(() -> releaseWaiting(channel, true));
                    }

                    @Override
                    public void fail(ChatException error) {
                        channel.eventLoop().execute(() -> {
                            helloSent = false;
                            ProtocolHandler.error(channel, error.code(), error.getMessage(), hello.ref());
                            releaseWaiting(channel, false);
                        });
                    }
                });
    }

    private void helloAgent(Channel channel, ClientFrame.Hello hello) {
        if (channel.attr(ChannelAttributes.SITE).get() != null) {
            helloSent = false;
            waiting = null;
            error(channel, ErrorCode.FORBIDDEN, "agents connect to /ws without a site", hello.ref());
            return;
        }
        service.helloAgent(hello.token(), new Reply<>() {
            @Override
            public void ok(Results.AgentHello welcome) {
                AgentPrincipal agent = new AgentPrincipal(welcome.agent());
                ChannelSession created = new ChannelSession(channel, agent,
                        dev.sodam.server.util.Hashing.sha256Hex(hello.token()));
                // Connected is queued before the session becomes visible to the close handler, so
                // routing always sees connected before disconnected; and the session is attached
                // before the welcome is written, so the agent's first frame finds it.
                service.agentConnected(agent, Replies.of(cap -> { }, e -> { }));
                attach(channel, created);
                created.send(Frames.agentWelcome(welcome.agent(), welcome.queue(), welcome.assigned(),
                        welcome.colleagues(), welcome.teams()));
                channel.eventLoop().execute(() -> releaseWaiting(channel, true));
            }

            @Override
            public void fail(ChatException error) {
                channel.eventLoop().execute(() -> {
                    helloSent = false;
                    ProtocolHandler.error(channel, error.code(), error.getMessage(), hello.ref());
                    releaseWaiting(channel, false);
                });
            }
        });
    }

    private void attach(Channel channel, ChannelSession created) {
        session = created;
        registry.register(created);
        if (!channel.isActive() && created.release()) {
            // Closed while hello was committing: the close handler may have run before the session existed.
            detach(created);
        }
    }

    private void detach(ChannelSession ended) {
        registry.unregister(ended);
        if (ended.principal() instanceof AgentPrincipal agent) {
            service.agentDisconnected(agent.agent().id());
        }
    }

    private static <T> Reply<T> reply(Channel channel, String ref, Consumer<T> onOk) {
        return Replies.of(onOk, error -> ProtocolHandler.error(channel, error.code(), error.getMessage(), ref));
    }

    private static void error(Channel channel, ErrorCode code, String message, String ref) {
        LoopWriter.write(channel, Frames.error(code, message, ref));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof CorruptedWebSocketFrameException) {
            // The client broke the WebSocket protocol (an unmasked or reserved-bit frame, text that is not
            // UTF-8, one frame over the limit): Netty has already sent the close status that says so. The
            // client's fault, and anyone may send such frames as often as they like: no warning, no trace.
            log.debug("connection {} sent a broken WebSocket frame: {}", ctx.channel().remoteAddress(), cause.getMessage());
            ctx.close();
            return;
        }
        if (cause instanceof TooLongFrameException) {
            // A message in fragments beyond the frame aggregator's limit: the same 1009 as one frame that large.
            log.debug("connection {} sent too long a message: {}", ctx.channel().remoteAddress(), cause.getMessage());
            ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.MESSAGE_TOO_BIG, cause.getMessage()))
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        log.warn("connection {} failed; closing", ctx.channel().remoteAddress(), cause);
        ctx.close();
    }
}
