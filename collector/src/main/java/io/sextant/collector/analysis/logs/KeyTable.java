package io.sextant.collector.analysis.logs;

import java.util.Arrays;

/**
 * Open-addressing hash table from masked lines to values, probed with any {@link CharSequence} so that a hit
 * allocates nothing (a {@code HashMap<String, V>} would need a {@code String} per lookup). Keys are never removed.
 *
 * <p>Not thread-safe: owned by the miner's thread.
 */
final class KeyTable<V> {

    private String[] keys = new String[1024];
    private int[] hashes = new int[1024];
    private Object[] values = new Object[1024];
    private int size;

    @SuppressWarnings("unchecked")
    V get(CharSequence key) {
        int h = hash(key);
        int mask = keys.length - 1;
        for (int i = h & mask; ; i = (i + 1) & mask) {
            String k = keys[i];
            if (k == null) {
                return null;
            }
            if (hashes[i] == h && contentEquals(k, key)) {
                return (V) values[i];
            }
        }
    }

    void put(String key, V value) {
        if ((size + 1) * 2 > keys.length) {
            grow();
        }
        int h = hash(key);
        int mask = keys.length - 1;
        for (int i = h & mask; ; i = (i + 1) & mask) {
            String k = keys[i];
            if (k == null) {
                keys[i] = key;
                hashes[i] = h;
                values[i] = value;
                size++;
                return;
            }
            if (hashes[i] == h && k.equals(key)) {
                values[i] = value;
                return;
            }
        }
    }

    int size() {
        return size;
    }

    private void grow() {
        String[] oldKeys = keys;
        int[] oldHashes = hashes;
        Object[] oldValues = values;
        int n = oldKeys.length * 2;
        keys = new String[n];
        hashes = new int[n];
        values = new Object[n];
        int mask = n - 1;
        for (int j = 0; j < oldKeys.length; j++) {
            if (oldKeys[j] != null) {
                int i = oldHashes[j] & mask;
                while (keys[i] != null) {
                    i = (i + 1) & mask;
                }
                keys[i] = oldKeys[j];
                hashes[i] = oldHashes[j];
                values[i] = oldValues[j];
            }
        }
        Arrays.fill(oldValues, null);
    }

    private static int hash(CharSequence s) {
        int h = 0;
        for (int i = 0, n = s.length(); i < n; i++) {
            h = 31 * h + s.charAt(i);
        }
        return h ^ (h >>> 16);
    }

    private static boolean contentEquals(String k, CharSequence s) {
        int n = k.length();
        if (n != s.length()) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (k.charAt(i) != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
