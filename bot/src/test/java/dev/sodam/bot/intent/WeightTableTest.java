package dev.sodam.bot.intent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sodam.bot.analysis.LocaleAnalysis;
import dev.sodam.bot.faq.LabelledText;
import java.util.ArrayList;
import java.util.List;
import opennlp.tools.ml.model.AbstractModel;
import org.junit.jupiter.api.Test;

/**
 * The scoring table must reproduce the trained OpenNLP model exactly: for any question, the
 * table's probabilities equal OpenNLP's own {@code eval(context, values)} (within 1e-6), so the
 * parameter extraction (predicate → weight row, outcome order, bias row) is right.
 */
class WeightTableTest {

    private static List<LabelledText> samples(String[][] data) {
        List<LabelledText> out = new ArrayList<>();
        for (String[] row : data) {
            for (int i = 1; i < row.length; i++) {
                out.add(new LabelledText(row[0], row[i]));
            }
        }
        return out;
    }

    private static void assertSameAsOpenNlp(String locale, List<LabelledText> samples, List<String> questions) {
        FeatureExtractor fx = new FeatureExtractor(LocaleAnalysis.forLocale(locale));
        AbstractModel model = IntentClassifier.trainOpenNlp(locale, samples, fx,
                IntentClassifier.Settings.DEFAULT);
        WeightTable table = WeightTable.fromOpenNlp(model, IntentClassifier.BIAS);
        assertThat(table.classes()).isEqualTo(model.getNumOutcomes());
        for (int c = 0; c < table.classes(); c++) {
            assertThat(table.classNames()[c]).isEqualTo(model.getOutcome(c));
        }
        for (String q : questions) {
            String[] f = fx.features(q);
            assertThat(f).as(q).isNotEmpty();
            double[] expected = model.eval(IntentClassifier.context(f), IntentClassifier.values(f));
            double[] actual = table.probabilities(f);
            assertThat(actual).as(q).hasSameSizeAs(expected);
            for (int c = 0; c < expected.length; c++) {
                assertThat(actual[c]).as(q + " / " + model.getOutcome(c)).isCloseTo(expected[c], within(1e-6));
            }
        }
    }

    @Test
    void englishTableEqualsOpenNlpEval() {
        List<LabelledText> samples = samples(new String[][] {
            {"delivery", "when will my order arrive", "how long does shipping take", "where is my package",
                "my parcel has not arrived yet"},
            {"refund", "how do i get a refund", "i want my money back", "can i return this item for a refund"},
            {"password", "i forgot my password", "how do i reset my password", "cannot log in to my account"},
            {"greeting", "hello", "hi there", "good morning"},
        });
        assertSameAsOpenNlp("en", samples, List.of(
                "where is my order", "refund please", "reset password", "hello!",
                "the weather is nice today", "my package never arrived and i want a refund"));
    }

    @Test
    void koreanTableEqualsOpenNlpEval() {
        List<LabelledText> samples = samples(new String[][] {
            {"ko-delivery", "배송 언제 와요", "배송 조회는 어떻게 하나요", "택배가 아직 안 왔어요"},
            {"ko-refund", "환불해 주세요", "환불은 얼마나 걸려요", "반품하고 싶어요"},
            {"ko-password", "비밀번호를 잊어버렸어요", "비밀번호 재설정 방법", "로그인이 안 돼요"},
        });
        assertSameAsOpenNlp("ko", samples, List.of(
                "배숑 언제와요", "환블 해주세요", "비번 까먹었어요", "오늘 날씨 좋네요", "배송조회어떻게해요"));
    }
}
