package io.sextant.collector.audit;

/**
 * The outcome of {@link AuditJournal#verify}: either intact, or the first problem found.
 *
 * @param problem  what is wrong, {@link Problem#NONE} when intact
 * @param position index (in file order, from 0) of the first record affected; for REMOVED the position
 *                 where the missing records should be
 * @param seq      the sequence number concerned (the changed, inserted or moved record's, or the first missing one)
 * @param records  number of readable records
 * @param message  a readable explanation
 */
public record VerifyResult(Problem problem, long position, long seq, long records, String message) {

    /** Kinds of damage, in the words of {@code sextant audit verify}. */
    public enum Problem {
        NONE, CHANGED, REMOVED, INSERTED, REORDERED, CORRUPT, HEAD_MISMATCH
    }

    public boolean intact() {
        return problem == Problem.NONE;
    }
}
