package dev.sodam.bot.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link NegationScopeFilter}: which word terms a negation applies to, which of them
 * a contrasting clause follows, and that the terms themselves are those of the chain without it.
 */
class NegationScopeFilterTest {

    private final LocaleAnalysis ko = LocaleAnalysis.forLocale("ko");
    private final LocaleAnalysis en = LocaleAnalysis.forLocale("en");

    private static void scope(LocaleAnalysis a, String text, List<String> negated, List<String> contrasted) {
        LocaleAnalysis.Analyzed got = a.analyze(text);
        assertThat(got.negated()).as(text + " negated").isEqualTo(negated);
        assertThat(got.contrasted()).as(text + " contrasted").isEqualTo(contrasted);
        // The flags leave the terms alone: the same words as the analyzer on its own, every negated event one
        // of them, or a light verb's noun among them with its verb (결제하, 결제되).
        assertThat(got.words()).as(text).isEqualTo(a.wordTerms(text));
        for (String event : negated) {
            String word = event.length() > 1 && (event.endsWith("하") || event.endsWith("되"))
                    && !got.words().contains(event) ? event.substring(0, event.length() - 1) : event;
            assertThat(got.words()).as(text + " " + event).contains(word);
        }
    }

    @Test
    void koreanShortNegationOfALightVerbNegatesItsNoun() {
        scope(ko, "취소 안 했는데 환불됐어요?", List.of("취소하"), List.of("취소하"));
        scope(ko, "결제 안했는데 돈이 빠져나갔어요", List.of("결제하"), List.of("결제하"));
        scope(ko, "로그인이 안 돼요", List.of("로그인되"), List.of());
        scope(ko, "주문 안 했지만 결제됨", List.of("주문하"), List.of("주문하"));
    }

    /**
     * Regression (closing notes): "결제 안 했는데 돈이 빠져나갔어요" was answered with payment-failed, whose
     * "결제가 안 돼요" negates 결제 too: a light verb's event was its noun alone. Not paying (결제 안 하다) and a
     * payment that does not go through (결제가 안 되다) are two events, so the noun keeps its light verb.
     */
    @Test
    void koreanLightVerbEventKeepsItsVerb() {
        scope(ko, "결제 안 했는데 돈이 빠져나갔어요", List.of("결제하"), List.of("결제하"));
        scope(ko, "결제하지 않았는데 돈이 나갔어요", List.of("결제하"), List.of("결제하"));
        scope(ko, "결제가 안 돼요", List.of("결제되"), List.of());
        scope(ko, "결제되지 않았는데 돈이 나갔어요", List.of("결제되"), List.of("결제되"));
        scope(ko, "결제 진행이 안 돼요", List.of("진행되"), List.of());
    }

    @Test
    void koreanShortNegationOfAVerbNegatesTheVerb() {
        scope(ko, "환불 아직 안 들어왔어요", List.of("들어오"), List.of());
        scope(ko, "인증번호가 안와요", List.of("오"), List.of());
        scope(ko, "물건을 못 받았는데 배송완료래요", List.of("받"), List.of("받"));
        scope(ko, "쿠폰 안 썼는데 할인됐어요", List.of("쓰"), List.of("쓰"));
    }

    @Test
    void koreanLongNegation() {
        scope(ko, "취소하지 않았는데 환불됐어요", List.of("취소하"), List.of("취소하"));
        scope(ko, "전원이 켜지지 않아요", List.of("켜"), List.of());
    }

    @Test
    void koreanNegationAfterTheContrastOrWithoutOneIsNotContrasted() {
        // What happened first, then what did not: the shape of most FAQ questions ("…했는데 안 왔어요").
        scope(ko, "주문한지 일주일 됐는데 안 왔어요", List.of("오"), List.of());
        scope(ko, "비밀번호 맞는데 로그인이 안 돼", List.of("로그인되"), List.of());
        // A contrast with nothing after it (a sentence-final 는데요) reports nothing that happened.
        scope(ko, "취소 안 했는데요", List.of("취소하"), List.of());
        // 어도 concedes ("no need to"), it reports nothing.
        scope(ko, "메일은 저장하지 않아도 돼요", List.of("저장하"), List.of());
        scope(ko, "배송 언제 와요?", List.of(), List.of());
        scope(ko, "안내 문자 언제 와요?", List.of(), List.of());
    }

    @Test
    void englishNegationScopesTheWordsUpToAClauseBoundary() {
        scope(en, "i didn't order this but got charged", List.of("order"), List.of("order"));
        scope(en, "I never ordered anything but my card was charged", List.of("order", "anyth"),
                List.of("order", "anyth"));
        scope(en, "it says delivered but i didn't get it", List.of(), List.of());
        scope(en, "i haven't received my refund yet", List.of("receiv", "refund"), List.of());
        scope(en, "the coupon is not applying", List.of("appli"), List.of());
        scope(en, "i did not cancel yet i got refunded", List.of("cancel"), List.of("cancel"));
        // yet ending a sentence (the tokenizer drops the full stop), though after the negation: no surprise.
        scope(en, "My card hasn't arrived yet. What do I do?", List.of("arriv"), List.of());
        scope(en, "it hasn't arrived even though i ordered it", List.of("arriv", "even"), List.of());
        scope(en, "when will my refund arrive", List.of(), List.of());
    }

    @Test
    void theNgramChainIsUnchanged() {
        // The flags are read from the word chain only; the n-grams are the grams of the same terms.
        LocaleAnalysis.Analyzed got = ko.analyze("취소 안 했는데 환불됐어요?");
        assertThat(got.ngrams()).isEqualTo(KoreanAnalysis.ngrams(got.words()));
        assertThat(en.analyze("i didn't order this but got charged").ngrams())
                .isEqualTo(en.ngramTerms("i didn't order this but got charged"));
    }
}
