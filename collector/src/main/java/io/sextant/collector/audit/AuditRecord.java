package io.sextant.collector.audit;

import java.util.HexFormat;

/**
 * One audit record as stored.
 *
 * @param seq         position in the journal, from 0, with no gaps
 * @param timestampMs when it was appended, epoch milliseconds
 * @param type        what happened, e.g. {@code model.registered}, {@code alias.set}
 * @param actor       who did it (user, token name, or {@code system})
 * @param body        canonical JSON (keys sorted) with the details
 * @param prevHash    SHA-256 of the previous record's canonical bytes (32 zero bytes for the first)
 * @param hash        SHA-256 of this record's canonical bytes, which include {@code prevHash}
 */
public record AuditRecord(long seq, long timestampMs, String type, String actor, String body, byte[] prevHash,
                          byte[] hash) {

    public String hashHex() {
        return HexFormat.of().formatHex(hash);
    }

    public String prevHashHex() {
        return HexFormat.of().formatHex(prevHash);
    }
}
