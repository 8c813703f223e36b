package io.sextant.collector.mlops.drift;

import io.sextant.collector.mlops.sketch.NumericSketch;

/**
 * A trailing-window reference for one numeric feature: the merge of the last {@code windows} closed
 * windows. Closed windows are kept in a ring of preallocated sketches, so rolling allocates nothing once
 * the binning is known.
 *
 * <p>Single writer: the tailer that closes windows for this feature.
 */
public final class TrailingReference {

    private final NumericSketch[] ring;
    private int next;
    private int filled;

    /** @param template an empty sketch whose capacity and binning every window uses */
    public TrailingReference(NumericSketch template, int windows) {
        if (windows < 1) {
            throw new IllegalArgumentException("windows must be >= 1");
        }
        ring = new NumericSketch[windows];
        for (int i = 0; i < windows; i++) {
            ring[i] = template.emptyCopy();
        }
    }

    /** Adds a closed window (copied in), evicting the oldest when full. */
    public void push(NumericSketch closedWindow) {
        NumericSketch slot = ring[next];
        slot.reset();
        slot.merge(closedWindow);
        next = (next + 1) % ring.length;
        filled = Math.min(filled + 1, ring.length);
    }

    public boolean full() {
        return filled == ring.length;
    }

    /** The reference: all kept windows merged, oldest first. Allocates a new sketch. */
    public NumericSketch reference() {
        NumericSketch out = ring[0].emptyCopy();
        int start = filled < ring.length ? 0 : next;
        for (int i = 0; i < filled; i++) {
            out.merge(ring[(start + i) % ring.length]);
        }
        return out;
    }
}
