package dev.sodam.bot;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The real seed files of the repository and one bot trained from them, shared by the tests. */
final class SeedBots {

    /** The thresholds the server passes by default. */
    static final BotThresholds THRESHOLDS = new BotThresholds(0.55, 0.30);

    private static FaqBot bot;
    private static FaqBot calibrated;
    private static long trainMillis;

    private SeedBots() {
    }

    static Path repoRoot() {
        String prop = System.getProperty("sodam.repo.root");
        if (prop != null && !prop.isBlank() && Files.isDirectory(Path.of(prop, "config"))) {
            return Path.of(prop);
        }
        return Path.of("").toAbsolutePath().getParent();
    }

    static List<FaqEntry> faq() {
        List<FaqEntry> all = new ArrayList<>(FaqSeed.load(repoRoot().resolve("config/faq/seed-ko.json")));
        all.addAll(FaqSeed.load(repoRoot().resolve("config/faq/seed-en.json")));
        return all;
    }

    static List<SmallTalkIntent> intents() {
        return SmallTalkIntent.loadAll(repoRoot().resolve("config/bot/intents.json"));
    }

    static synchronized FaqBot bot() {
        if (bot == null) {
            List<FaqEntry> faq = faq();
            List<SmallTalkIntent> intents = intents();
            long t0 = System.nanoTime();
            bot = FaqBot.train(faq, intents, THRESHOLDS);
            trainMillis = (System.nanoTime() - t0) / 1_000_000;
            System.out.printf("FaqBot.train on the real seed (%d entries): %d ms%n", faq.size(), trainMillis);
        }
        return bot;
    }

    /** The seed bot with the thresholds and confidence scale the server fits on the held-out validation. */
    static synchronized FaqBot calibrated() {
        if (calibrated == null) {
            HeldOutValidation.Report report = HeldOutValidation.run(faq(), intents(),
                    HeldOutValidation.load(repoRoot().resolve("config/bot/out-of-scope.json")), THRESHOLDS);
            calibrated = bot().withScales(report.scales()).withThresholds(report.thresholds());
        }
        return calibrated;
    }

    static long trainMillis() {
        bot();
        return trainMillis;
    }

    /** A short description of how the bot decided, for assertion messages. */
    static String explain(String text, String hint) {
        StringBuilder sb = new StringBuilder(text).append(" → ").append(bot().ask(text, hint)).append('\n');
        bot().explain(text, hint).stream().limit(4).forEach(s -> sb.append(String.format(
                "    %-28s sim=%.3f p=%.3f comb=%.3f%n", s.label().id(), s.similarity(), s.probability(), s.combined())));
        return sb.toString();
    }
}
