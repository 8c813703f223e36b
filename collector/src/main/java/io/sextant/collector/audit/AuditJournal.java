package io.sextant.collector.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The append-only audit journal in a folder: {@value #LOG_FILE} holds the framed records (see {@link
 * AuditCodec}), {@value #HEAD_FILE} the sequence and hash of the last record, so that removing records at
 * the end is caught too.
 *
 * <p>Single writer: one thread (the collector's audit agent) calls {@link #append}. Readers open the files
 * themselves ({@link #readAll}, {@link #verify}). With {@code sync} on, {@link #append} returns after the
 * record and the head are forced to the device (survives power loss); with it off, after they are written
 * to the operating system (survives a collector crash, not a power loss).
 *
 * <p>Opening scans the file: a torn final frame (a crash in the middle of a write) is cut off and counted
 * in {@link #tornBytesDropped()}; anything else wrong is left for {@link #verify} to report.
 */
public final class AuditJournal implements AutoCloseable {

    public static final String LOG_FILE = "audit.log";
    public static final String HEAD_FILE = "audit.head";
    static final byte[] GENESIS = new byte[AuditCodec.HASH_LENGTH];

    private static final ObjectMapper CANONICAL = JsonMapper.builder()
        .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
        .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
        .build();

    private final Path dir;
    private final FileChannel channel;
    private final boolean sync;
    private long nextSeq;
    private byte[] lastHash;
    private final long tornBytesDropped;

    private AuditJournal(Path dir, FileChannel channel, boolean sync, long nextSeq, byte[] lastHash, long torn) {
        this.dir = dir;
        this.channel = channel;
        this.sync = sync;
        this.nextSeq = nextSeq;
        this.lastHash = lastHash;
        this.tornBytesDropped = torn;
    }

    public static AuditJournal open(Path dir, boolean sync) throws IOException {
        Files.createDirectories(dir);
        Path log = dir.resolve(LOG_FILE);
        FileChannel ch = FileChannel.open(log, StandardOpenOption.CREATE, StandardOpenOption.READ,
            StandardOpenOption.WRITE);
        Scan scan = scan(ch);
        long torn = ch.size() - scan.validEnd;
        if (torn > 0) {
            ch.truncate(scan.validEnd);
        }
        ch.position(scan.validEnd);
        long next = 0;
        byte[] last = GENESIS;
        if (!scan.frames.isEmpty()) {
            AuditCodec.Parsed p = scan.frames.get(scan.frames.size() - 1);
            next = p.record().seq() + 1;
            last = p.record().hash();
        }
        return new AuditJournal(dir, ch, sync, next, last, torn);
    }

    /** Canonical JSON of a body: object keys sorted at every level, no whitespace. */
    public static String canonicalJson(Object body) {
        try {
            Object plain = CANONICAL.convertValue(body, Object.class);
            return CANONICAL.writeValueAsString(plain);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new IllegalArgumentException("audit body is not serialisable as JSON: " + e.getMessage(), e);
        }
    }

    /** Appends a record and returns it as stored. {@code body} is any Jackson-serialisable value (a map, a record). */
    public AuditRecord append(String type, String actor, Object body, long timestampMs) throws IOException {
        String json = canonicalJson(body);
        byte[] canonical = AuditCodec.canonical(nextSeq, timestampMs, type, actor, json, lastHash);
        byte[] hash = AuditCodec.sha256(canonical);
        ByteBuffer frame = ByteBuffer.allocate(4 + canonical.length + hash.length);
        frame.putInt(canonical.length + hash.length).put(canonical).put(hash).flip();
        long start = channel.position();
        try {
            while (frame.hasRemaining()) {
                channel.write(frame);
            }
            if (sync) {
                channel.force(false);
            }
        } catch (IOException e) {
            // Leave no partial frame behind for the next append to build on.
            try {
                channel.truncate(start);
                channel.position(start);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        AuditRecord record = new AuditRecord(nextSeq, timestampMs, type, actor, json, lastHash, hash);
        nextSeq++;
        lastHash = hash;
        writeHead();
        return record;
    }

    private void writeHead() throws IOException {
        Path tmp = dir.resolve(HEAD_FILE + ".tmp");
        byte[] text = ((nextSeq - 1) + " " + HexFormat.of().formatHex(lastHash) + "\n").getBytes(StandardCharsets.US_ASCII);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(ByteBuffer.wrap(text));
            if (sync) {
                ch.force(true);
            }
        }
        Files.move(tmp, dir.resolve(HEAD_FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Sequence number the next record will get (= number of records). */
    public long nextSeq() {
        return nextSeq;
    }

    /** Hex SHA-256 of the last record (64 zeros when empty): the anchor to publish. */
    public String head() {
        return HexFormat.of().formatHex(lastHash);
    }

    public long tornBytesDropped() {
        return tornBytesDropped;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    /** All records in file order, as stored (no verification). */
    public static List<AuditRecord> readAll(Path dir) throws IOException {
        Path log = dir.resolve(LOG_FILE);
        if (!Files.exists(log)) {
            return List.of();
        }
        try (FileChannel ch = FileChannel.open(log, StandardOpenOption.READ)) {
            List<AuditRecord> out = new ArrayList<>();
            for (AuditCodec.Parsed p : scan(ch).frames) {
                out.add(p.record());
            }
            return out;
        }
    }

    /**
     * Up to {@code limit} records with {@code seq >= fromSeq}, in file order (for {@code /api/v1/audit}
     * paging). Reads frame by frame from the start and stops once the page is full.
     */
    public static List<AuditRecord> read(Path dir, long fromSeq, int limit) throws IOException {
        Path log = dir.resolve(LOG_FILE);
        List<AuditRecord> out = new ArrayList<>();
        if (!Files.exists(log) || limit <= 0) {
            return out;
        }
        try (FileChannel ch = FileChannel.open(log, StandardOpenOption.READ)) {
            long size = ch.size();
            long pos = 0;
            ByteBuffer len = ByteBuffer.allocate(4);
            while (pos + 4 <= size && out.size() < limit) {
                len.clear();
                ch.read(len, pos);
                int n = len.flip().getInt();
                if (n <= 0 || n > AuditCodec.MAX_FRAME || n > size - pos - 4) {
                    break;
                }
                ByteBuffer payload = ByteBuffer.allocate(n);
                while (payload.hasRemaining() && ch.read(payload, pos + 4 + payload.position()) >= 0) {
                    // read the whole frame
                }
                AuditRecord r;
                try {
                    r = AuditCodec.parse(payload.array()).record();
                } catch (IllegalArgumentException e) {
                    break;
                }
                if (r.seq() >= fromSeq) {
                    out.add(r);
                }
                pos += 4 + n;
            }
        }
        return out;
    }

    /** Checks the chain and the head; see {@link AuditVerifier}. */
    public static VerifyResult verify(Path dir) throws IOException {
        return AuditVerifier.verify(dir);
    }

    /** Frames parsed from the start of the file up to the first one that is incomplete or malformed. */
    static final class Scan {
        final List<AuditCodec.Parsed> frames = new ArrayList<>();
        final List<Long> offsets = new ArrayList<>();
        long validEnd;
        String error;
    }

    static Scan scan(FileChannel ch) throws IOException {
        Scan scan = new Scan();
        long size = ch.size();
        long pos = 0;
        ByteBuffer len = ByteBuffer.allocate(4);
        while (pos < size) {
            if (size - pos < 4) {
                scan.error = "incomplete frame length at byte " + pos;
                break;
            }
            len.clear();
            ch.read(len, pos);
            int n = len.flip().getInt();
            if (n <= 0 || n > AuditCodec.MAX_FRAME || n > size - pos - 4) {
                scan.error = "frame at byte " + pos + " claims " + n + " bytes, " + (size - pos - 4) + " remain";
                break;
            }
            ByteBuffer payload = ByteBuffer.allocate(n);
            while (payload.hasRemaining()) {
                if (ch.read(payload, pos + 4 + payload.position()) < 0) {
                    break;
                }
            }
            try {
                scan.frames.add(AuditCodec.parse(payload.array()));
            } catch (IllegalArgumentException e) {
                scan.error = "malformed frame at byte " + pos + ": " + e.getMessage();
                break;
            }
            scan.offsets.add(pos);
            pos += 4 + n;
            scan.validEnd = pos;
        }
        return scan;
    }
}
