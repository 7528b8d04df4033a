package dev.sodam.server.faq;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Where {@link FaqFiles#read} says a problem is, from the bytes an admin uploads: one-line JSON (as
 * many tools write it) names the entry and its id, pretty JSON keeps its lines, and a CSV whose quotes
 * Commons CSV cannot read names the line of the quote, in plain words.
 */
class FaqFilesReadTest {
    private static FaqFiles.Parsed read(String text, String format) {
        return FaqFiles.read(text.getBytes(StandardCharsets.UTF_8), format);
    }

    @Test
    void oneLineJsonNamesTheEntryAndItsIdOfEachProblem() {
        String json = "{\"entries\":[{\"id\":\"ko-ok\",\"locale\":\"ko\",\"question\":\"q\",\"answer\":\"a\"},"
                + "{\"id\":\"ko-bad\",\"locale\":\"ko\",\"question\":\"q2\",\"answer\":\"a2\",\"tags\":{\"x\":1},"
                + "\"enabled\":\"maybe\",\"version\":\"zero\"},"
                + "{\"locale\":\"ko\",\"question\":\"q3\",\"answer\":\"a3\",\"paraphrases\":[1]},"
                + "7]}";
        FaqFiles.Parsed parsed = read(json, null);
        assertThat(parsed.rows()).extracting(FaqFiles.Row::entry).containsExactly(1, 2, 3);
        assertThat(parsed.problems()).extracting(p -> p.line() + "|" + p.entry() + "|" + p.id() + "|" + p.field())
                .containsExactly("1|2|ko-bad|enabled", "1|2|ko-bad|version", "1|2|ko-bad|tags",
                        "1|3|null|paraphrases", "1|4|null|entry");
    }

    @Test
    void prettyJsonKeepsTheLineEachEntryStartsOn() {
        String json = "[\n  {\"locale\": \"ko\", \"question\": \"q\", \"answer\": \"a\"},\n"
                + "  {\n    \"id\": \"ko-two\",\n    \"locale\": \"ko\",\n    \"tags\": 5\n  }\n]\n";
        FaqFiles.Parsed parsed = read(json, "json");
        assertThat(parsed.rows()).extracting(FaqFiles.Row::line).containsExactly(2, 3);
        assertThat(parsed.problems()).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(3);
            assertThat(p.entry()).isEqualTo(2);
            assertThat(p.id()).isEqualTo("ko-two");
            assertThat(p.field()).isEqualTo("tags");
        });
    }

    @Test
    void malformedOneLineJsonNamesTheColumnAndTheEntryItBreaksIn() {
        String json = "{\"entries\":[{\"locale\":\"ko\",\"question\":\"q\",\"answer\":\"a\"},{\"locale\":ko}]}";
        List<FaqFiles.Problem> problems = read(json, null).problems();
        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(1);
            assertThat(p.entry()).isEqualTo(2);
            assertThat(p.message()).contains("inside entry 2");
            // Jackson stops just after the bad token: the column points at it, give or take its length.
            int column = Integer.parseInt(p.message().replaceAll(".*at column (\\d+).*", "$1"));
            assertThat(column).isBetween(json.indexOf("ko}") + 1, json.indexOf("ko}") + 3);
        });
        // A missing comma between entries: the error is after the last good one.
        String between = "[{\"locale\":\"ko\",\"question\":\"q\",\"answer\":\"a\"} {\"locale\":\"ko\"}]";
        assertThat(read(between, null).problems()).singleElement()
                .satisfies(p -> assertThat(p.message()).contains("after entry 1"));
    }

    @Test
    void aQuoteNeverClosedIsReportedOnItsLineInPlainWords() {
        String csv = "locale,question,answer\r\nko,하나,답\r\nko,둘,답\r\nko,셋,답\r\nko,\"닫히지 않은 질문,답\r\nko,다음,답\r\n";
        List<FaqFiles.Problem> problems = read(csv, "csv").problems();
        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(5);
            assertThat(p.message()).contains("a quote (\") opened here is never closed")
                    .doesNotContain("Exception", "org.apache", "startline");
        });
    }

    @Test
    void textAfterAClosingQuoteIsReportedOnItsLineInPlainWords() {
        String csv = "locale,question,answer\nko,하나,답\nko,\"인용\"된 질문,답\nko,다음,답\n";
        assertThat(read(csv, "csv").problems()).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(3);
            assertThat(p.message()).contains("closing quote", "\"된 질문,답\"", "comma")
                    .doesNotContain("Exception", "org.apache", "Invalid character");
        });
        // Spaces after a closing quote are allowed, a quote inside an unquoted cell is text: both read.
        FaqFiles.Parsed fine = read("locale,question,answer\nko,\"질문\"  ,답\nko,5\"짜리,답\n", "csv");
        assertThat(fine.problems()).isEmpty();
        assertThat(fine.rows()).extracting(FaqFiles.Row::question).containsExactly("질문", "5\"짜리");
    }

    @Test
    void aQuoteThatSwallowsLinesUpToALaterQuoteIsReportedWhereItOpened() {
        // The quote on line 3 is never closed; Commons CSV reads on to the quote on line 5 and stops
        // at the text after it. The admin's mistake is on line 3.
        String csv = "locale;question;answer\nko;하나;답\nko;\"둘;답\nko;셋;답\nko;\"넷\"x;답\n";
        assertThat(read(csv, "csv").problems()).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(3);
            assertThat(p.message()).contains("opened here", "line 5").doesNotContain("Exception");
        });
    }

    @Test
    void aCsvProblemCarriesTheRowsIdButNoEntry() {
        String csv = "id,locale,question,answer,enabled\nko-x,ko,질문,답,maybe\n";
        assertThat(read(csv, "csv").problems()).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(2);
            assertThat(p.entry()).isNull();
            assertThat(p.id()).isEqualTo("ko-x");
            assertThat(p.field()).isEqualTo("enabled");
        });
    }
}
