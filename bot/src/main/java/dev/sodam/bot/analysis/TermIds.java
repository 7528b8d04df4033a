package dev.sodam.bot.analysis;

import java.util.List;

/**
 * A fixed set of terms (classifier features, index terms) numbered 0, 1, … in the given order,
 * looked up by open addressing. Why not a {@code HashMap<String, Integer>}: at 1,000 labels the
 * classifier looks up ~100 feature strings per question in a table of ~50,000, and the map's
 * lookups (bucket, node, boxed value, key, each a likely cache miss) were an eighth of a decision.
 * Here a slot is one {@code long} holding the term's hash and its id, so a term that is not in
 * the set (most of a question's bigrams) costs one memory read, and a term that is costs that plus
 * the string comparison that confirms it. Immutable and thread-safe.
 */
public final class TermIds {

    private final String[] terms;
    /** {@code (hash << 32) | (id + 1)}; 0 = empty. At most half full, so probe runs stay short. */
    private final long[] slots;
    private final int shift;

    /**
     * @throws IllegalArgumentException when a term occurs twice
     */
    public TermIds(List<String> terms) {
        this.terms = terms.toArray(new String[0]);
        int bits = Math.max(4, 33 - Integer.numberOfLeadingZeros(Math.max(1, this.terms.length) - 1));
        this.slots = new long[1 << bits];
        this.shift = 32 - bits;
        for (int id = 0; id < this.terms.length; id++) {
            String t = this.terms[id];
            int h = t.hashCode();
            int i = slot(h);
            while (slots[i] != 0) {
                if ((int) (slots[i] >>> 32) == h && this.terms[(int) slots[i] - 1].equals(t)) {
                    throw new IllegalArgumentException("duplicate term " + t);
                }
                i = (i + 1) & (slots.length - 1);
            }
            slots[i] = ((long) h << 32) | (id + 1L);
        }
    }

    /** Fibonacci hashing: String hashes of similar terms differ in their low bits only. */
    private int slot(int hash) {
        return (hash * 0x9E3779B9) >>> shift;
    }

    /** The id of {@code term}, or -1 when it is not in the set. */
    public int id(String term) {
        int h = term.hashCode();
        int mask = slots.length - 1;
        for (int i = slot(h);; i = (i + 1) & mask) {
            long s = slots[i];
            if (s == 0) {
                return -1;
            }
            if ((int) (s >>> 32) == h) {
                int id = (int) s - 1;
                if (terms[id].equals(term)) {
                    return id;
                }
            }
        }
    }

    /** The term with this id. */
    public String term(int id) {
        return terms[id];
    }

    public int size() {
        return terms.length;
    }
}
