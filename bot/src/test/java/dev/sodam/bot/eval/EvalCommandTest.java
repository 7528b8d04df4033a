package dev.sodam.bot.eval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The eval command as a user runs it: arguments, files and the result line. Wrong arguments and
 * unreadable lines end with exit code 2 and a message naming the file and line, never a stack trace.
 */
class EvalCommandTest {

    @TempDir
    Path dir;

    private Path train;
    private Path val;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void smallSet() throws IOException {
        train = write("train.jsonl", List.of(
                line("where is my parcel", "delivery"), line("when will my order arrive", "delivery"),
                line("how long does shipping take", "delivery"), line("track my package", "delivery"),
                line("i want my money back", "refund"), line("how do i get a refund", "refund"),
                line("refund my order please", "refund"), line("can i return this for a refund", "refund"),
                line("i forgot my password", "password"), line("reset my password", "password"),
                line("cannot log in to my account", "password"), line("change my login password", "password"),
                line("what is the weather today", "oos")));
        val = write("val.jsonl", List.of(
                line("when does my parcel arrive", "delivery"), line("give me a refund", "refund"),
                line("password reset please", "password"), line("tell me a joke", "oos"),
                line("who won the football game", "oos")));
    }

    @Test
    void printsOneJsonResultAsTheLastLine() throws IOException {
        int code = run("--train", train, "--val", val, "--test", val);

        assertThat(code).as(stderr()).isZero();
        String[] lines = out.toString(StandardCharsets.UTF_8).strip().split("\n");
        JsonNode r = new ObjectMapper().readTree(lines[lines.length - 1]);
        for (String key : List.of("inScopeAccuracy", "oosRecall", "overallAccuracy", "perIntentAccuracy", "threshold",
                "n", "trainMillis", "p50Micros", "p99Micros", "calibrationError")) {
            assertThat(r.has(key)).as(key).isTrue();
        }
        assertThat(r.get("val").get("inScopeAccuracy").isNumber()).isTrue();
        assertThat(r.get("n").asInt()).isEqualTo(5);
        assertThat(r.get("nOos").asInt()).isEqualTo(2);
        assertThat(r.get("labels").asInt()).as("the oos training line is not a label").isEqualTo(3);
    }

    @Test
    void aMissingSplitIsNamed() {
        assertThat(run("--train", train, "--test", val)).isEqualTo(2);
        assertThat(stderr()).contains("--train, --val and --test are each required").contains("usage:");
    }

    @Test
    void anUnknownArgumentOrAFlagWithoutItsFileIsNamed() {
        assertThat(run("--train", train, "--val", val, "--test", val, "--tset", val)).isEqualTo(2);
        assertThat(stderr()).contains("unknown argument: --tset");
        err.reset();
        assertThat(run("--train", train, "--val", "--test", val)).isEqualTo(2);
        assertThat(stderr()).contains("--val needs a file");
    }

    @Test
    void aBadWeightToleranceIsNamed() {
        assertThat(run("--train", train, "--val", val, "--test", val, "--weight-tolerance", "-1")).isEqualTo(2);
        assertThat(stderr()).contains("--weight-tolerance needs a number >= 0, got -1");
    }

    @Test
    void aMissingFileIsNamed() {
        Path missing = dir.resolve("nope.jsonl");
        assertThat(run("--train", train, "--val", missing, "--test", val)).isEqualTo(2);
        assertThat(stderr()).contains(missing + ": no such file");
    }

    @Test
    void aBadLineIsNamedWithItsFileAndLineNumber() throws IOException {
        Path bad = write("bad.jsonl", List.of(line("fine", "delivery"), "", "{\"text\": \"no intent\"}"));
        assertThat(run("--train", train, "--val", bad, "--test", val)).isEqualTo(2);
        assertThat(stderr()).contains(bad + ":3: missing string field \"intent\"");

        err.reset();
        Path notJson = write("notjson.jsonl", List.of(line("fine", "delivery"), "text,intent"));
        assertThat(run("--train", train, "--val", val, "--test", notJson)).isEqualTo(2);
        assertThat(stderr()).contains(notJson + ":2: not a JSON object");
    }

    @Test
    void aLineThatIsNotUtf8IsNamed() throws IOException {
        Path latin1 = dir.resolve("latin1.jsonl");
        Files.write(latin1, "{\"text\": \"caf\u00e9\", \"intent\": \"x\"}\n".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(run("--train", train, "--val", latin1, "--test", val)).isEqualTo(2);
        assertThat(stderr()).contains(latin1 + ":1: not UTF-8");
    }

    @Test
    void trainingWithOneIntentIsAClearError() throws IOException {
        Path one = write("one.jsonl", List.of(line("where is my parcel", "delivery"), line("track it", "delivery")));
        assertThat(run("--train", one, "--val", val, "--test", val)).isEqualTo(2);
        assertThat(stderr()).contains("fewer than two in-scope intents");
    }

    @Test
    void aLocaleWithOneIntentStillEvaluates() throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(train));
        lines.add(line("배송은 언제 오나요", "배송"));
        lines.add(line("택배 언제 와요", "배송"));
        Path mixed = write("mixed.jsonl", lines);
        int code = run("--train", mixed, "--val", val, "--test", val);
        // One Korean intent beside three English ones: the Korean locale has nothing to choose between.
        assertThat(code).as(stderr()).isZero();
        assertThat(stderr()).contains("4 labels from 14 in-scope training questions").doesNotContain("Exception");
    }

    private int run(Object... args) {
        String[] a = new String[args.length];
        for (int i = 0; i < args.length; i++) {
            a[i] = args[i].toString();
        }
        return EvalCommand.run(a, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private Path write(String name, List<String> lines) throws IOException {
        return Files.write(dir.resolve(name), lines, StandardCharsets.UTF_8);
    }

    private static String line(String text, String intent) {
        return "{\"text\": \"" + text + "\", \"intent\": \"" + intent + "\"}";
    }
}
