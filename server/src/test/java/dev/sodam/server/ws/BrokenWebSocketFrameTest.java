package dev.sodam.server.ws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sodam.server.testing.LogRecorder;
import dev.sodam.server.testing.ServerExtension;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * WebSocket frames no browser sends, written byte for byte after a real handshake: the server closes
 * with the status the WebSocket protocol names for each (docs/protocol.md: beyond 1 MiB, 1009), and a
 * client's broken frames leave no warning or stack trace in the log — they are the client's fault, and
 * anyone can send them as often as they like.
 */
class BrokenWebSocketFrameTest {
    private static final int OPCODE_TEXT = 0x1;
    private static final int OPCODE_CONTINUATION = 0x0;

    @RegisterExtension
    static final ServerExtension app = ServerExtension.started();

    @RegisterExtension
    final LogRecorder log = new LogRecorder();

    @Test
    void brokenWebSocketFramesCloseWithTheirStatusAndLogNoWarning() throws Exception {
        assertThat(closeStatusAfter(frame(true, 0, OPCODE_TEXT, true, "{\"type\":\"hello\"}".getBytes(StandardCharsets.UTF_8))))
                .as("an unmasked client frame").isEqualTo(1002);
        assertThat(closeStatusAfter(frame(true, 0x4, OPCODE_TEXT, false, "{}".getBytes(StandardCharsets.UTF_8))))
                .as("a reserved bit without an extension").isEqualTo(1002);
        assertThat(closeStatusAfter(frame(true, 0, OPCODE_TEXT, false, new byte[] {'{', (byte) 0xff, (byte) 0xfe, '}'})))
                .as("text that is not UTF-8").isEqualTo(1007);
        assertThat(closeStatusAfter(frame(true, 0, OPCODE_TEXT, false, filled(1024 * 1024 + 1))))
                .as("one frame over 1 MiB").isEqualTo(1009);

        byte[] part = filled(512 * 1024);
        ByteArrayOutputStream fragmented = new ByteArrayOutputStream();
        fragmented.write(frame(false, 0, OPCODE_TEXT, false, part));
        fragmented.write(frame(false, 0, OPCODE_CONTINUATION, false, part));
        fragmented.write(frame(true, 0, OPCODE_CONTINUATION, false, part));
        assertThat(closeStatusAfter(fragmented.toByteArray()))
                .as("a message over 1 MiB in fragments, as for one frame that large").isEqualTo(1009);

        assertThat(log.warnings()).as("a client's broken frames are not the server's problem").isEmpty();
    }

    /** Opens a WebSocket as an agent would (no Origin), writes {@code bytes}, and returns the status of the server's close frame. */
    private static int closeStatusAfter(byte[] bytes) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", app.server().port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET /ws HTTP/1.1\r\nHost: 127.0.0.1:" + app.server().port() + "\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            String head = readHead(in);
            assertThat(head).startsWith("HTTP/1.1 101");
            try {
                out.write(bytes);
                out.flush();
            } catch (IOException closedWhileWriting) {
                // The server may close before it has read all of a large frame; its close frame is still there to read.
            }
            while (true) {
                int first = in.readUnsignedByte();
                int length = in.readUnsignedByte() & 0x7f;
                if (length == 126) {
                    length = in.readUnsignedShort();
                } else if (length == 127) {
                    length = (int) in.readLong();
                }
                byte[] payload = in.readNBytes(length);
                if ((first & 0x0f) == 0x8) {
                    return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
                }
            }
        }
    }

    private static String readHead(DataInputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            head.write(in.readUnsignedByte());
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    private static byte[] filled(int size) {
        byte[] bytes = new byte[size];
        Arrays.fill(bytes, (byte) 'a');
        return bytes;
    }

    /** One client frame; masked with a zero key unless {@code unmasked} (which a server must refuse). */
    private static byte[] frame(boolean fin, int rsv, int opcode, boolean unmasked, byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write((fin ? 0x80 : 0) | (rsv << 4) | opcode);
        int mask = unmasked ? 0 : 0x80;
        if (payload.length < 126) {
            out.write(mask | payload.length);
        } else if (payload.length <= 0xffff) {
            out.write(mask | 126);
            out.write(payload.length >>> 8);
            out.write(payload.length & 0xff);
        } else {
            out.write(mask | 127);
            long length = payload.length;
            for (int shift = 56; shift >= 0; shift -= 8) {
                out.write((int) (length >>> shift) & 0xff);
            }
        }
        if (!unmasked) {
            out.writeBytes(new byte[4]); // a zero masking key leaves the payload as it is
        }
        out.writeBytes(payload);
        return out.toByteArray();
    }
}
