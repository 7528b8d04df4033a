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
    @ValueSource(strings = {"how do I become a travel agent", "my travel agent booked the wrong flight",
        "is the tour operator licensed", "which operator does my phone use", "how much per person is the ticket",
        "what is a person of interest", "human resources phone number", "can a person under 18 open an account",
        "who is the representative for my district", "how do i get a travel agent license", "배송 언제 와요?"})
    void ordinaryQuestionsDoNot(String text) {
        assertThat(HandoffTriggers.matches(TextNormalizer.normalize(text))).as(text).isFalse();
    }
}
