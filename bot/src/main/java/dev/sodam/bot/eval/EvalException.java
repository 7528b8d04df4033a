package dev.sodam.bot.eval;

/** Bad arguments or input for the evaluation command; the message is shown as is (exit code 2). */
public final class EvalException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public EvalException(String message) {
        super(message);
    }
}
