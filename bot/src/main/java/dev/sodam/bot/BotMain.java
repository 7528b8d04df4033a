package dev.sodam.bot;

import dev.sodam.bot.eval.EvalCommand;
import java.util.Arrays;

/** Entry point of {@code sodam-bot.jar}: {@code eval …} (see {@link EvalCommand}). */
public final class BotMain {

    private BotMain() {
    }

    public static void main(String[] args) {
        int code;
        if (args.length > 0 && "eval".equals(args[0])) {
            code = EvalCommand.run(Arrays.copyOfRange(args, 1, args.length), System.out, System.err);
        } else {
            System.err.println("sodam-bot: unknown command" + (args.length > 0 ? " " + args[0] : ""));
            System.err.println("commands:\n  eval --train A.jsonl [--train …] --val V.jsonl [--val …] --test T.jsonl [--test …]");
            code = 2;
        }
        System.exit(code);
    }
}
