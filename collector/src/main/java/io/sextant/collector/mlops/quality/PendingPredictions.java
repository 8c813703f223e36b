package io.sextant.collector.mlops.quality;

import java.util.Arrays;

/**
 * The store behind {@link LabelJoin}: fixed-size records in one {@code long[]}, linked in insertion order,
 * and an open-addressing index from a prediction id's 128-bit hash to its record. Neither adding, finding
 * nor removing a record allocates once the arrays have grown to the working set.
 *
 * <pre>
 * record (STRIDE longs, 48 bytes):
 *   +0 ID_HI    first 64 bits of the id's hash
 *   +1 ID_LO    last 64 bits of the id's hash
 *   +2 TIME     prediction time, ms
 *   +3 PAYLOAD  the owner's (LabelJoin: raw bits of a double)
 *   +4 META     the owner's (LabelJoin: predicted class, (model, version) index, flag)
 *   +5 LINKS    previous record (high int) and next record (low int) in insertion order, -1 for none;
 *               a free record keeps the next free one in the low int
 *
 * index entry (one long):  fingerprint = (int) ID_HI  |  record + 1     (0 = empty slot)
 *                          high 32 bits                  low 32 bits
 * </pre>
 *
 * <p>Records are doubly linked rather than kept in a ring because a label removes its prediction from
 * the middle: a ring would have to keep the dead record until the head passed it, and once it filled
 * with dead records while fewer than {@code capacity} were live it would have to be compacted, which
 * happens on every prediction in the overloaded steady state (full, each label freeing one record in the
 * middle). Free records are reused last-freed first, so in that steady state (each prediction evicting
 * the oldest and taking its record) the list walks the array like a ring.
 *
 * <p>The index probes linearly in a power-of-two table at least twice the records allocated (load at most
 * one half) and deletes by shifting the rest of the cluster back, so it never holds tombstones and probe
 * lengths do not degrade however many predictions come and go. An entry keeps 32 bits of the hash, which
 * give both its home slot and a filter: a miss, the usual case for a new prediction, touches only the
 * index, and a hit reads the record to compare all 128 bits.
 *
 * <p>Single writer: the owning {@link LabelJoin}'s.
 */
final class PendingPredictions {

    static final int STRIDE = 6;
    static final int ID_HI_OFFSET = 0;
    static final int ID_LO_OFFSET = 1;
    static final int TIME_OFFSET = 2;
    static final int PAYLOAD_OFFSET = 3;
    static final int META_OFFSET = 4;
    static final int LINKS_OFFSET = 5;

    /** Most records one {@code long[]} can hold. */
    static final int MAX_RECORDS = (Integer.MAX_VALUE - 8) / STRIDE;
    private static final int FIRST_RECORDS = 256;
    private static final int NONE = -1;

    private static final long C1 = 0x87c37b91114253d5L;
    private static final long C2 = 0x4cf5ad432745937fL;
    private static final int SEED = 0x5e7a47;
    /** The hash of a null id (old versions kept null as a map key; ModelStage never sends one). */
    private static final long NULL_HI = 0x9e3779b97f4a7c15L;
    private static final long NULL_LO = 0xc2b2ae3d27d4eb4fL;

    private final int maxRecords;
    private long[] records = new long[0];
    private int allocated;
    private int everUsed;
    private int freeHead = NONE;
    private int head = NONE;
    private int tail = NONE;
    private int size;
    private long[] index = new long[0];
    private int indexMask = -1;

    /** The result of the last {@link #hash}. */
    long hashHi;
    long hashLo;

    PendingPredictions(int maxRecords) {
        if (maxRecords < 1 || maxRecords > MAX_RECORDS) {
            throw new IllegalArgumentException("records must be in 1.." + MAX_RECORDS + ": " + maxRecords);
        }
        this.maxRecords = maxRecords;
    }

    /**
     * Hashes an id into {@link #hashHi} and {@link #hashLo}: MurmurHash3 x64 128-bit of the id's UTF-16
     * code units taken little-endian (what Guava's {@code murmur3_128(seed).hashUnencodedChars} computes),
     * so four chars make one 64-bit lane and no bytes are materialised.
     */
    void hash(String id) {
        if (id == null) {
            hashHi = NULL_HI;
            hashLo = NULL_LO;
            return;
        }
        long h1 = SEED;
        long h2 = SEED;
        int n = id.length();
        int i = 0;
        for (; i + 8 <= n; i += 8) {
            long k1 = id.charAt(i) | (long) id.charAt(i + 1) << 16 | (long) id.charAt(i + 2) << 32
                | (long) id.charAt(i + 3) << 48;
            long k2 = id.charAt(i + 4) | (long) id.charAt(i + 5) << 16 | (long) id.charAt(i + 6) << 32
                | (long) id.charAt(i + 7) << 48;
            h1 ^= mixK1(k1);
            h1 = Long.rotateLeft(h1, 27) + h2;
            h1 = h1 * 5 + 0x52dce729;
            h2 ^= mixK2(k2);
            h2 = Long.rotateLeft(h2, 31) + h1;
            h2 = h2 * 5 + 0x38495ab5;
        }
        long k1 = 0;
        long k2 = 0;
        for (int j = 0; i + j < n; j++) {
            long c = id.charAt(i + j);
            if (j < 4) {
                k1 |= c << (16 * j);
            } else {
                k2 |= c << (16 * (j - 4));
            }
        }
        int rest = n - i;
        if (rest > 4) {
            h2 ^= mixK2(k2);
        }
        if (rest > 0) {
            h1 ^= mixK1(k1);
        }
        long bytes = 2L * n;
        h1 ^= bytes;
        h2 ^= bytes;
        h1 += h2;
        h2 += h1;
        h1 = fmix(h1);
        h2 = fmix(h2);
        h1 += h2;
        h2 += h1;
        hashHi = h1;
        hashLo = h2;
    }

    private static long mixK1(long k1) {
        return Long.rotateLeft(k1 * C1, 31) * C2;
    }

    private static long mixK2(long k2) {
        return Long.rotateLeft(k2 * C2, 33) * C1;
    }

    private static long fmix(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        k ^= k >>> 33;
        return k;
    }

    /** The record whose id hashed to (hi, lo), or -1. */
    int find(long hi, long lo) {
        if (size == 0) {
            return NONE;
        }
        int fingerprint = (int) hi;
        int mask = indexMask;
        for (int i = fingerprint & mask; ; i = (i + 1) & mask) {
            long entry = index[i];
            if (entry == 0) {
                return NONE;
            }
            if ((int) (entry >>> 32) == fingerprint) {
                int record = (int) entry - 1;
                int base = record * STRIDE;
                if (records[base + ID_HI_OFFSET] == hi && records[base + ID_LO_OFFSET] == lo) {
                    return record;
                }
            }
        }
    }

    /** Appends a record after the newest; the caller keeps {@link #size()} below the maximum and the id new. */
    int add(long hi, long lo, long timeMs, long payload, long meta) {
        int record;
        if (freeHead != NONE) {
            record = freeHead;
            freeHead = next(records[record * STRIDE + LINKS_OFFSET]);
        } else {
            if (everUsed == allocated) {
                grow();
            }
            record = everUsed++;
        }
        int base = record * STRIDE;
        records[base + ID_HI_OFFSET] = hi;
        records[base + ID_LO_OFFSET] = lo;
        records[base + TIME_OFFSET] = timeMs;
        records[base + PAYLOAD_OFFSET] = payload;
        records[base + META_OFFSET] = meta;
        records[base + LINKS_OFFSET] = links(tail, NONE);
        if (tail == NONE) {
            head = record;
        } else {
            int tailLinks = tail * STRIDE + LINKS_OFFSET;
            records[tailLinks] = links(prev(records[tailLinks]), record);
        }
        tail = record;
        int fingerprint = (int) hi;
        int i = fingerprint & indexMask;
        while (index[i] != 0) {
            i = (i + 1) & indexMask;
        }
        index[i] = (long) fingerprint << 32 | (record + 1);
        size++;
        return record;
    }

    /** Removes a record (found, or the head) from the index and the insertion order and frees it. */
    void remove(int record) {
        int base = record * STRIDE;
        int mask = indexMask;
        int i = (int) records[base + ID_HI_OFFSET] & mask;
        for (long entry = index[i]; (int) entry != record + 1; entry = index[i]) {
            if (entry == 0) {
                throw new IllegalStateException("record " + record + " is not in the index");
            }
            i = (i + 1) & mask;
        }
        // Backward shift: move each later entry of the cluster into the hole unless its home lies
        // cyclically after the hole (then it must stay where a probe from its home finds it).
        int hole = i;
        for (int j = (i + 1) & mask; index[j] != 0; j = (j + 1) & mask) {
            int home = (int) (index[j] >>> 32) & mask;
            if (((j - home) & mask) >= ((j - hole) & mask)) {
                index[hole] = index[j];
                hole = j;
            }
        }
        index[hole] = 0;

        long l = records[base + LINKS_OFFSET];
        int prev = prev(l);
        int next = next(l);
        if (prev == NONE) {
            head = next;
        } else {
            int p = prev * STRIDE + LINKS_OFFSET;
            records[p] = links(prev(records[p]), next);
        }
        if (next == NONE) {
            tail = prev;
        } else {
            int n = next * STRIDE + LINKS_OFFSET;
            records[n] = links(prev, next(records[n]));
        }
        records[base + LINKS_OFFSET] = links(NONE, freeHead);
        freeHead = record;
        size--;
    }

    private void grow() {
        if (allocated == maxRecords) {
            throw new IllegalStateException("all " + maxRecords + " records are in use");
        }
        int grown = (int) Math.min(maxRecords, Math.max(FIRST_RECORDS, 2L * allocated));
        records = Arrays.copyOf(records, grown * STRIDE);
        allocated = grown;
        int indexLength = Integer.highestOneBit(Math.max(8, 2 * grown - 1)) << 1;
        if (indexLength > index.length) {
            long[] old = index;
            index = new long[indexLength];
            indexMask = indexLength - 1;
            for (long entry : old) {
                if (entry != 0) {
                    int i = (int) (entry >>> 32) & indexMask;
                    while (index[i] != 0) {
                        i = (i + 1) & indexMask;
                    }
                    index[i] = entry;
                }
            }
        }
    }

    private static long links(int prev, int next) {
        return (long) prev << 32 | (next & 0xffff_ffffL);
    }

    private static int prev(long links) {
        return (int) (links >>> 32);
    }

    private static int next(long links) {
        return (int) links;
    }

    /** The oldest record, or -1 when empty. */
    int head() {
        return head;
    }

    int size() {
        return size;
    }

    /** Records allocated so far (record numbers are below this). */
    int allocated() {
        return allocated;
    }

    long timeMs(int record) {
        return records[record * STRIDE + TIME_OFFSET];
    }

    long payload(int record) {
        return records[record * STRIDE + PAYLOAD_OFFSET];
    }

    long meta(int record) {
        return records[record * STRIDE + META_OFFSET];
    }

    /** Bytes held by the arrays (for the class documentation's arithmetic and tests). */
    long footprintBytes() {
        return 8L * records.length + 8L * index.length;
    }

    /**
     * Checks every invariant (for tests): the insertion order links both ways and holds {@link #size()}
     * records, the free list holds the rest, the index holds exactly the live records, each reachable from
     * its home without crossing an empty slot, and the index is at most half full.
     */
    void verify() {
        boolean[] live = new boolean[allocated];
        int count = 0;
        int prev = NONE;
        for (int r = head; r != NONE; r = next(records[r * STRIDE + LINKS_OFFSET])) {
            check(!live[r], "cycle at " + r);
            check(prev(records[r * STRIDE + LINKS_OFFSET]) == prev, "bad prev link at " + r);
            live[r] = true;
            prev = r;
            count++;
        }
        check(prev == tail, "tail " + tail + " is not the last record " + prev);
        check(count == size, "list holds " + count + ", size " + size);
        int free = 0;
        for (int r = freeHead; r != NONE; r = next(records[r * STRIDE + LINKS_OFFSET])) {
            check(!live[r], "free record " + r + " is live");
            free++;
            check(free <= everUsed, "free list cycles");
        }
        check(free + size == everUsed, "free " + free + " + live " + size + " != used " + everUsed);
        int entries = 0;
        for (int i = 0; i < index.length; i++) {
            long entry = index[i];
            if (entry == 0) {
                continue;
            }
            entries++;
            int r = (int) entry - 1;
            check(r >= 0 && r < allocated && live[r], "index entry " + i + " names a dead record " + r);
            check((int) (entry >>> 32) == (int) records[r * STRIDE + ID_HI_OFFSET], "bad fingerprint at " + i);
            for (int j = (int) (entry >>> 32) & indexMask; j != i; j = (j + 1) & indexMask) {
                check(index[j] != 0, "entry " + i + " unreachable from its home");
            }
            check(find(records[r * STRIDE + ID_HI_OFFSET], records[r * STRIDE + ID_LO_OFFSET]) == r,
                "record " + r + " not found");
        }
        check(entries == size, "index holds " + entries + ", size " + size);
        check(2L * allocated <= index.length, "index more than half full");
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException(what);
        }
    }
}
