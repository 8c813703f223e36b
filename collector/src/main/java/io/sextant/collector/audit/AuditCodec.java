package io.sextant.collector.audit;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The canonical byte encoding of a record and its framing in the file.
 *
 * <pre>
 * frame:      length:int32 (of canonical + hash) | canonical | hash[32]
 * canonical:  version:u8 = 1
 *             seq:int64 | timestampMs:int64
 *             typeLength:u16  | type (UTF-8)
 *             actorLength:u16 | actor (UTF-8)
 *             bodyLength:int32 | body (UTF-8 canonical JSON)
 *             prevHash[32]
 * </pre>
 * All integers are big-endian. The hash is SHA-256 of the canonical bytes; it is stored so that a changed
 * record is caught at that record, and the next record's {@code prevHash} catches a record whose hash was
 * recomputed after the change.
 */
final class AuditCodec {

    static final byte VERSION = 1;
    static final int HASH_LENGTH = 32;
    static final int MAX_FRAME = 16 * 1024 * 1024;

    private AuditCodec() {
    }

    static byte[] canonical(long seq, long timestampMs, String type, String actor, String body, byte[] prevHash) {
        byte[] t = type.getBytes(StandardCharsets.UTF_8);
        byte[] a = actor.getBytes(StandardCharsets.UTF_8);
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        if (t.length > 0xFFFF || a.length > 0xFFFF) {
            throw new IllegalArgumentException("type and actor must be under 64 KiB");
        }
        ByteBuffer buf = ByteBuffer.allocate(1 + 8 + 8 + 2 + t.length + 2 + a.length + 4 + b.length + HASH_LENGTH);
        buf.put(VERSION).putLong(seq).putLong(timestampMs);
        buf.putShort((short) t.length).put(t);
        buf.putShort((short) a.length).put(a);
        buf.putInt(b.length).put(b);
        buf.put(prevHash);
        return buf.array();
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    /** A parsed frame: the record as stored, and whether its stored hash matches its canonical bytes. */
    record Parsed(AuditRecord record, boolean hashOk) {
    }

    /** Parses the payload of one frame (canonical bytes then hash); throws IllegalArgumentException if malformed. */
    static Parsed parse(byte[] payload) {
        if (payload.length < 1 + 8 + 8 + 2 + 2 + 4 + 2 * HASH_LENGTH) {
            throw new IllegalArgumentException("frame too short: " + payload.length + " bytes");
        }
        ByteBuffer buf = ByteBuffer.wrap(payload);
        byte version = buf.get();
        if (version != VERSION) {
            throw new IllegalArgumentException("unknown record version " + version);
        }
        long seq = buf.getLong();
        long ts = buf.getLong();
        String type = string(buf, buf.getShort() & 0xFFFF);
        String actor = string(buf, buf.getShort() & 0xFFFF);
        int bodyLength = buf.getInt();
        if (bodyLength < 0 || bodyLength > buf.remaining() - 2 * HASH_LENGTH) {
            throw new IllegalArgumentException("body length " + bodyLength + " does not fit the frame");
        }
        String body = string(buf, bodyLength);
        byte[] prev = new byte[HASH_LENGTH];
        buf.get(prev);
        int canonicalLength = buf.position();
        if (buf.remaining() != HASH_LENGTH) {
            throw new IllegalArgumentException("frame has " + buf.remaining() + " bytes after the canonical part, expected 32");
        }
        byte[] hash = new byte[HASH_LENGTH];
        buf.get(hash);
        byte[] recomputed = sha256(Arrays.copyOf(payload, canonicalLength));
        return new Parsed(new AuditRecord(seq, ts, type, actor, body, prev, hash), Arrays.equals(recomputed, hash));
    }

    private static String string(ByteBuffer buf, int length) {
        if (length > buf.remaining()) {
            throw new IllegalArgumentException("string length " + length + " does not fit the frame");
        }
        byte[] b = new byte[length];
        buf.get(b);
        return new String(b, StandardCharsets.UTF_8);
    }
}
