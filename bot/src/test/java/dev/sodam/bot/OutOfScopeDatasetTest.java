package dev.sodam.bot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Out-of-scope chatter from public datasets must almost never get a FAQ answer. */
class OutOfScopeDatasetTest {

    /** {@code shared/datasets} beside the repository (as in CI), else the workstation's copy. */
    private static final Path DATASETS = datasets();

    private static Path datasets() {
        Path beside = SeedBots.repoRoot().toAbsolutePath().getParent().resolve("shared/datasets");
        return Files.isDirectory(beside) ? beside : Path.of("/work/shared/datasets");
    }

    private static List<String> texts(Path jsonl, String intent, int limit) throws IOException {
        ObjectMapper om = new ObjectMapper();
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(jsonl)) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode n = om.readTree(line);
            if (intent == null || intent.equals(n.path("intent").asText())) {
                out.add(n.path("text").asText());
                if (out.size() == limit) {
                    break;
                }
            }
        }
        return out;
    }

    private static double faqAnswerShare(List<String> texts, String hint, String name) {
        FaqBot bot = SeedBots.bot();
        int answered = 0;
        int clarify = 0;
        int smallTalk = 0;
        StringBuilder examples = new StringBuilder();
        for (String t : texts) {
            BotDecision d = bot.ask(t, hint);
            if (d instanceof BotDecision.Answer a) {
                if (a.faqId() != null) {
                    answered++;
                    examples.append("  ").append(SeedBots.explain(t, hint));
                } else {
                    smallTalk++;
                }
            } else if (d instanceof BotDecision.Clarify) {
                clarify++;
            }
        }
        double share = (double) answered / texts.size();
        System.out.printf("OOS %s: %d lines, FAQ answer %d (%.1f %%), small talk %d, clarify %d, handoff %d%n%s",
                name, texts.size(), answered, share * 100, smallTalk, clarify,
                texts.size() - answered - smallTalk - clarify, examples);
        return share;
    }

    @Test
    void koreanChitchat() throws IOException {
        List<String> texts = texts(DATASETS.resolve("ko-chitchat-oos/val.jsonl"), null, 200);
        assertThat(texts).hasSize(200);
        assertThat(faqAnswerShare(texts, "ko", "ko-chitchat-oos")).isLessThanOrEqualTo(0.05);
    }

    @Test
    void clincOutOfScope() throws IOException {
        List<String> texts = texts(DATASETS.resolve("clinc150/val.jsonl"), "oos", 100);
        assertThat(texts).hasSize(100);
        assertThat(faqAnswerShare(texts, "en", "clinc150-oos")).isLessThanOrEqualTo(0.05);
    }
}
