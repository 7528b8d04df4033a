package dev.sodam.bot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sodam.bot.decide.BotResponder;
import dev.sodam.bot.intent.IntentClassifier;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The bot as the server trains it (classifier weights pruned at
 * {@link IntentClassifier#WEIGHT_TOLERANCE}) against the exact model, on the real seed FAQ: pruning
 * while training gives exactly the exact model pruned afterwards (what the evaluation command
 * scores), every decision of the seed's phrasings, held-out and out-of-scope questions is the exact
 * model's (same kind, same label, confidence within 0.01), and the explanation ranks the same best
 * label first with the same similarities and probabilities within 0.01.
 */
class PrunedWeightsBotTest {

    private static List<String> questions() {
        List<String> qs = new ArrayList<>();
        for (FaqEntry e : SeedBots.faq()) {
            qs.add(e.question());
            qs.addAll(e.paraphrases());
        }
        qs.addAll(FaqBotSeedTest.HELD_OUT_KO.keySet());
        qs.addAll(FaqBotSeedTest.HELD_OUT_EN.keySet());
        HeldOutValidation.load(SeedBots.repoRoot().resolve("config/bot/out-of-scope.json"))
                .forEach(q -> qs.add(q.text()));
        qs.addAll(List.of("오늘 날씨 어때?", "상담원 연결", "안녕하세요", "thanks!", "", "🙂"));
        return qs;
    }

    @Test
    void prunedBotDecidesAsTheExactModel() {
        FaqBot exact = FaqBot.trainExact(SeedBots.faq(), SeedBots.intents(), SeedBots.THRESHOLDS);
        FaqBot prunedAfter = exact.withWeightTolerance(IntentClassifier.WEIGHT_TOLERANCE);
        FaqBot trained = SeedBots.bot();
        assertThat(trained.storedWeights()).isEqualTo(prunedAfter.storedWeights()).isLessThan(exact.storedWeights());
        int n = 0;
        for (String q : questions()) {
            for (String hint : List.of("ko", "en")) {
                BotDecision d = trained.ask(q, hint);
                assertThat(prunedAfter.ask(q, hint)).as(q).isEqualTo(d);
                BotDecision e = exact.ask(q, hint);
                assertThat(d.decision()).as(q).isEqualTo(e.decision());
                assertThat(d.intent()).as(q).isEqualTo(e.intent());
                assertThat(d.confidence()).as(q).isCloseTo(e.confidence(), within(0.01));

                List<BotResponder.Scored> pe = exact.explain(q, hint);
                List<BotResponder.Scored> pp = trained.explain(q, hint);
                // Every retrieval match is listed by both with the same similarity; a label listed by one
                // only is one of the classifier's ten most probable there that the near-tie at the tenth
                // place left out of the other ("운송장 번호 알려주세요": thanks, improbable in both).
                // Labels listed by both have probabilities within 0.01; the best label is the same.
                Map<String, BotResponder.Scored> byId = new HashMap<>();
                pp.forEach(s -> byId.put(s.label().id(), s));
                if (!pe.isEmpty()) {
                    assertThat(pp.get(0).label().id()).as(q).isEqualTo(pe.get(0).label().id());
                }
                int both = 0;
                for (BotResponder.Scored s : pe) {
                    BotResponder.Scored t = byId.remove(s.label().id());
                    if (t == null) {
                        assertThat(s.similarity()).as(q + " / " + s.label().id()).isZero();
                        continue;
                    }
                    both++;
                    assertThat(t.similarity()).as(q).isEqualTo(s.similarity());
                    assertThat(t.probability()).as(q).isCloseTo(s.probability(), within(0.01));
                }
                byId.values().forEach(t -> assertThat(t.similarity()).as(q + " / " + t.label().id()).isZero());
                assertThat(both).as(q).isGreaterThanOrEqualTo(pe.size() - 1);
                n++;
            }
        }
        assertThat(n).isGreaterThan(1000);
    }
}
