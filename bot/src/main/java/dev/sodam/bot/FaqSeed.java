package dev.sodam.bot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Loads a FAQ seed file: {@code {"locale":"ko","entries":[{"id","question","paraphrases","answer","tags"}]}}. */
public final class FaqSeed {

    private FaqSeed() {
    }

    /** The entries of one seed file, in file order; an entry's own {@code locale} overrides the file's. */
    public static List<FaqEntry> load(Path seedJson) {
        try {
            JsonNode root = new ObjectMapper().readTree(Files.readAllBytes(seedJson));
            String locale = root.path("locale").asText(null);
            JsonNode arr = root.path("entries");
            if (!arr.isArray()) {
                throw new IllegalArgumentException(seedJson + ": expected an \"entries\" array");
            }
            List<FaqEntry> out = new ArrayList<>();
            for (JsonNode n : arr) {
                out.add(new FaqEntry(n.path("id").asText(null), n.path("locale").asText(locale),
                        n.path("question").asText(null), strings(n.path("paraphrases")),
                        n.path("answer").asText(null), strings(n.path("tags"))));
            }
            return List.copyOf(out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read FAQ seed " + seedJson, e);
        }
    }

    private static List<String> strings(JsonNode arr) {
        List<String> out = new ArrayList<>();
        arr.forEach(x -> out.add(x.asText()));
        return out;
    }
}
