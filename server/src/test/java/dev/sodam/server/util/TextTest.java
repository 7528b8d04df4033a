package dev.sodam.server.util;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TextTest {
    @Test
    void charactersAreCodePointsSoAnEmojiOrARareHanjaCountsOnce() {
        assertThat(Text.chars("😀".repeat(1_001))).isEqualTo(1_001);
        assertThat(Text.chars("𠀀배송")).isEqualTo(3);
        assertThat(Text.chars("")).isZero();
    }

    @Test
    void truncatingNeverSplitsASurrogatePair() {
        assertThat(Text.truncate("a😀b😀", 2)).isEqualTo("a😀");
        assertThat(Text.truncate("😀😀😀", 1)).isEqualTo("😀");
        assertThat(Text.truncate("배송", 5)).isEqualTo("배송");
    }
}
