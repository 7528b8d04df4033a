package dev.sodam.bot.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link TermIds} gives what a {@code HashMap<String, Integer>} of the same terms gives. */
class TermIdsTest {

    @Test
    void everyTermGetsItsPositionAndOtherStringsGetMinusOne() {
        Random random = new Random(7);
        List<String> terms = new ArrayList<>();
        Map<String, Integer> expected = new HashMap<>();
        while (terms.size() < 50_000) {
            String t = "c:" + (char) ('가' + random.nextInt(2000)) + (char) ('가' + random.nextInt(2000));
            if (expected.putIfAbsent(t, terms.size()) == null) {
                terms.add(t);
            }
        }
        TermIds ids = new TermIds(terms);
        assertThat(ids.size()).isEqualTo(terms.size());
        for (int i = 0; i < terms.size(); i++) {
            assertThat(ids.id(new String(terms.get(i).toCharArray()))).isEqualTo(i);
            assertThat(ids.term(i)).isEqualTo(terms.get(i));
        }
        for (int i = 0; i < 50_000; i++) {
            String t = "w:" + random.nextInt(1_000_000);
            assertThat(ids.id(t)).isEqualTo(expected.getOrDefault(t, -1));
        }
        assertThat(ids.id("")).isEqualTo(-1);
    }

    @Test
    void stringsWithTheSameHashAreTold() {
        // "Aa" and "BB" (and their concatenations) share String.hashCode.
        assertThat("Aa".hashCode()).isEqualTo("BB".hashCode());
        TermIds ids = new TermIds(List.of("AaAa", "BBBB", "AaBB"));
        assertThat(ids.id("AaAa")).isEqualTo(0);
        assertThat(ids.id("BBBB")).isEqualTo(1);
        assertThat(ids.id("AaBB")).isEqualTo(2);
        assertThat(ids.id("BBAa")).isEqualTo(-1);
    }

    @Test
    void emptySetAndDuplicates() {
        assertThat(new TermIds(List.of()).id("x")).isEqualTo(-1);
        assertThatThrownBy(() -> new TermIds(List.of("a", "b", "a"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("duplicate term a");
    }
}
