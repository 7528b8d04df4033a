package dev.sodam.server.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Korean personal numbers are masked wherever they appear in a message; near misses are left alone. */
class MaskerTest {
    private final Masker masker = Masker.builtIn();

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            // resident registration numbers (and alien registration: 5-8)
            "주민번호는 900101-1234567 입니다|주민번호는 ******-******* 입니다",
            "900101 2234567|****** *******",
            "외국인 040229-7123456 요|외국인 ******-******* 요",
            // mobile phones and their variants
            "010-1234-5678로 연락 주세요|010-****-5678로 연락 주세요",
            "01012345678|010****5678",
            "010 1234 5678|010 **** 5678",
            "010.1234.5678|010.****.5678",
            "011-123-4567|011-***-4567",
            "+82 10-1234-5678|+82 10-****-5678",
            "+821012345678|+8210****5678",
            "(전화:010-9876-5432)|(전화:010-****-5432)",
            // area numbers with separators
            "02-123-4567|02-***-4567",
            "031-1234-5678|031-****-5678",
            // cards with and without dashes or spaces (Luhn-valid test numbers)
            "카드 4111-1111-1111-1111 결제|카드 ****-****-****-1111 결제",
            "4111111111111111|************1111",
            "5500 0000 0000 0004|**** **** **** 0004",
            "3782-822463-10005|****-******-*0005",
            "주민 900101-1234567, 폰 010-1234-5678, 카드 4111111111111111|주민 ******-*******, 폰 010-****-5678, 카드 ************1111",
    })
    void masks(String text, String expected) {
        assertThat(masker.mask(text)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "901301-1234567",          // month 13: not a date
            "900132-1234567",          // day 32
            "900230-1234567",          // 30 February
            "020229-5123456",          // 29 February 1902 never was
            "900101-9234567",          // 9 is no registration code
            "900101-123456",           // one digit short
            "1900101-1234567",         // glued to another digit
            "900101-12345678",         // one digit too many
            "010-1234-567",            // phone one digit short
            "010-1234-56789",          // one too many
            "1010-1234-5678",          // glued
            "020-1234-5678",           // 020 is no area code
            "0212345678",              // a glued area number reads like any digit run
            "4111-1111-1111-1112",     // fails Luhn
            "4111111111111112",        // fails Luhn
            "1234-5678",               // too short for anything
            "2026-11-23 10:30",        // a date and a time
            "주문번호 2024112300123",   // 13 digits failing Luhn
            "총 12,345,678원",          // money
            "v1.0.10.1234.5678",       // a version string
    })
    void leavesNearMissesAlone(String text) {
        assertThat(masker.mask(text)).isEqualTo(text);
    }

    @Test
    void configuredPatternsMaskLettersAndDigitsOfEachMatch() {
        Masker custom = new Masker(Masker.compile(List.of("회원번호\\s*[A-Z]{2}\\d{6}", "(?i)passport [a-z]\\d{8}")));
        assertThat(custom.mask("회원번호 AB123456 확인해 주세요")).isEqualTo("**** ******** 확인해 주세요");
        assertThat(custom.mask("Passport M12345678 and 010-1234-5678"))
                .isEqualTo("******** ********* and 010-****-5678");
        assertThat(custom.mask("회원번호 A1234567")).isEqualTo("회원번호 A1234567");
    }

    /**
     * {@link Masker#mask} skips the built-in scans for texts with fewer than
     * {@link Masker#FEWEST_DIGITS_OF_A_BUILT_IN} digits: the scans themselves must leave every such
     * text alone, however its digits are grouped, and the shortest match must still be masked.
     */
    @Test
    void textsWithTooFewDigitsForAnyBuiltInAreLeftAloneByTheScansTheySkip() {
        assertThat(masker.mask("02-123-4567")).as("nine digits, the shortest built-in match").isEqualTo("02-***-4567");
        java.util.Random random = new java.util.Random(20261123);
        for (int n = 0; n < 50_000; n++) {
            String text = phoneLike(random, random.nextInt(Masker.FEWEST_DIGITS_OF_A_BUILT_IN));
            assertThat(Masker.asciiDigits(text, 99)).isLessThan(Masker.FEWEST_DIGITS_OF_A_BUILT_IN);
            assertThat(Masker.builtIns(text)).as(text).isEqualTo(text);
        }
        // The same shapes with enough digits are masked often: the loop above could have failed.
        int masked = 0;
        for (int n = 0; n < 50_000; n++) {
            String text = phoneLike(random, Masker.FEWEST_DIGITS_OF_A_BUILT_IN + random.nextInt(3));
            if (!masker.mask(text).equals(text)) {
                masked++;
            }
        }
        assertThat(masked).isGreaterThan(100);
    }

    /** {@code digits} digits, mostly in one run led by a 0, with the odd separator or other character. */
    private static String phoneLike(java.util.Random random, int digits) {
        String others = "-- ..+가 a(:";
        StringBuilder text = new StringBuilder();
        int length = digits + random.nextInt(4);
        int placed = 0;
        for (int i = 0; i < length; i++) {
            if (placed < digits && (random.nextInt(6) > 0 || length - i == digits - placed)) {
                text.append(placed == 0 ? '0' : placed == 1 && random.nextBoolean() ? '1' : (char) ('0' + random.nextInt(10)));
                placed++;
            } else {
                text.append(others.charAt(random.nextInt(others.length())));
            }
        }
        return text.toString();
    }

    @Test
    void luhnAcceptsOnlyValidCardLengths() {
        assertThat(Masker.luhn("4111111111111111")).isTrue();
        assertThat(Masker.luhn("4111111111111112")).isFalse();
        assertThat(Masker.luhn("0000000000")).as("too short").isFalse();
    }
}
