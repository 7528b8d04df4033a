package dev.sodam.bot.decide;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sodam.bot.analysis.TextNormalizer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HandoffTriggersTest {

    @ParameterizedTest
    @ValueSource(strings = {"상담원 연결", "상담원연결해주세요", "사람이랑 얘기하고 싶어요", "talk to a human", "agent please",
        "Agent!", "operator", "a person please", "can I speak to a real person?", "connect me with an agent",
        "I want to talk to someone", "i need a human", "transfer me to a live agent", "get me a representative",
        "customer service rep please", "can i chat with support staff"})
    void requestsForAPersonTrigger(String text) {
        assertThat(HandoffTriggers.matches(TextNormalizer.normalize(text))).as(text).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"상담원", "상담원요!", "상담사님?", "상담원 좀 불러주세요", "상담원이랑 채팅하고 싶어요",
        "상담사한테 물어보고 싶어요", "상담원 있나요?", "상담원분 계세요?", "상담원 바꿔주세요", "상담원 연결이 안 돼요",
        "상담원 언제 연결돼요?", "봇 말고 상담원이요", "챗봇 말고 사람이랑 얘기할래요", "상담원 상담 가능한가요",
        "상담원님과 통화하고 싶어요", "전화상담 원해요"})
    void koreanRequestsTrigger(String text) {
        assertThat(HandoffTriggers.matches(TextNormalizer.normalize(text))).as(text).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"how do I become a travel agent", "my travel agent booked the wrong flight",
        "is the tour operator licensed", "which operator does my phone use", "how much per person is the ticket",
        "what is a person of interest", "human resources phone number", "can a person under 18 open an account",
        "who is the representative for my district", "how do i get a travel agent license", "배송 언제 와요?"})
    void ordinaryQuestionsDoNot(String text) {
        assertThat(HandoffTriggers.matches(TextNormalizer.normalize(text))).as(text).isFalse();
    }

    /** Regression: every message naming 상담원 handed off, even a question about the agents' hours. */
    @ParameterizedTest
    @ValueSource(strings = {"상담원 운영시간이 언제예요?", "상담원 근무 시간 알려주세요", "상담사 전화번호가 뭐예요",
        "직원분이 친절했어요"})
    void aQuestionAboutAgentsIsNotARequestForOne(String text) {
        assertThat(HandoffTriggers.matches(TextNormalizer.normalize(text))).as(text).isFalse();
    }

    /** Regression: "상담원 필요 없어요" handed the chat to an agent. */
    @ParameterizedTest
    @ValueSource(strings = {"상담원 필요 없어요", "상담원 연결 안 해도 돼요", "상담원 연결은 괜찮아요", "상담원 말고 봇한테 물어볼게요",
        "사람이랑 얘기 안 해도 돼요", "I don't need an agent", "no need to talk to a human",
        "i do not want a real person", "you don't have to connect me with an agent"})
    void aDeclinedRequestDoesNotTrigger(String text) {
        assertThat(HandoffTriggers.matches(TextNormalizer.normalize(text))).as(text).isFalse();
    }

    /**
     * Regression (QA): "사람 부르지 마세요", "please do not transfer me to a human" were handed to a
     * person by the classifier's handoff intent; {@link HandoffTriggers#declines} tells the responder.
     */
    @ParameterizedTest
    @ValueSource(strings = {"사람 불러주지 마세요", "사람 부르지 마", "상담원 연결 원하지 않아요", "사람 말고 봇이 답해줘",
        "상담원 연결 말고 그냥 환불 기간 알려줘", "직원 연결은 괜찮아요", "상담원 필요 없어요",
        "please do not transfer me to a human", "I would rather not talk to a person", "I don't need an agent"})
    void aPersonTurnedDownIsADecline(String text) {
        assertThat(HandoffTriggers.declines(TextNormalizer.normalize(text))).as(text).isTrue();
        assertThat(HandoffTriggers.matches(TextNormalizer.normalize(text))).as(text).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"상담원 연결", "봇 말고 상담원이요", "챗봇 말고 사람이랑 얘기할래요", "talk to a human",
        "사람 많아요?", "배송 언제 와요?", "상담원 운영시간이 언제예요?"})
    void aRequestOrAQuestionIsNoDecline(String text) {
        assertThat(HandoffTriggers.declines(TextNormalizer.normalize(text))).as(text).isFalse();
    }

    /**
     * Regression (QA): "사람이랑 얘기하고 싶어요 봇은 싫어요" read the "싫어요" as turning the person down,
     * so the request did not trigger and, with the decline check, the bot kept the chat. A refusal
     * after a word for the bot turns the bot down.
     */
    @ParameterizedTest
    @ValueSource(strings = {"사람이랑 얘기하고 싶어요 봇은 싫어요", "상담원 연결해 주세요 챗봇 말고요",
        "상담원이랑 얘기하고 싶어요, 봇은 필요 없어요", "직원 연결 부탁해요 로봇 말고", "상담원 연결 부탁드려요. 챗봇 답변은 필요없어요"})
    void aRequestThatTurnsTheBotDownIsARequest(String text) {
        assertThat(HandoffTriggers.matches(TextNormalizer.normalize(text))).as(text).isTrue();
        assertThat(HandoffTriggers.declines(TextNormalizer.normalize(text))).as(text).isFalse();
    }

    /**
     * Regression (closing notes): "사람 많아요?" was handed to a person by the classifier's handoff
     * intent, which weighs the word 사람. The intent hands off only on a text worded as a request
     * ({@link HandoffTriggers#asks}); a question about a crowd is none.
     */
    @ParameterizedTest
    @ValueSource(strings = {"사람 많아요?", "사람 많이 기다려요?", "지금 사람 많나요", "매장에 사람 많아요?",
        "대기하는 사람 많나요?", "사람 좀 많네요", "주말엔 사람 많죠?", "사람 많이 있어요?", "지금 기다리는 사람 몇 명이에요?",
        "오프라인 매장 사람 붐벼요?", "are there many people waiting?", "how many people are in line", "배송 언제 와요?",
        "상담원 운영시간이 언제예요?"})
    void aQuestionAboutACrowdDoesNotAsk(String text) {
        assertThat(HandoffTriggers.asks(TextNormalizer.normalize(text))).as(text).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"사람 불러주세요", "사람이랑 얘기할래요", "상담원 연결", "사람이랑 얘기하고 싶어요 봇은 싫어요",
        "사람 좀 불러 주실래요", "진짜 사람이랑 통화 가능해요?", "직원분 계세요?", "사람 있어요?", "담당자 연결 부탁드립니다",
        "사람한테 물어볼래요", "상담원이요", "챗봇 말고 직원이요", "고객센터 연결해주세요", "봇 말고 진짜 사람이요",
        "사람이 필요해요", "talk to a human", "agent please", "not a bot, a person please", "human please",
        "customer service representative", "operator",
        // worded as a request and turned down after: asks, and declines() says so
        "사람 부르지 마세요"})
    void aRequestAsks(String text) {
        assertThat(HandoffTriggers.asks(TextNormalizer.normalize(text))).as(text).isTrue();
    }

    /**
     * Regression (closing notes): "사람이 필요해요" handed off only as unsure: 사람 and 직원 triggered only in
     * a request phrase (사람이랑, 직원 연결), and the classifier's handoff intent stayed below 0.5 ("직원이
     * 필요합니다" even got the no-handoff reply). Saying a person is needed is a request.
     */
    @ParameterizedTest
    @ValueSource(strings = {"사람이 필요해요", "사람 필요해요", "직원이 필요합니다", "상담사가 필요해요", "I need a human",
        "사람 좀 필요해요", "담당자가 필요합니다", "진짜 사람이 필요한데요", "매니저님이 필요해요", "사람 필요함",
        "I need a person", "i need someone"})
    void aPersonNeededIsARequest(String text) {
        assertThat(HandoffTriggers.matches(TextNormalizer.normalize(text))).as(text).isTrue();
        assertThat(HandoffTriggers.asks(TextNormalizer.normalize(text))).as(text).isTrue();
    }

    /** Questions about people, whether one is needed for something, or a need turned down: no request. */
    @ParameterizedTest
    @ValueSource(strings = {"사람 많아요?", "상담원 몇 명이에요?", "상담원 몇 분 계세요?", "상담원 많이 있어요?",
        "사람이 필요한가요?", "설치하려면 사람이 몇 명 필요해요?",
        "사람 필요 없어요", "직원이 필요 없어요", "직원이 친절했어요", "두 사람이 쓸 건데 사이즈 뭐가 필요해요?"})
    void aQuestionAboutPeopleOrANeedTurnedDownIsNoRequest(String text) {
        assertThat(HandoffTriggers.matches(TextNormalizer.normalize(text))).as(text).isFalse();
    }
}
