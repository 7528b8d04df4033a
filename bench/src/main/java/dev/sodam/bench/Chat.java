package dev.sodam.bench;

/**
 * One chat under load: a visitor connection, the agent connection carrying it, and the bookkeeping
 * that proves delivery. Message {@code n} of a chat is the chat's n-th benchmark send (0-based).
 * Ack fields are touched by the visitor's event loop, delivery fields by the agent's, the send
 * counter by the sender; every method is synchronized so the final read sees them all.
 */
final class Chat {
    final int index;
    final WsConn visitor;
    final WsConn agent;
    final String conversationId;

    private long sent;
    private long acked;
    private long nextAck;
    private long ackDuplicates;
    private long ackGaps;
    private long lastAckSeq;
    private long ackSeqRegressions;
    private long delivered;
    private long nextDelivery;
    private long duplicates;
    private long gaps;
    private long lastSeq;
    private long seqRegressions;

    Chat(int index, WsConn visitor, WsConn agent, String conversationId) {
        this.index = index;
        this.visitor = visitor;
        this.agent = agent;
        this.conversationId = conversationId;
    }

    /** Reserves the next message number. */
    synchronized long nextSend() {
        return sent++;
    }

    /** An ack for message n with the server's seq; false when it is a duplicate. */
    synchronized boolean acked(long n, long seq) {
        if (seq <= lastAckSeq) {
            ackSeqRegressions++;
        }
        lastAckSeq = Math.max(lastAckSeq, seq);
        if (n < nextAck) {
            ackDuplicates++;
            return false;
        }
        if (n > nextAck) {
            ackGaps += n - nextAck;
        }
        nextAck = n + 1;
        acked++;
        return true;
    }

    /** Message n reached the agent with the server's seq; false when it is a duplicate. */
    synchronized boolean delivered(long n, long seq) {
        if (seq <= lastSeq) {
            seqRegressions++;
        }
        lastSeq = Math.max(lastSeq, seq);
        if (n < nextDelivery) {
            duplicates++;
            return false;
        }
        if (n > nextDelivery) {
            gaps += n - nextDelivery;
        }
        nextDelivery = n + 1;
        delivered++;
        return true;
    }

    synchronized boolean settled() {
        return acked == sent && delivered == sent;
    }

    /** The chat's counters, read once the run has drained. */
    record Tally(long sent, long acked, long ackDuplicates, long ackGaps, long ackSeqRegressions,
                 long delivered, long duplicates, long gaps, long seqRegressions) {
        Tally plus(Tally o) {
            return new Tally(sent + o.sent, acked + o.acked, ackDuplicates + o.ackDuplicates, ackGaps + o.ackGaps,
                    ackSeqRegressions + o.ackSeqRegressions, delivered + o.delivered, duplicates + o.duplicates,
                    gaps + o.gaps, seqRegressions + o.seqRegressions);
        }

        /** Every message acked once and delivered once, in order, with no gap. */
        boolean exact() {
            return acked == sent && delivered == sent && ackDuplicates == 0 && ackGaps == 0 && ackSeqRegressions == 0
                    && duplicates == 0 && gaps == 0 && seqRegressions == 0;
        }
    }

    synchronized Tally tally() {
        return new Tally(sent, acked, ackDuplicates, ackGaps, ackSeqRegressions, delivered, duplicates, gaps,
                seqRegressions);
    }
}
