package dev.sodam.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The streaming reader picks the fields the load generator needs out of Sodam's golden frames. */
class FrameTest {
    private static String golden(String name) throws Exception {
        String root = System.getProperty("sodam.repo.root", "..");
        return Files.readString(Path.of(root, "docs", "protocol", "frames", name)).strip();
    }

    @Test
    void readsAMessageFrame() throws Exception {
        Frame f = Frame.parse(golden("s2c-message-visitor.json"));
        assertThat(f.type()).isEqualTo("message");
        assertThat(f.conversationId()).isEqualTo("cv_01jd7k3m9p");
        assertThat(f.clientMsgId()).isEqualTo("c-1");
        assertThat(f.seq()).isEqualTo(1);
        assertThat(f.fromKind()).isEqualTo("visitor");
        assertThat(f.text()).isEqualTo("배송 언제 와요?");
    }

    @Test
    void readsAckStatusAndConversationPush() throws Exception {
        Frame ack = Frame.parse(golden("s2c-ack.json"));
        assertThat(ack.type()).isEqualTo("ack");
        assertThat(ack.clientMsgId()).isEqualTo("c-1");
        assertThat(ack.seq()).isEqualTo(1);
        Frame status = Frame.parse(golden("s2c-status-queued.json"));
        assertThat(status.state()).isEqualTo("queued");
        Frame push = Frame.parse(golden("s2c-conversation.json"));
        assertThat(push.type()).isEqualTo("conversation");
        assertThat(push.conversationId()).isNotBlank();
        assertThat(push.state()).isNotBlank();
    }
}
