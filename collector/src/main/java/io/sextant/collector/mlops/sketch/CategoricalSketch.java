package io.sextant.collector.mlops.sketch;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Bounded counts of a categorical distribution: the first {@code capacity} distinct categories seen get
 * their own count, every later new category is counted in one "other" bucket.
 *
 * <p>"First seen" rather than a heavy-hitters policy (Space-Saving, Misra-Gries) on purpose: counts stay
 * exact for the categories that have a slot, and a window that starts from its reference's categories
 * ({@link #emptyCopy()}) counts exactly the categories the reference knows, so drift tests compare like
 * with like. The lookup is an open-addressing table over {@code String.hashCode}/{@code equals}:
 * {@link #update(String)} allocates nothing (the label string is stored by reference on first sight).
 *
 * <p>Not thread-safe: one writer. Merging adds counts category by category in the other sketch's slot
 * order, so it is deterministic.
 */
public final class CategoricalSketch {

    /** Name of the bucket that counts categories beyond the capacity in {@link #counts()}. */
    public static final String OTHER = "__other__";
    public static final int DEFAULT_CAPACITY = 64;

    private final String[] labels;
    private final long[] counts;
    private final int[] table;
    private final int mask;
    private int size;
    private long other;
    private long total;

    public CategoricalSketch() {
        this(DEFAULT_CAPACITY);
    }

    public CategoricalSketch(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1");
        }
        labels = new String[capacity];
        counts = new long[capacity];
        int tableSize = Integer.highestOneBit(capacity * 2 - 1) << 1;
        table = new int[tableSize];
        Arrays.fill(table, -1);
        mask = tableSize - 1;
    }

    /** An empty sketch that already holds this sketch's categories (with zero counts), in the same slots. */
    public CategoricalSketch emptyCopy() {
        CategoricalSketch s = new CategoricalSketch(labels.length);
        for (int i = 0; i < size; i++) {
            s.slot(labels[i], true);
        }
        return s;
    }

    public void update(String label) {
        add(label, 1);
    }

    public void add(String label, long n) {
        int slot = slot(label, true);
        if (slot < 0) {
            other += n;
        } else {
            counts[slot] += n;
        }
        total += n;
    }

    private int slot(String label, boolean insert) {
        int h = mix(label.hashCode()) & mask;
        while (true) {
            int s = table[h];
            if (s < 0) {
                if (!insert || size == labels.length) {
                    return -1;
                }
                labels[size] = label;
                table[h] = size;
                return size++;
            }
            if (labels[s].equals(label)) {
                return s;
            }
            h = (h + 1) & mask;
        }
    }

    private static int mix(int h) {
        return h ^ (h >>> 16) * 0x45d9f3b;
    }

    public void merge(CategoricalSketch o) {
        if (o == this) {
            throw new IllegalArgumentException("cannot merge a sketch into itself");
        }
        for (int i = 0; i < o.size; i++) {
            if (o.counts[i] > 0 || slot(o.labels[i], false) < 0) {
                add(o.labels[i], o.counts[i]);
            }
        }
        other += o.other;
        total += o.other;
    }

    /** Clears the counts, keeping the known categories, without allocating. */
    public void reset() {
        Arrays.fill(counts, 0L);
        other = 0;
        total = 0;
    }

    /** A serialisable copy (Jackson-friendly): labels in slot order with their counts, and "other". */
    public record State(int capacity, List<String> labels, long[] counts, long other) {
    }

    public State toState() {
        return new State(labels.length, List.of(Arrays.copyOf(labels, size)), Arrays.copyOf(counts, size), other);
    }

    public static CategoricalSketch fromState(State s) {
        if (s.labels().size() != s.counts().length || s.labels().size() > s.capacity()) {
            throw new IllegalArgumentException("state needs one count per label, at most capacity labels");
        }
        CategoricalSketch k = new CategoricalSketch(s.capacity());
        for (int i = 0; i < s.counts().length; i++) {
            k.add(s.labels().get(i), s.counts()[i]);
        }
        k.other = s.other();
        k.total += s.other();
        return k;
    }

    public long total() {
        return total;
    }

    public long count(String label) {
        int s = slot(label, false);
        return s < 0 ? 0 : counts[s];
    }

    public long otherCount() {
        return other;
    }

    /** Number of categories with their own slot. */
    public int categories() {
        return size;
    }

    /** Counts by category in slot order, with {@link #OTHER} last when non-zero. Allocates. */
    public Map<String, Long> counts() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (int i = 0; i < size; i++) {
            m.put(labels[i], counts[i]);
        }
        if (other > 0) {
            m.put(OTHER, other);
        }
        return m;
    }
}
