package dev.sodam.server.ws;

import dev.sodam.server.conversation.ErrorCode;
import dev.sodam.server.protocol.ClientFrame;
import dev.sodam.server.protocol.FrameDecoder;
import dev.sodam.server.protocol.Frames;
import dev.sodam.server.protocol.ProtocolException;
import dev.sodam.server.protocol.ServerFrame;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageCodec;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.util.List;

/**
 * Text WebSocket frames ⇄ protocol frames. Inbound: a frame over the size limit, binary, or
 * invalid is answered with an {@code error} frame here and goes no further — the connection stays
 * open. Outbound: {@link ServerFrame}s become JSON text frames. Control frames pass through.
 */
public final class JsonFrameCodec extends MessageToMessageCodec<WebSocketFrame, ServerFrame> {
    private final FrameDecoder decoder;
    private final int maxFrameBytes;

    public JsonFrameCodec(FrameDecoder decoder, int maxFrameBytes) {
        this.decoder = decoder;
        this.maxFrameBytes = maxFrameBytes;
    }

    @Override
    public boolean acceptInboundMessage(Object msg) {
        return msg instanceof TextWebSocketFrame || msg instanceof BinaryWebSocketFrame;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, ServerFrame frame, List<Object> out) {
        out.add(new TextWebSocketFrame(Frames.toJson(frame)));
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, WebSocketFrame frame, List<Object> out) {
        if (frame instanceof BinaryWebSocketFrame) {
            reject(ctx, new ProtocolException(ErrorCode.BAD_REQUEST, "binary frames are not supported; send JSON text", null));
            return;
        }
        if (frame.content().readableBytes() > maxFrameBytes) {
            reject(ctx, new ProtocolException(ErrorCode.TOO_LARGE,
                    "frame is larger than " + maxFrameBytes + " bytes", null));
            return;
        }
        String text = ((TextWebSocketFrame) frame).text();
        ClientFrame decoded;
        try {
            decoded = decoder.decode(text);
        } catch (ProtocolException e) {
            reject(ctx, e);
            return;
        }
        out.add(decoded);
    }

    static void reject(ChannelHandlerContext ctx, ProtocolException e) {
        ctx.writeAndFlush(new TextWebSocketFrame(Frames.toJson(Frames.error(e.code(), e.getMessage(), e.ref()))));
    }
}
