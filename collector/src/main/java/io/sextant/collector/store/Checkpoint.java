package io.sextant.collector.store;

import java.util.Map;

/**
 * A loaded, verified checkpoint: the journal index the store had applied up to and the saved sections
 * (the store, the index marks of the analysis warm-up, and each {@link CheckpointState} by name).
 *
 * @param file             where it was read from.
 * @param journalIndex     the last journal record it includes.
 * @param createdMillis    wall-clock time it was taken.
 * @param lastRecordMillis receive time of that last record.
 * @param sections         section name to its bytes.
 */
public record Checkpoint(java.nio.file.Path file, long journalIndex, long createdMillis, long lastRecordMillis,
    Map<String, byte[]> sections)
{
    /** @return a reader over a section, or null when the checkpoint has none of that name. */
    public CheckpointIn section(final String name)
    {
        final byte[] b = sections.get(name);
        return b == null ? null : new CheckpointIn(b, 0, b.length);
    }
}
