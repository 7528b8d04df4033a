package dev.sodam.bot.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sodam.bot.BotThresholds;
import dev.sodam.bot.Calibration;
import dev.sodam.bot.LabelledQuestion;
import dev.sodam.bot.intent.IntentClassifier;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code eval --train A.jsonl [--train B.jsonl …] --val V.jsonl [--val …] --test T.jsonl [--test …]}:
 * runs {@link Evaluation} and prints one JSON object as the last line of standard output.
 */
public final class EvalCommand {

    static final String USAGE = "usage: java -jar sodam-bot.jar eval --train A.jsonl [--train B.jsonl ...] "
            + "--val V.jsonl [--val ...] --test T.jsonl [--test ...] [--weight-tolerance T]";

    private EvalCommand() {
    }

    /** Runs the command; returns the exit code (0 ok, 2 bad arguments or input). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        try {
            List<Path> train = new ArrayList<>();
            List<Path> val = new ArrayList<>();
            List<Path> test = new ArrayList<>();
            double tolerance = IntentClassifier.WEIGHT_TOLERANCE;
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                List<Path> target;
                if (a.equals("--weight-tolerance")) {
                    tolerance = tolerance(i + 1 < args.length ? args[++i] : null);
                    continue;
                }
                switch (a) {
                    case "--train" -> target = train;
                    case "--val" -> target = val;
                    case "--test" -> target = test;
                    default -> throw new EvalException("unknown argument: " + a);
                }
                if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                    throw new EvalException(a + " needs a file");
                }
                target.add(Path.of(args[++i]));
            }
            if (train.isEmpty() || val.isEmpty() || test.isEmpty()) {
                throw new EvalException("--train, --val and --test are each required at least once");
            }
            List<LabelledQuestion> trainQs = readAll(train);
            List<LabelledQuestion> valQs = readAll(val);
            List<LabelledQuestion> testQs = readAll(test);
            err.printf("eval: train %d lines (%s), val %d, test %d%n", trainQs.size(), train, valQs.size(),
                    testQs.size());
            Evaluation.Result r = Evaluation.run(trainQs, valQs, testQs, tolerance);
            err.printf("eval: %d labels from %d in-scope training questions, trained in %d ms%n", r.labels(),
                    r.trainQuestions(), r.trainMillis());
            r.thresholds().forEach((loc, t) -> err.printf("eval: locale %s: answer threshold %.4f, clarify %.4f%n",
                    loc, t.answer(), t.clarify()));
            out.println(json(r));
            out.flush();
            return 0;
        } catch (EvalException e) {
            err.println("sodam-bot eval: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
    }

    private static double tolerance(String arg) {
        try {
            double t = arg == null ? Double.NaN : Double.parseDouble(arg);
            if (t >= 0 && !Double.isInfinite(t)) {
                return t;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new EvalException("--weight-tolerance needs a number >= 0, got " + arg);
    }

    private static List<LabelledQuestion> readAll(List<Path> files) {
        List<LabelledQuestion> out = new ArrayList<>();
        files.forEach(f -> out.addAll(Jsonl.read(f)));
        return out;
    }

    /** The result line: metrics of test, {@code val} with the same metrics, then threshold and timings. */
    static String json(Evaluation.Result r) {
        ObjectMapper om = new ObjectMapper();
        ObjectNode root = om.createObjectNode();
        metrics(root, r.test());
        metrics(root.putObject("val"), r.val());
        // The balanced-test estimate: every intent weighs the same, however many questions it has.
        put(root, "perIntentAccuracy", r.perIntent().test());
        put((ObjectNode) root.get("val"), "perIntentAccuracy", r.perIntent().val());
        root.put("threshold", round(r.threshold(), 4));
        root.put("n", r.test().n());
        root.put("trainMillis", r.trainMillis());
        root.put("p50Micros", round(r.p50Micros(), 1));
        root.put("p99Micros", round(r.p99Micros(), 1));
        root.put("p50CpuMicros", round(r.p50CpuMicros(), 1));
        root.put("p99CpuMicros", round(r.p99CpuMicros(), 1));
        ObjectNode th = root.putObject("thresholds");
        for (Map.Entry<String, BotThresholds> e : r.thresholds().entrySet()) {
            ObjectNode t = th.putObject(e.getKey());
            t.put("answer", round(e.getValue().answer(), 4));
            t.put("clarify", round(e.getValue().clarify(), 4));
        }
        // Confidence = probability of a right top label (the scale fitted on val): how far from it.
        put(root, "calibrationError", r.calibration().test());
        put(root, "rawCalibrationError", r.calibration().testRaw());
        put((ObjectNode) root.get("val"), "calibrationError", r.calibration().val());
        // The questions left unanswered: suggested (and did the suggestions hold the entry?) or handed off.
        ObjectNode clarify = root.putObject("clarify");
        clarify.put("clarified", r.clarify().clarified());
        clarify.put("helpful", r.clarify().helpful());
        clarify.put("handedOff", r.clarify().handedOff());
        clarify.put("helpableHandedOff", r.clarify().helpableHandedOff());
        root.put("labels", r.labels());
        root.put("weightTolerance", r.weightTolerance());
        root.put("storedWeights", r.storedWeights());
        if (r.exact() != null) {
            ObjectNode exact = root.putObject("exact");
            metrics(exact, r.exact().test());
            metrics(exact.putObject("val"), r.exact().val());
            exact.put("threshold", round(r.exact().threshold(), 4));
            put(exact, "calibrationError", r.exact().calibration().test());
            exact.put("p50Micros", round(r.exact().p50Micros(), 1));
            exact.put("p99Micros", round(r.exact().p99Micros(), 1));
            exact.put("p50CpuMicros", round(r.exact().p50CpuMicros(), 1));
            exact.put("p99CpuMicros", round(r.exact().p99CpuMicros(), 1));
            exact.put("storedWeights", r.exact().storedWeights());
        }
        root.put("objective", "overall accuracy on val (oos as one more class), per locale");
        return root.toString();
    }

    private static void metrics(ObjectNode node, Calibration.Metrics m) {
        put(node, "inScopeAccuracy", m.inScopeAccuracy());
        put(node, "oosRecall", m.oosRecall());
        put(node, "overallAccuracy", m.overallAccuracy());
        node.put("n", m.n());
        node.put("nOos", m.oos());
    }

    private static void put(ObjectNode node, String key, double pct) {
        if (Double.isNaN(pct)) {
            node.putNull(key);
        } else {
            node.put(key, round(pct, 2));
        }
    }

    private static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }
}
