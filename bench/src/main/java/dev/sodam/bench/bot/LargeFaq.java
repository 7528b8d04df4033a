package dev.sodam.bench.bot;

import dev.sodam.bot.FaqEntry;
import dev.sodam.bot.LabelledQuestion;
import dev.sodam.bot.eval.Evaluation;
import dev.sodam.bot.eval.Jsonl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A Korean FAQ of about 1,000 entries for {@link BotBench}, the size issue 4's speed target names:
 * every paraphrase set of paraKQC train as one entry (900 sets, 6 phrasings each; the 20 held-out
 * sets of train and the 20 of val are cut into their sets of 10 and become entries too, so nothing
 * in the FAQ is labelled out of scope), plus the Korean seed FAQ. Questions: paraKQC val's in-scope lines.
 */
record LargeFaq(List<FaqEntry> entries, List<String> questions) {

    /** Lines per paraKQC set in the out-of-scope blocks (the dataset keeps each set's lines together). */
    private static final int SET_SIZE = 10;

    static LargeFaq load(Path repoRoot, List<FaqEntry> seed) {
        Path dir = Path.of(System.getProperty("sodam.datasets",
                repoRoot.toAbsolutePath().normalize().getParent().resolve("shared/datasets").toString())).resolve("parakqc");
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("no paraKQC at " + dir + ": pass -Dsodam.datasets=");
        }
        List<LabelledQuestion> train = Jsonl.read(dir.resolve("train.jsonl"));
        List<LabelledQuestion> val = Jsonl.read(dir.resolve("val.jsonl"));
        List<FaqEntry> out = new ArrayList<>(Evaluation.labels(train));
        int set = 0;
        for (List<LabelledQuestion> split : List.of(train, val)) {
            List<String> block = new ArrayList<>();
            for (LabelledQuestion q : split) {
                if (q.inScope()) {
                    continue;
                }
                block.add(q.text());
                if (block.size() == SET_SIZE) {
                    String id = "kq-oos-" + set++;
                    out.add(new FaqEntry(id, "ko", block.get(0), block.subList(1, block.size()), id, List.of()));
                    block.clear();
                }
            }
        }
        seed.stream().filter(e -> e.locale().equals("ko")).forEach(out::add);
        List<String> questions = val.stream().filter(LabelledQuestion::inScope).map(LabelledQuestion::text).toList();
        return new LargeFaq(List.copyOf(out), questions);
    }
}
