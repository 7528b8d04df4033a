package dev.sodam.bot.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sodam.bot.LabelledQuestion;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads evaluation files: JSON Lines, one {@code {"text": …, "intent": …}} object per line (other
 * fields ignored, blank lines skipped, UTF-8). Any other line is an {@link EvalException} naming
 * the file and the 1-based line.
 */
public final class Jsonl {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Jsonl() {
    }

    /** The questions of one file, in file order. */
    public static List<LabelledQuestion> read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new EvalException(file + ": no such file");
        }
        List<LabelledQuestion> out = new ArrayList<>();
        int lineNo = 0;
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                out.add(parse(file, lineNo, line));
            }
        } catch (CharacterCodingException e) {
            throw new EvalException(file + ":" + (lineNo + 1) + ": not UTF-8");
        } catch (IOException e) {
            throw new EvalException(file + ": cannot read: " + e.getMessage());
        }
        if (out.isEmpty()) {
            throw new EvalException(file + ": no examples");
        }
        return out;
    }

    private static LabelledQuestion parse(Path file, int lineNo, String line) {
        JsonNode n;
        try {
            n = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new EvalException(file + ":" + lineNo + ": not a JSON object: " + e.getOriginalMessage());
        }
        if (n == null || !n.isObject()) {
            throw new EvalException(file + ":" + lineNo + ": not a JSON object");
        }
        JsonNode text = n.get("text");
        JsonNode intent = n.get("intent");
        if (text == null || !text.isTextual()) {
            throw new EvalException(file + ":" + lineNo + ": missing string field \"text\"");
        }
        if (intent == null || !intent.isTextual() || intent.asText().isBlank()) {
            throw new EvalException(file + ":" + lineNo + ": missing string field \"intent\"");
        }
        return new LabelledQuestion(text.asText(), intent.asText());
    }
}
