package dev.sodam.bot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A non-FAQ intent the bot recognises: small talk answered with a canned reply ({@code action}
 * {@code answer}, e.g. greeting, thanks) or a request for a person ({@code action} {@code handoff}).
 *
 * @param intent   intent name, e.g. {@code greeting}
 * @param action   {@link #ANSWER} or {@link #HANDOFF}
 * @param answers  locale → reply text (empty for handoff)
 * @param examples locale → example utterances used for training and retrieval
 */
public record SmallTalkIntent(String intent, String action, Map<String, String> answers,
                              Map<String, List<String>> examples) {

    public static final String ANSWER = "answer";
    public static final String HANDOFF = "handoff";

    public SmallTalkIntent {
        Objects.requireNonNull(intent, "intent");
        Objects.requireNonNull(action, "action");
        if (!ANSWER.equals(action) && !HANDOFF.equals(action)) {
            throw new IllegalArgumentException("intent " + intent + ": action must be answer or handoff, got " + action);
        }
        answers = answers == null ? Map.of() : Map.copyOf(answers);
        Map<String, List<String>> ex = new LinkedHashMap<>();
        if (examples != null) {
            examples.forEach((k, v) -> ex.put(k, v == null ? List.of() : List.copyOf(v)));
        }
        examples = Map.copyOf(ex);
    }

    /** Reads {@code {"intents":[{"intent","action","answers":{locale:text},"examples":{locale:[…]}}]}}. */
    public static List<SmallTalkIntent> loadAll(Path intentsJson) {
        try {
            JsonNode root = new ObjectMapper().readTree(Files.readAllBytes(intentsJson));
            JsonNode arr = root.path("intents");
            if (!arr.isArray()) {
                throw new IllegalArgumentException(intentsJson + ": expected an \"intents\" array");
            }
            List<SmallTalkIntent> out = new ArrayList<>();
            for (JsonNode n : arr) {
                Map<String, String> answers = new LinkedHashMap<>();
                n.path("answers").properties().forEach(e -> answers.put(e.getKey(), e.getValue().asText()));
                Map<String, List<String>> examples = new LinkedHashMap<>();
                n.path("examples").properties().forEach(e -> {
                    List<String> list = new ArrayList<>();
                    e.getValue().forEach(x -> list.add(x.asText()));
                    examples.put(e.getKey(), list);
                });
                String intent = n.path("intent").asText(null);
                String action = n.path("action").asText(ANSWER);
                out.add(new SmallTalkIntent(intent, action, answers, examples));
            }
            return List.copyOf(out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read intents " + intentsJson, e);
        }
    }
}
