package dev.sodam.server.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class UrgencyTest {
    @ParameterizedTest
    @ValueSource(strings = {"진짜 화나요 몇 번째 문의인지", "배송이 왜 이렇게 늦어요 짜증나네", "이거 사기 아니에요?",
        "소비자원에 신고할게요", "몇번째말하는건지", "ㅅㅂ 언제 와", "최악이네요", "환불 안 해주면 고소합니다",
        "This is the worst service ever", "I want a refund now", "wtf is going on", "I'm fed up with this",
        "WHERE IS MY ORDER", "배송 언제 와요!!!"})
    void distressIsRecognisedInKoreanAndEnglish(String text) {
        assertThat(Urgency.distressed(text)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"배송 언제 와요?", "대화나눠요", "상담원 연결해 주세요", "환불 절차가 궁금해요",
        "화면이 안 나와요", "When will my order arrive?", "I'd like to talk to someone", "Thanks!",
        "refund status?", "사용 후기 남기고 싶어요"})
    void ordinaryQuestionsAreNotUrgent(String text) {
        assertThat(Urgency.distressed(text)).isFalse();
    }

    @Test
    void twoBotMissesMakeAVisitorUrgentWhateverTheyWrote() {
        assertThat(Urgency.urgent(List.of("배송 언제 와요?"), 1)).isFalse();
        assertThat(Urgency.urgent(List.of("배송 언제 와요?"), 2)).isTrue();
        assertThat(Urgency.urgent(List.of("안녕하세요", "정말 짜증나네요"), 0)).isTrue();
    }
}
