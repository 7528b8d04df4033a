package dev.sodam.bot;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The bot trained on the real seed files answers what it should. */
class FaqBotSeedTest {

    @Test
    void trainsOnTheRealSeed() {
        FaqBot bot = SeedBots.bot();
        assertThat(bot.entries()).hasSizeGreaterThanOrEqualTo(72);
        System.out.println("train ms: " + SeedBots.trainMillis());
    }

    @Test
    void everyCanonicalQuestionIsAnsweredWithItsEntry() {
        FaqBot bot = SeedBots.bot();
        List<String> failures = new ArrayList<>();
        for (FaqEntry e : bot.entries()) {
            BotDecision d = bot.ask(e.question(), e.locale());
            if (!(d instanceof BotDecision.Answer a) || !e.id().equals(a.faqId())) {
                failures.add(SeedBots.explain(e.question(), e.locale()));
            } else {
                assertThat(a.answer()).isEqualTo(e.answer());
                assertThat(a.locale()).isEqualTo(e.locale());
                assertThat(a.candidates()).isNotEmpty();
                assertThat(a.candidates().get(0).faqId()).isEqualTo(e.id());
            }
        }
        assertThat(failures).as(String.join("", failures)).isEmpty();
    }

    /** Held-out phrasings, not in the seed: typos, no spacing, different wording. */
    static final Map<String, String> HELD_OUT_KO = Map.ofEntries(
            Map.entry("배숑 언제와요", "ko-delivery-time"),
            Map.entry("배송조회 어떻게하나요", "ko-delivery-tracking"),
            Map.entry("결재 취소하고싶어요", "ko-cancel-order"),
            Map.entry("환블 언제 돼요", "ko-refund-time"),
            Map.entry("비번을 까먹었는데 어떻게 해요", "ko-forgot-password"),
            Map.entry("로긴이 안되요ㅠㅠ", "ko-login-failed"),
            Map.entry("배송비얼마예요", "ko-delivery-fee"),
            Map.entry("현금영수증발급해주세요", "ko-cash-receipt"),
            Map.entry("무통장입금 계좌번호 알려줘요", "ko-bank-transfer"),
            Map.entry("물건이 깨진채로 도착했어요", "ko-broken-item"),
            Map.entry("반품하고싶은데 어떻게 해여", "ko-how-to-return"),
            Map.entry("할인쿠폰 어떻게 써요?", "ko-coupon"),
            Map.entry("회원탈퇴하고싶어요", "ko-delete-account"),
            Map.entry("인증번호가 계속 안와여", "ko-verification-code"),
            Map.entry("주소를 잘못 썼는데 바꿀수있나요", "ko-change-address"));

    static final Map<String, String> HELD_OUT_EN = Map.ofEntries(
            Map.entry("wher is my parcel", "en-delivery-tracking"),
            Map.entry("how do i retrun this", "en-how-to-return"),
            Map.entry("how long does shiping take", "en-delivery-time"),
            Map.entry("i forgot my pasword", "en-forgot-password"),
            Map.entry("my payment keeps failing at checkout", "en-payment-failed"),
            Map.entry("can i pay with kakaopay", "en-payment-methods"),
            Map.entry("the item i got is broken", "en-broken-item"),
            Map.entry("i got charged two times", "en-double-charge"),
            Map.entry("how can i cancel my order??", "en-cancel-order"),
            Map.entry("can i change my shipping adress", "en-change-address"),
            Map.entry("when do i get my refund", "en-refund-time"),
            Map.entry("do you ship to japan", "en-overseas-shipping"),
            Map.entry("how do i delete my acount", "en-delete-account"),
            Map.entry("where do i put a promo code", "en-coupon"),
            Map.entry("what size should i buy", "en-size-guide"));

    @Test
    void heldOutKoreanParaphrases() {
        checkHeldOut(HELD_OUT_KO, "ko");
    }

    @Test
    void heldOutEnglishParaphrases() {
        checkHeldOut(HELD_OUT_EN, "en");
    }

    private static void checkHeldOut(Map<String, String> cases, String locale) {
        FaqBot bot = SeedBots.bot();
        int answeredRight = 0;
        List<String> notAnswered = new ArrayList<>();
        List<String> notInTop3 = new ArrayList<>();
        for (Map.Entry<String, String> c : cases.entrySet()) {
            BotDecision d = bot.ask(c.getKey(), locale);
            if (d instanceof BotDecision.Answer a && c.getValue().equals(a.faqId())) {
                answeredRight++;
            } else {
                notAnswered.add(SeedBots.explain(c.getKey(), locale));
            }
            if (d.candidates().stream().limit(3).noneMatch(x -> x.faqId().equals(c.getValue()))) {
                notInTop3.add(SeedBots.explain(c.getKey(), locale));
            }
            assertThat(d).as(c.getKey()).isNotInstanceOf(BotDecision.Handoff.class);
        }
        double share = (double) answeredRight / cases.size();
        System.out.printf("held-out %s: %d/%d answered with the right entry (%.0f %%)%n%s", locale, answeredRight,
                cases.size(), share * 100, String.join("", notAnswered));
        assertThat(notInTop3).as(String.join("", notInTop3)).isEmpty();
        assertThat(share).as(String.join("", notAnswered)).isGreaterThanOrEqualTo(0.8);
    }

    @Test
    void outOfDomainChatterIsNeverAnsweredWithAFaq() {
        FaqBot bot = SeedBots.bot();
        List<String> chatter = List.of("오늘 날씨 어때?", "주식 추천해줘", "헤어진 여자친구가 생각나", "점심 뭐 먹지",
                "너 몇 살이야?", "비트코인 지금 사도 돼?", "what's the capital of france", "tell me a joke about cats",
                "who won the world cup", "what is the meaning of life", "recommend a good movie");
        List<String> wrong = new ArrayList<>();
        for (String text : chatter) {
            BotDecision d = bot.ask(text, "ko");
            if (d instanceof BotDecision.Answer a && a.faqId() != null) {
                wrong.add(SeedBots.explain(text, "ko"));
            }
        }
        assertThat(wrong).as(String.join("", wrong)).isEmpty();
    }

    @Test
    void explicitRequestsForAPersonHandOff() {
        FaqBot bot = SeedBots.bot();
        for (String text : List.of("상담원 연결", "상담원연결해주세요", "사람이랑 얘기하고 싶어요", "talk to a human",
                "agent please", "can I speak to a real person?")) {
            BotDecision d = bot.ask(text, "ko");
            assertThat(d).as(SeedBots.explain(text, "ko")).isInstanceOf(BotDecision.Handoff.class);
            assertThat(((BotDecision.Handoff) d).reason()).isEqualTo(BotDecision.Reason.REQUESTED);
        }
    }

    /**
     * Regression (QA): a visitor who turned a person down ("사람 부르지 마세요", "상담원 연결 원하지 않아요",
     * "please do not transfer me to a human") was handed to one: the triggers saw the "no", the
     * classifier's handoff intent did not. Now the bot carries on (the no-handoff reply or an answer).
     */
    @Test
    void aPersonTurnedDownIsNotHandedOff() {
        FaqBot bot = SeedBots.bot();
        for (String text : List.of("사람 불러주지 마세요", "사람 부르지 마", "상담원 연결 원하지 않아요", "사람 말고 봇이 답해줘",
                "상담원 연결 말고 그냥 환불 기간 알려줘", "please do not transfer me to a human",
                "I would rather not talk to a person")) {
            BotDecision d = bot.ask(text, "ko");
            assertThat(d).as(SeedBots.explain(text, "ko")).isInstanceOf(BotDecision.Answer.class);
        }
        BotDecision.Answer declined = (BotDecision.Answer) bot.ask("사람 부르지 마", "ko");
        assertThat(declined.intent()).isEqualTo("no-handoff");
        assertThat(declined.answer()).startsWith("알겠어요");
        // As sure as the bot is that it is about a person, not the leftover unsure FAQ's 0 (a gap otherwise).
        assertThat(declined.confidence()).as(SeedBots.explain("사람 부르지 마", "ko")).isGreaterThan(0.5);
        // A request after a refusal of something else, or before turning the bot down, is still a request.
        for (String text : List.of("봇 말고 상담원이요", "사람이랑 얘기하고 싶어요 봇은 싫어요", "사람 불러주세요 봇 말고")) {
            assertThat(bot.ask(text, "ko")).as(SeedBots.explain(text, "ko")).isInstanceOf(BotDecision.Handoff.class);
        }
    }

    /**
     * Regression (closing notes): "취소 안 했는데 환불됐어요?" (a refund without a cancellation) was answered
     * with the refund-time entry at a confidence above the calibrated answer threshold: retrieval and the
     * classifier read 취소 and 환불, not the "안". An event reported as not having happened beside one that
     * did, which the entry never negates, leaves the bot unsure (held-out phrasings: clarify or hand off).
     */
    @Test
    void aNegatedEventBesideOneThatHappenedIsNoConfidentAnswer() {
        FaqBot bot = SeedBots.calibrated();
        List<String> answered = new ArrayList<>();
        for (String text : List.of("취소 안 했는데 환불됐어요?", "결제 안 했는데 돈이 빠져나갔어요", "반품 신청 안 했는데 환불됐대요",
                "주문하지 않았는데 택배가 왔어요", "탈퇴 안 했는데 계정이 없어졌어요", "i didn't order this but got charged",
                "i never placed an order but money was taken from my card", "i did not cancel yet i got refunded",
                "I didn't return anything but got a refund", "i didn't sign up but i got a verification code")) {
            BotDecision d = bot.ask(text, "ko");
            if (d instanceof BotDecision.Answer) {
                answered.add(text + " " + d);
            }
        }
        // "결제 안 했는데 돈이 빠져나갔어요" was the one of ten still answered, with ko-payment-failed, whose
        // "결제가 안 돼요" negates 결제 too; the event of a light verb keeps its verb now (결제하, not 결제되:
        // notHavingPaidIsNoFailedPayment), and none of the ten is answered.
        assertThat(answered).as(String.join("\n", answered)).isEmpty();
        assertThat(bot.ask("취소 안 했는데 환불됐어요?", "ko")).isNotInstanceOf(BotDecision.Answer.class);
        // An entry whose phrasings speak of the event not happening still answers it.
        for (Map.Entry<String, String> e : Map.of("물건을 못 받았는데 배송완료래요", "ko-missing-parcel",
                "로그인이 안 되는데 비밀번호는 맞아요", "ko-login-failed",
                "i can't log in but my password is right", "en-login-failed").entrySet()) {
            BotDecision d = bot.ask(e.getKey(), "ko");
            assertThat(d).as(e.getKey() + " " + d).isInstanceOf(BotDecision.Answer.class);
            assertThat(((BotDecision.Answer) d).faqId()).isEqualTo(e.getValue());
        }
    }

    /**
     * Regression (closing notes): "결제 안 했는데 돈이 빠져나갔어요" (money taken without paying) was answered
     * with payment-failed at confidence 0.37 (threshold 0.34; "결제 안했는데 돈이 나갔어요" 0.82): its phrasing
     * "결제가 안 돼요" negates 결제 as well, and the negated event was the noun without its light verb. Not
     * paying is another event than a payment that does not go through.
     */
    @Test
    void notHavingPaidIsNoFailedPayment() {
        FaqBot bot = SeedBots.calibrated();
        for (String text : List.of("결제 안 했는데 돈이 빠져나갔어요", "결제 안했는데 돈이 나갔어요", "결제하지 않았는데 돈이 빠져나갔어요",
                "결제 안 했는데 카드 승인 문자가 왔어요")) {
            BotDecision d = bot.ask(text, "ko");
            assertThat(d).as(SeedBots.explain(text, "ko")).isNotInstanceOf(BotDecision.Answer.class);
        }
        // A payment that failed is still one: its entry answers.
        for (String text : List.of("결제가 안 돼요", "결제가 안 되는데 카드 한도는 충분해요")) {
            BotDecision d = bot.ask(text, "ko");
            assertThat(d).as(SeedBots.explain(text, "ko")).isInstanceOf(BotDecision.Answer.class);
            assertThat(d.intent()).isEqualTo("ko-payment-failed");
        }
    }

    /**
     * Regression: the {@code UNSPOKEN_NEGATION} factor kept a negated event from being answered only while the
     * calibrated scale put 0.25 × its raw score below the answer threshold; one more seed entry moved the ko
     * threshold from 0.34 to 0.25 and "결제하지 않았는데 돈이 빠져나갔어요" (double-charge) and "탈퇴 안 했는데 계정이
     * 없어졌어요" (delete-account) were answered again. An entry that never negates the event is suggested at
     * most, whatever the thresholds.
     */
    @Test
    void aNegatedEventIsNoAnswerWhateverTheThreshold() {
        FaqBot bot = SeedBots.calibrated().withThresholds(Map.of("ko", new BotThresholds(0.1, 0.05),
                "en", new BotThresholds(0.1, 0.05)));
        for (String text : List.of("결제하지 않았는데 돈이 빠져나갔어요", "탈퇴 안 했는데 계정이 없어졌어요", "취소 안 했는데 환불됐어요?",
                "i didn't order this but got charged", "i never paid but my card was charged")) {
            BotDecision d = bot.ask(text, "ko");
            assertThat(d).as(text + " " + d).isNotInstanceOf(BotDecision.Answer.class);
        }
        BotDecision missing = bot.ask("물건을 못 받았는데 배송완료래요", "ko");
        assertThat(missing).isInstanceOf(BotDecision.Answer.class);
        assertThat(missing.intent()).isEqualTo("ko-missing-parcel");
    }

    /**
     * Regression (closing notes): "사람 많아요?" (is it crowded?) was handed to a person as a request: the
     * classifier's handoff intent weighs 사람. Questions about a crowd (the four of the notes and
     * held-out ones) are no request now; requests, held-out ones too, still are.
     */
    @Test
    void aQuestionAboutACrowdIsNoRequestForAPerson() {
        FaqBot bot = SeedBots.bot();
        for (String text : List.of("사람 많아요?", "사람 많이 기다려요?", "지금 사람 많나요", "매장에 사람 많아요?",
                "대기하는 사람 많나요?", "사람 좀 많네요", "주말엔 사람 많죠?", "사람 많이 있어요?", "지금 기다리는 사람 몇 명이에요?",
                "오프라인 매장 사람 붐벼요?", "are there many people waiting?")) {
            BotDecision d = bot.ask(text, "ko");
            assertThat(d instanceof BotDecision.Handoff h && h.reason() == BotDecision.Reason.REQUESTED)
                    .as(SeedBots.explain(text, "ko")).isFalse();
            assertThat(d.intent()).as(SeedBots.explain(text, "ko")).isNotIn("handoff", "no-handoff");
        }
        for (String text : List.of("사람 불러주세요", "사람이랑 얘기할래요", "상담원 연결", "사람이랑 얘기하고 싶어요 봇은 싫어요",
                "사람 좀 불러 주실래요", "진짜 사람이랑 통화 가능해요?", "직원분 계세요?", "사람 있어요?", "담당자 연결 부탁드립니다",
                "챗봇 말고 직원이요", "not a bot, a person please", "human please")) {
            BotDecision d = bot.ask(text, "ko");
            assertThat(d).as(SeedBots.explain(text, "ko")).isInstanceOf(BotDecision.Handoff.class);
            assertThat(((BotDecision.Handoff) d).reason()).as(SeedBots.explain(text, "ko"))
                    .isEqualTo(BotDecision.Reason.REQUESTED);
        }
        assertThat(bot.ask("사람 부르지 마세요", "ko")).isInstanceOf(BotDecision.Answer.class);
    }

    /**
     * Regression (closing notes): "사람이 필요해요" was handed off as unsure (confidence 0.03, handoff intent
     * p 0.42), "직원이 필요합니다" got the no-handoff reply, and "상담원 몇 명이에요?" (a question about the
     * agents) got the no-handoff reply too. A person needed is a request; a question about people is neither
     * a request nor a person turned down.
     */
    @Test
    void aPersonNeededIsARequestNotUnsure() {
        FaqBot bot = SeedBots.calibrated();
        for (String text : List.of("사람이 필요해요", "사람 필요해요", "직원이 필요합니다", "상담사가 필요해요", "I need a human",
                "사람 좀 필요해요", "담당자가 필요합니다", "진짜 사람이 필요한데요")) {
            BotDecision d = bot.ask(text, "ko");
            assertThat(d).as(SeedBots.explain(text, "ko")).isInstanceOf(BotDecision.Handoff.class);
            assertThat(((BotDecision.Handoff) d).reason()).as(SeedBots.explain(text, "ko"))
                    .isEqualTo(BotDecision.Reason.REQUESTED);
        }
        for (String text : List.of("사람 많아요?", "상담원 몇 명이에요?", "상담원 몇 분 계세요?", "지금 사람 많나요")) {
            BotDecision d = bot.ask(text, "ko");
            assertThat(d instanceof BotDecision.Handoff h && h.reason() == BotDecision.Reason.REQUESTED)
                    .as(SeedBots.explain(text, "ko")).isFalse();
            assertThat(d.intent()).as(SeedBots.explain(text, "ko")).isNotIn("handoff", "no-handoff");
        }
        assertThat(bot.ask("사람 필요 없어요", "ko").intent()).isEqualTo("no-handoff");
    }

    /**
     * Regression (closing notes): a question about the wait for a person had no entry: "얼마나 기다려야 해요?"
     * got delivery-time as a suggestion, "대기 시간 얼마나 걸려요?" and "How long is the wait?" were answered
     * with delivery-time (0.68, 0.78), and "사람 많아요?" was handed off as unsure. The seed's wait entries
     * (the widget shows the place in the queue; agents answer in order) answer them; phrasings not in the seed.
     */
    @Test
    void aQuestionAboutTheWaitForAPersonIsAnswered() {
        FaqBot bot = SeedBots.calibrated();
        for (Map.Entry<String, String> e : Map.of("얼마나 기다려야 해요?", "ko-wait-time", "대기 시간 얼마나 걸려요?",
                "ko-wait-time", "사람 많아요?", "ko-wait-time", "기다리는 시간 길어요?", "ko-wait-time",
                "How long is the wait?", "en-wait-time", "how long do i have to wait for an agent", "en-wait-time",
                "are there many people waiting?", "en-wait-time").entrySet()) {
            BotDecision d = bot.ask(e.getKey(), "ko");
            assertThat(d).as(SeedBots.explain(e.getKey(), "ko")).isInstanceOf(BotDecision.Answer.class);
            assertThat(d.intent()).as(SeedBots.explain(e.getKey(), "ko")).isEqualTo(e.getValue());
        }
        // Delivery and refund times stay theirs.
        for (Map.Entry<String, String> e : Map.of("배송 얼마나 걸려요?", "ko-delivery-time", "환불 얼마나 기다려야 해요?",
                "ko-refund-time", "how long does shipping take", "en-delivery-time").entrySet()) {
            assertThat(bot.ask(e.getKey(), "ko").intent()).as(SeedBots.explain(e.getKey(), "ko")).isEqualTo(e.getValue());
        }
    }

    /**
     * Regression (QA): "네", "알겠습니다", "ok" or a "👍" after an answer queued the chat for an agent
     * (no intent knew them, so the bot was unsure and handed off). They get the acknowledgement reply
     * now; a message with nothing to read (emoji, punctuation, a link alone) gets it by rule.
     */
    @Test
    void anAcknowledgementOrAnEmojiStaysWithTheBot() {
        FaqBot bot = SeedBots.bot();
        for (String text : List.of("네", "넵", "알겠습니다", "네 알겠어요", "좋아요", "오케이", "👍", "👍👍", "?", "!!!", "😀😀😀",
                "https://example.com/order/123", "ok", "okay", "got it", "yes")) {
            BotDecision d = bot.ask(text, "ko");
            assertThat(d).as(SeedBots.explain(text, "ko")).isInstanceOf(BotDecision.Answer.class);
            assertThat(d.intent()).as(SeedBots.explain(text, "ko")).isEqualTo("acknowledgement");
        }
        BotDecision thumb = bot.ask("👍", "en");
        assertThat(thumb.locale()).isEqualTo("en");
        assertThat(((BotDecision.Answer) thumb).answer()).startsWith("Great!");
        assertThat(((BotDecision.Answer) bot.ask("👍", "ko")).answer()).startsWith("네!");
        // Laughter and filler stay out of scope (config/bot/out-of-scope.json), and a question is a question.
        for (String text : List.of("ㅋㅋㅋㅋ", "lol", "hmm", "네 그런데 배송은 언제 와요?")) {
            assertThat(bot.ask(text, "ko").intent()).as(SeedBots.explain(text, "ko")).isNotEqualTo("acknowledgement");
        }
    }

    @Test
    void greetingIsSmallTalk() {
        FaqBot bot = SeedBots.bot();
        BotDecision d = bot.ask("안녕하세요", "ko");
        assertThat(d).as(SeedBots.explain("안녕하세요", "ko")).isInstanceOf(BotDecision.Answer.class);
        BotDecision.Answer a = (BotDecision.Answer) d;
        assertThat(a.intent()).isEqualTo("greeting");
        assertThat(a.faqId()).isNull();
        assertThat(a.answer()).isNotBlank();
        assertThat(a.locale()).isEqualTo("ko");

        BotDecision hi = bot.ask("hello!", "ko");
        assertThat(hi).as(SeedBots.explain("hello!", "ko")).isInstanceOf(BotDecision.Answer.class);
        assertThat(hi.intent()).isEqualTo("greeting");
        assertThat(hi.locale()).isEqualTo("en");
    }

    @Test
    void languageIsChosenByHangulShare() {
        FaqBot bot = SeedBots.bot();
        assertThat(bot.ask("배송 tracking 어떻게 해요", "en").locale()).isEqualTo("ko");
        assertThat(bot.ask("how do I track my order", "ko").locale()).isEqualTo("en");
        assertThat(bot.ask("???", "en").locale()).isEqualTo("en");
        assertThat(bot.ask("123", "ko").locale()).isEqualTo("ko");
    }

    /**
     * Regression (QA): a Korean question naming a product in Latin letters was read as English (by
     * letters "Samsung Galaxy Buds2 Pro 환불 언제 돼요?" is 26 % Hangul) and handed off, since the
     * English model knows no Korean word. The share is counted in words now.
     */
    @Test
    void aKoreanQuestionNamingAProductInLatinLettersIsReadInKorean() {
        FaqBot bot = SeedBots.bot();
        BotDecision refund = bot.ask("Samsung Galaxy Buds2 Pro 환불 언제 돼요?", "ko");
        assertThat(refund.locale()).isEqualTo("ko");
        assertThat(refund).as(SeedBots.explain("Samsung Galaxy Buds2 Pro 환불 언제 돼요?", "ko"))
                .isNotInstanceOf(BotDecision.Handoff.class);
        assertThat(refund.intent()).isEqualTo("ko-refund-time");
        assertThat(bot.ask("order number ABC-12345 배송 조회", "en").locale()).isEqualTo("ko");
        assertThat(FaqBot.localeOf("<script>alert(1)</script> 환불 언제 돼요?", "en")).isEqualTo("ko");
        // An English question with a Korean word or two stays English.
        assertThat(bot.ask("How long does 배송 take?", "ko").locale()).isEqualTo("en");
        assertThat(bot.ask("Can I pay with 카카오페이 or 네이버페이?", "ko").locale()).isEqualTo("en");
        assertThat(FaqBot.localeOf("👍", "en")).isEqualTo("en");
    }

    @Test
    void answerFaqAndEntryLookUp() {
        FaqBot bot = SeedBots.bot();
        FaqEntry e = bot.entries().get(0);
        assertThat(bot.entry(e.id())).contains(e);
        assertThat(bot.entry("nope")).isEmpty();
        BotDecision d = bot.answerFaq(e.id());
        assertThat(d).isInstanceOf(BotDecision.Answer.class);
        assertThat(d.confidence()).isEqualTo(1.0);
        assertThat(((BotDecision.Answer) d).answer()).isEqualTo(e.answer());
        assertThat(bot.answerFaq("nope")).isInstanceOf(BotDecision.Handoff.class);
    }

    @Test
    void candidatesAreFilledAndBounded() {
        FaqBot bot = SeedBots.bot();
        for (String text : List.of("배송", "주식 추천해줘", "refund", "상담원 연결 배송")) {
            BotDecision d = bot.ask(text, "ko");
            assertThat(d.candidates()).hasSizeBetween(1, 3);
            assertThat(d.confidence()).isBetween(0.0, 1.0);
            d.candidates().forEach(c -> assertThat(c.score()).isBetween(0.0, 1.0));
        }
        assertThat(bot.ask("", "ko")).isInstanceOf(BotDecision.Handoff.class);
        assertThat(bot.ask(null, null)).isNotNull();
    }
}
