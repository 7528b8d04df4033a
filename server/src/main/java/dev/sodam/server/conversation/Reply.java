package dev.sodam.server.conversation;

/**
 * The answer to one service call, invoked on the domain thread right after the commit and before
 * the events of later calls are published. That ordering is what lets a resuming client receive
 * exactly the messages it missed: its replay is read in the same serial order as the broadcasts.
 */
public interface Reply<T> {
    void ok(T value);

    void fail(ChatException error);
}
