package io.sextant.collector.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * The checkpoint folder ({@code <data-dir>/checkpoint}). A checkpoint is one file
 * {@code checkpoint-<created millis>.ckpt}:
 *
 * <pre>
 *   magic "SXCKPT01" (8 bytes), body length (long), CRC32C of the body (int), body
 *   body: journal index (long), created millis (long), last record millis (long),
 *         section count (int), then per section: name (UTF-8 string), length (int), bytes
 * </pre>
 * (little-endian). Any change to what a section holds must change the magic (the version is its last two
 * characters), so that a collector never parses another version's checkpoint: it reports "bad magic"
 * and replays the journal. It is written to a {@code .tmp} file, forced to disk, renamed into place and the
 * folder forced; only then are older checkpoints deleted, keeping the previous good one. A file whose
 * length, magic or CRC does not match is reported and skipped, and the next older one is tried.
 */
public final class CheckpointFiles
{
    static final byte[] MAGIC = "SXCKPT01".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    static final int PREAMBLE = 8 + 8 + 4;
    private static final String SUFFIX = ".ckpt";
    private static final int KEEP = 2;

    private final Path folder;
    private final Consumer<String> log;

    public CheckpointFiles(final Path folder, final Consumer<String> log)
    {
        this.folder = folder;
        this.log = log;
    }

    public Path folder()
    {
        return folder;
    }

    /**
     * Starts a checkpoint image: reserves the preamble and writes the body's fixed fields.
     */
    static CheckpointOut begin(final int capacity, final long journalIndex, final long createdMillis,
        final long lastRecordMillis, final int sections)
    {
        final CheckpointOut out = new CheckpointOut(capacity);
        for (int i = 0; i < PREAMBLE; i++)
        {
            out.putBoolean(false);
        }
        out.putLong(journalIndex).putLong(createdMillis).putLong(lastRecordMillis).putInt(sections);
        return out;
    }

    /**
     * Fills in the preamble (length and CRC) of an image made by {@link #begin}.
     */
    static void seal(final CheckpointOut out)
    {
        final byte[] a = out.array();
        final int bodyLength = out.position() - PREAMBLE;
        final CRC32C crc = new CRC32C();
        crc.update(a, PREAMBLE, bodyLength);
        final ByteBuffer head = ByteBuffer.wrap(a, 0, PREAMBLE).order(ByteOrder.LITTLE_ENDIAN);
        head.put(MAGIC).putLong(bodyLength).putInt((int)crc.getValue());
    }

    /**
     * Writes a sealed image atomically and deletes all but the newest {@value #KEEP} checkpoints.
     *
     * @return the file written.
     */
    public Path write(final byte[] image, final int length, final long createdMillis) throws IOException
    {
        Files.createDirectories(folder);
        final String name = String.format("checkpoint-%013d", createdMillis);
        final Path tmp = folder.resolve(name + ".tmp");
        final Path target = folder.resolve(name + SUFFIX);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING))
        {
            final ByteBuffer b = ByteBuffer.wrap(image, 0, length);
            while (b.hasRemaining())
            {
                ch.write(b);
            }
            ch.force(true);
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        forceFolder();
        final List<Path> all = list();
        for (int i = KEEP; i < all.size(); i++)
        {
            Files.deleteIfExists(all.get(i));
        }
        return target;
    }

    private void forceFolder()
    {
        try (FileChannel dir = FileChannel.open(folder, StandardOpenOption.READ))
        {
            dir.force(true);
        }
        catch (final IOException | UnsupportedOperationException ex)
        {
            // Not every platform can open a directory; the rename is then as durable as the platform makes it.
        }
    }

    /**
     * @return checkpoint files, newest first (leftover {@code .tmp} files are ignored).
     */
    public List<Path> list() throws IOException
    {
        final List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(folder))
        {
            return out;
        }
        try (Stream<Path> s = Files.list(folder))
        {
            s.filter(p -> p.getFileName().toString().startsWith("checkpoint-") &&
                p.getFileName().toString().endsWith(SUFFIX)).forEach(out::add);
        }
        out.sort((a, b) -> b.getFileName().toString().compareTo(a.getFileName().toString()));
        return out;
    }

    /**
     * @return the newest checkpoint that verifies, or null (each one skipped is logged with the reason).
     */
    public Checkpoint loadNewest()
    {
        final List<Path> files;
        try
        {
            files = list();
        }
        catch (final IOException ex)
        {
            log.accept("checkpoint folder " + folder + " cannot be listed (" + ex + "): replaying the whole journal");
            return null;
        }
        for (final Path f : files)
        {
            try
            {
                return read(f);
            }
            catch (final IOException | RuntimeException ex)
            {
                log.accept("checkpoint " + f + " is unusable and ignored: " + ex.getMessage());
            }
        }
        return null;
    }

    /**
     * Reads and verifies one checkpoint file.
     *
     * @throws IOException           when it cannot be read.
     * @throws IllegalStateException when it is torn or damaged (the message says how).
     */
    public static Checkpoint read(final Path file) throws IOException
    {
        final byte[] all = Files.readAllBytes(file);
        if (all.length < PREAMBLE)
        {
            throw new IllegalStateException("only " + all.length + " bytes, shorter than its header");
        }
        final ByteBuffer head = ByteBuffer.wrap(all, 0, PREAMBLE).order(ByteOrder.LITTLE_ENDIAN);
        final byte[] magic = new byte[MAGIC.length];
        head.get(magic);
        if (!java.util.Arrays.equals(magic, MAGIC))
        {
            throw new IllegalStateException("not a checkpoint (bad magic)");
        }
        final long bodyLength = head.getLong();
        final int crcExpected = head.getInt();
        if (bodyLength != all.length - PREAMBLE)
        {
            throw new IllegalStateException("torn: header says " + bodyLength + " body bytes, file has " +
                (all.length - PREAMBLE));
        }
        final CRC32C crc = new CRC32C();
        crc.update(all, PREAMBLE, (int)bodyLength);
        if ((int)crc.getValue() != crcExpected)
        {
            throw new IllegalStateException("CRC mismatch (expected " + Integer.toHexString(crcExpected) + ", got " +
                Integer.toHexString((int)crc.getValue()) + ")");
        }
        final CheckpointIn in = new CheckpointIn(all, PREAMBLE, (int)bodyLength);
        final long index = in.getLong();
        final long created = in.getLong();
        final long lastRecord = in.getLong();
        final int n = in.getCount(8);
        final Map<String, byte[]> sections = new LinkedHashMap<>();
        for (int i = 0; i < n; i++)
        {
            sections.put(in.getString(), in.getBytes());
        }
        return new Checkpoint(file, index, created, lastRecord, sections);
    }
}
