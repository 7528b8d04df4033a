package dev.sodam.server.ws;

import dev.sodam.server.conversation.SendBurst;

/** The domain thread's {@link SendBurst} over {@link LoopWriter}: each event loop is woken once per batch. */
public final class LoopWriterBurst implements SendBurst {
    @Override
    public boolean begin() {
        return LoopWriter.holdWakeups();
    }

    @Override
    public void end() {
        LoopWriter.wakeHeld();
    }
}
