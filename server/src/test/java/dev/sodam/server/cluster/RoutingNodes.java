package dev.sodam.server.cluster;

import dev.sodam.server.testing.TestServer;
import dev.sodam.server.testing.WsTestClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;

/** What the tests of routing across real nodes share: who routes, and a visitor asking for a person. */
final class RoutingNodes {
    private RoutingNodes() {
    }

    /** The nodes a test started: each closed at the end, unless the test stopped it before. */
    static final class Running implements AutoCloseable {
        private final List<TestServer> nodes = new ArrayList<>();

        TestServer add(TestServer node) {
            nodes.add(node);
            return node;
        }

        /** The node goes away (its routing lock is freed when its database session ends). */
        void stop(TestServer node) {
            nodes.remove(node);
            node.close();
        }

        @Override
        public void close() {
            nodes.forEach(TestServer::close);
        }
    }

    /** Whether the node holds the routing lock now. */
    static boolean owns(TestServer server) {
        return server.cluster().orElseThrow().ownsRouting();
    }

    /** Waits until one of {@code servers} routes (a node checks the lock every second). */
    static void awaitRouting(TestServer... servers) {
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> {
            for (TestServer server : servers) {
                if (owns(server)) {
                    return true;
                }
            }
            return false;
        });
    }

    /** The visitor asks for a person; the conversation's id, from the ack. */
    static String handoff(WsTestClient visitor, String clientMsgId) {
        visitor.send("{\"type\":\"send\",\"clientMsgId\":\"" + clientMsgId + "\",\"text\":\"상담원 연결해 주세요\","
                + "\"handoff\":true,\"ref\":\"" + clientMsgId + "\"}");
        return visitor.ack(clientMsgId).get("conversationId").asText();
    }
}
