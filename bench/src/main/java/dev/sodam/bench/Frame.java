package dev.sodam.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The fields of a server frame the load generator needs, read with a streaming parser (no tree) so
 * the client stays cheap: top-level strings and numbers, {@code from.kind}, and {@code conversation.id}
 * / {@code conversation.state} of an agent's {@code conversation} push. A Pusher frame (soketi) reads the
 * same way: {@code event} as the type, {@code channel} as the conversation, and {@code data}'s
 * {@code clientMsgId} and {@code text} (or {@code data} itself when it is a string) as those fields.
 */
record Frame(String type, String conversationId, String clientMsgId, long seq, String text, String fromKind,
             String state, String raw) {
    private static final JsonFactory FACTORY = new JsonFactory();

    static Frame parse(String json) {
        String type = "";
        String conversationId = null;
        String clientMsgId = null;
        long seq = -1;
        String text = null;
        String fromKind = null;
        String state = null;
        try (JsonParser p = FACTORY.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("not a JSON object: " + json);
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (value == JsonToken.START_OBJECT) {
                    if (field.equals("data")) { // Pusher: a client event's payload
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String inner = p.currentName();
                            if (p.nextToken().isStructStart()) {
                                p.skipChildren();
                            } else if (inner.equals("clientMsgId") && clientMsgId == null) {
                                clientMsgId = p.getText();
                            } else if (inner.equals("text") && text == null) {
                                text = p.getText();
                            }
                        }
                    } else if (field.equals("from") || field.equals("conversation")) {
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String inner = p.currentName();
                            JsonToken innerValue = p.nextToken();
                            if (innerValue.isStructStart()) {
                                p.skipChildren();
                            } else if (field.equals("from") && inner.equals("kind")) {
                                fromKind = p.getText();
                            } else if (field.equals("conversation") && inner.equals("id")) {
                                conversationId = p.getText();
                            } else if (field.equals("conversation") && inner.equals("state")) {
                                state = p.getText();
                            }
                        }
                    } else {
                        p.skipChildren();
                    }
                    continue;
                }
                if (value == JsonToken.START_ARRAY) {
                    p.skipChildren();
                    continue;
                }
                switch (field) {
                    case "type" -> type = p.getText();
                    case "conversationId" -> conversationId = value == JsonToken.VALUE_NULL ? null : p.getText();
                    case "clientMsgId" -> clientMsgId = value == JsonToken.VALUE_NULL ? null : p.getText();
                    case "seq" -> seq = p.getLongValue();
                    case "text" -> text = p.getText();
                    case "state" -> state = p.getText();
                    // Pusher (soketi): the event name is the type, the channel the conversation
                    case "event" -> type = type.isEmpty() ? p.getText() : type;
                    case "channel" -> conversationId = conversationId == null ? p.getText() : conversationId;
                    case "data" -> text = text == null ? p.getText() : text;
                    default -> {
                        // not needed by the load generator
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("bad frame: " + json, e);
        }
        return new Frame(type, conversationId, clientMsgId, seq, text, fromKind, state, json);
    }
}
