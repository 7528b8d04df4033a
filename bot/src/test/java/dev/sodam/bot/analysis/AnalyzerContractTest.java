package dev.sodam.bot.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;
import org.junit.jupiter.api.Test;

class AnalyzerContractTest {

    private final LocaleAnalysis ko = LocaleAnalysis.forLocale("ko");
    private final LocaleAnalysis en = LocaleAnalysis.forLocale("en");

    @Test
    void normalizerCollapsesRepeatsToTwo() {
        assertThat(TextNormalizer.normalize("ㅋㅋㅋㅋㅋ")).hasSize(2);
        assertThat(TextNormalizer.normalize("왜요????")).isEqualTo("왜요??");
        assertThat(TextNormalizer.normalize("plzzzzz")).isEqualTo("plzz");
        assertThat(TextNormalizer.normalize("Hello   World")).isEqualTo("hello world");
    }

    @Test
    void normalizerAppliesNfkcAndLowerCase() {
        assertThat(TextNormalizer.normalize("ＡＢＣ１２３")).isEqualTo("abc123");
    }

    @Test
    void normalizerStripsEmojiAndUrls() {
        assertThat(TextNormalizer.normalize("배송 언제 와요 😡😡 https://example.com/order?id=3 ㅠ"))
                .isEqualTo("배송 언제 와요 ㅠ".replace("ㅠ", TextNormalizer.normalize("ㅠ")));
        assertThat(TextNormalizer.normalize("where is it 👍🏽 www.example.com/x")).isEqualTo("where is it");
    }

    @Test
    void koreanNegationAndQuestionAdverbsSurvive() {
        assertThat(ko.wordTerms("택배가 안 와요")).contains("안");
        assertThat(ko.wordTerms("로그인을 못 해요")).contains("못");
        assertThat(ko.wordTerms("왜 안 와요")).contains("왜", "안");
        assertThat(ko.wordTerms("언제 와요")).contains("언제");
        assertThat(ko.wordTerms("어떻게 해요")).anyMatch(t -> t.startsWith("어떻"));
        assertThat(ko.wordTerms("얼마예요")).contains("얼마");
    }

    @Test
    void koreanParticlesAndEndingsAreDropped() {
        List<String> terms = ko.wordTerms("배송은 얼마나 걸리나요?");
        assertThat(terms).contains("배송").doesNotContain("은", "?");
    }

    @Test
    void koreanTypoMapFixesCommonMisspellings() {
        assertThat(ko.wordTerms("결재가 안돼요")).contains("결제").doesNotContain("결재");
        assertThat(ko.wordTerms("배숑 언제 와요")).contains("배송");
        assertThat(ko.wordTerms("환블 해주세요")).contains("환불");
        assertThat(ko.wordTerms("비번 까먹었어요")).contains("비밀번호");
        assertThat(ko.wordTerms("로긴이 안돼요")).contains("로그인");
        assertThat(ko.wordTerms("택배 언제 와요")).contains("배송");
    }

    /** Lucene's {@code assertAnalyzesTo} in spirit: exactly these terms, in this order. */
    private static void assertTerms(List<String> actual, String... expected) {
        assertThat(actual).containsExactly(expected);
    }

    @Test
    void koreanUserDictionarySplitsShopCompoundsIntoTheirParts() {
        // Decompound mode DISCARD: a compound gives its parts only (MIXED also gave the compound and
        // every inflected surface form, 알려 beside 알리, which doubled their weight).
        assertTerms(ko.wordTerms("무통장입금 했어요"), "무통장", "입금");
        assertTerms(ko.wordTerms("현금영수증 발급"), "현금", "영수증", "발급");
        assertTerms(ko.wordTerms("소담마켓 무료배송"), "소담", "마켓", "무료", "배송");
        // ... and the n-gram field still sees the compound whole.
        assertThat(ko.ngramTerms("무통장입금")).contains("무통장", "장입금");
    }

    @Test
    void koreanRequestVerbsEndingsAndDemonstrativesMakeNoTerms() {
        assertTerms(ko.wordTerms("환불기간 알려주세요"), "환불", "기간");
        assertTerms(ko.wordTerms("반품 절차 알려주세요"), "반품", "절차");
        assertTerms(ko.wordTerms("알려주세요"));
        assertTerms(ko.wordTerms("왜 이렇게 늦게 와요"), "왜", "늦");
    }

    @Test
    void koreanDomainSynonymsFoldWholeTerms() {
        assertTerms(ko.wordTerms("배송 추적 하고싶어요"), "배송", "조회");
        assertTerms(ko.wordTerms("치수 바꾸고 싶은데요"), "사이즈", "바꾸");
        assertTerms(ko.wordTerms("이중결제 취소해주세요"), "중복", "결제", "취소");
        assertTerms(ko.wordTerms("주문수정 어떻게 해요"), "주문", "변경", "어떻");
        assertTerms(ko.wordTerms("잘못 시켰어요"), "잘못", "주문");
        assertTerms(ko.wordTerms("카톡으로 로그인"), "카카오", "로그인");
        assertTerms(ko.wordTerms("ID 찾기"), "아이디", "찾");
        // Refund and return are different requests: never folded onto each other.
        assertTerms(ko.wordTerms("환불 해주세요"), "환불");
        assertTerms(ko.wordTerms("반품 해주세요"), "반품");
        // Term-level: a rule never rewrites part of a longer term (id → 아이디 leaves "idea" alone).
        assertThat(ko.wordTerms("idea 있어요")).contains("idea").doesNotContain("아이디");
    }

    /** Regression: "refund 얼마나 걸려요" got the delivery-time answer; its one content word matched nothing. */
    @Test
    void englishShopWordsInKoreanQuestionsFoldOntoTheKoreanWord() {
        assertThat(ko.wordTerms("refund 얼마나 걸려요")).contains("환불", "얼마나").doesNotContain("refund");
        assertTerms(ko.wordTerms("cancel order 하고싶어요"), "취소", "주문");
        assertThat(ko.wordTerms("Delivery 언제 와요")).contains("배송", "언제");
        // Refund and return stay apart here too.
        assertThat(ko.wordTerms("return 할래요")).contains("반품").doesNotContain("환불");
    }

    @Test
    void koreanNgramsAreGramsOfTheContentTermsOnly() {
        // Endings and particles (알려주세요, 하고싶어요) make no grams; synonyms apply first.
        assertTerms(ko.ngramTerms("반품 절차 알려주세요"), "반품", "반품절", "품절", "품절차", "절차");
        assertTerms(ko.ngramTerms("배송 추적 하고싶어요"), "배송", "배송조", "송조", "송조회", "조회");
        assertTerms(ko.ngramTerms("알려주세요"));
    }

    @Test
    void koreanNgramsIgnoreSpacing() {
        assertThat(ko.ngramTerms("배송조회어떻게해요")).isEqualTo(ko.ngramTerms("배송 조회 어떻게 해요?"));
        assertTerms(ko.ngramTerms("배송조회"), "배송", "배송조", "송조", "송조회", "조회");
    }

    @Test
    void analysingOnceGivesExactlyWhatEachAnalyzerGives() {
        // The bot analyses a question once (LocaleAnalysis.analyze) and derives the Korean n-grams from
        // the word terms; the index was built with the analyzers. Both must agree term for term.
        for (String s : List.of("배송조회어떻게해요", "환불기간 알려주세요", "아이폰 iPhone 15 케이스 배송 tracking 어떻게 해요?",
                "무통장입금 했어요ㅠㅠ", "결재가 안돼요", "배송 tracking", "where is my adress?", "옷", "", "😡😡", "?!",
                "배송조회어떻게해요".repeat(60))) {
            for (LocaleAnalysis a : List.of(ko, en)) {
                LocaleAnalysis.Analyzed x = a.analyze(s);
                assertThat(x.words()).as(a.locale() + " words of " + s).isEqualTo(a.wordTerms(s));
                assertThat(x.ngrams()).as(a.locale() + " n-grams of " + s).isEqualTo(a.ngramTerms(s));
                assertThat(x.normalized()).isEqualTo(TextNormalizer.normalize(s));
            }
        }
    }

    @Test
    void englishKeepsNegationAndQuestionWords() {
        List<String> terms = en.wordTerms("Why is it not here? No tracking, when and how?");
        assertThat(terms).contains("why", "not", "no", "when", "how");
        assertThat(terms).doesNotContain("is", "it", "and");
    }

    @Test
    void englishStemsAndStripsPossessives() {
        assertThat(en.wordTerms("my order's tracking")).containsExactly("order", "track");
        assertThat(en.wordTerms("Returns returned RETURNING")).containsOnly("return");
    }

    @Test
    void englishNgramsShareGramsAcrossTypos() {
        List<String> typo = en.ngramTerms("shippping");
        List<String> right = en.ngramTerms("shipping");
        assertThat(typo).contains("_sh", "_shi", "ng_", "ing_");
        assertThat(typo.stream().filter(right::contains).count()).isGreaterThanOrEqualTo(8);
    }

    @Test
    void englishTypoMapFixesCommonMisspellings() {
        assertThat(en.wordTerms("how do i retrun this")).contains("how", "return");
        assertThat(en.wordTerms("wher is my adress")).containsExactly("where", "address");
    }

    @Test
    void mixedKoreanAndEnglishKeepsBothScripts() {
        List<String> terms = ko.wordTerms("아이폰 iPhone 15 케이스 배송 tracking 어떻게 해요?");
        assertThat(terms).contains("배송", "케이스", "iphone", "tracking");
        assertThat(ko.ngramTerms("배송 tracking")).contains("배송", "송t");
        assertThat(en.wordTerms("my 배송 is late")).contains("late").anyMatch(t -> t.contains("배송"));
    }

    @Test
    void emptyAndBlankInputGiveNoTerms() {
        for (LocaleAnalysis a : List.of(ko, en)) {
            assertThat(a.wordTerms("")).isEmpty();
            assertThat(a.ngramTerms("")).isEmpty();
            assertThat(a.wordTerms("   \t\n ")).isEmpty();
            assertThat(a.wordTerms("😡😡 👍🏽")).isEmpty();
            assertThat(a.wordTerms("?!...")).isEmpty();
        }
        assertThat(TextNormalizer.normalize(null)).isEmpty();
    }

    @Test
    void veryLongInputIsAnalysedInBoundedTime() {
        String ko10k = "배송이 언제 오나요 환불은 어떻게 하나요 ".repeat(500).substring(0, 10_000);
        String en10k = "where is my order and how do i get a refund ".repeat(250).substring(0, 10_000);
        String noSpaces = "배송조회어떻게해요".repeat(1200).substring(0, 10_000);
        long t0 = System.nanoTime();
        assertThat(ko.wordTerms(ko10k)).contains("배송", "환불");
        assertThat(ko.ngramTerms(noSpaces)).isNotEmpty();
        assertThat(en.wordTerms(en10k)).contains("order", "refund");
        assertThat(en.ngramTerms(en10k)).isNotEmpty();
        assertThat(TextNormalizer.normalize("a".repeat(10_000))).isEqualTo("aa");
        assertThat((System.nanoTime() - t0) / 1_000_000).as("ms for four 10k-char analyses").isLessThan(5_000);
    }

    /** Every token as {@code term@start-end} (offsets into the analysed text). */
    private static List<String> tokensWithOffsets(Analyzer analyzer, String text) throws IOException {
        List<String> out = new ArrayList<>();
        try (TokenStream ts = analyzer.tokenStream("f", text)) {
            CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
            OffsetAttribute offset = ts.addAttribute(OffsetAttribute.class);
            ts.reset();
            int lastStart = 0;
            while (ts.incrementToken()) {
                String t = term + "@" + offset.startOffset() + "-" + offset.endOffset();
                assertThat(offset.startOffset()).as(t + " in " + text).isBetween(lastStart, offset.endOffset());
                assertThat(offset.endOffset()).as(t + " in " + text).isLessThanOrEqualTo(text.length());
                lastStart = offset.startOffset();
                out.add(t);
            }
            ts.end();
        }
        return out;
    }

    @Test
    void offsetsPointIntoTheOriginalText() throws IOException {
        Analyzer koWords = KoreanAnalysis.wordAnalyzer();
        Analyzer enWords = EnglishAnalysis.wordAnalyzer();
        // Full-width letters (NFKC), an emoji and a URL removed, a run cut: each token's offsets
        // cover its own characters in the original text, not in the normalised one.
        String en = "ＷＨＥＲＥ 😡😡 is https://example.com/x my   order????";
        assertThat(tokensWithOffsets(enWords, en)).containsExactly("where@0-5", "order@41-46");
        assertThat(en.substring(41, 46)).isEqualTo("order");
        String ko = "😡 환불  https://x.kr 배송 결재 ㅋㅋㅋㅋ";
        List<String> koTokens = tokensWithOffsets(koWords, ko);
        assertThat(koTokens).contains("환불@3-5", "배송@20-22", "결제@23-25");
        assertThat(ko.substring(23, 25)).isEqualTo("결재"); // the typo map's fix maps back to the typo
        // The fuzzer's finding (server AnalyzerChainFuzzTest): NFKC turns U+0676 into two characters,
        // and the Korean chain's offsets ended past the text.
        String fuzz = "\b.\u017d\u000eou9M\u007f\u00deqP\u0676";
        for (Analyzer a : List.of(koWords, KoreanAnalysis.ngramAnalyzer(), enWords, EnglishAnalysis.ngramAnalyzer())) {
            assertThat(tokensWithOffsets(a, fuzz)).isNotEmpty();
            assertThat(tokensWithOffsets(a, "\u0676\u0676 배송 İstanbul ﾊﾟ 각")).isNotEmpty();
        }
    }

    @Test
    void normalisedTextIsTheSameWithOrWithoutTheOffsetMap() {
        for (String s : List.of("ＡＢＣ１２３ 😡😡 https://example.com/a?b=1 ㅋㅋㅋㅋㅋ", "İstanbul ΟΔΟΣ", "\u0676x",
                "각 각 e\u0301", "  왜요????  ", "", "mail me: a.b@example.com now 👍🏽")) {
            TextNormalizer.Mapped m = TextNormalizer.normalizeWithOffsets(s);
            assertThat(m.text()).isEqualTo(TextNormalizer.normalize(s));
            assertThat(m.origin()).hasSize(m.text().length() + 1);
            for (int i = 1; i < m.origin().length; i++) {
                assertThat(m.origin()[i]).as(s).isBetween(m.origin()[i - 1], s.length());
            }
        }
    }
}
