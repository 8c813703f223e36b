package io.sextant.collector.audit;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code sextant audit verify --dir AUDIT_DIR [--anchor HEX]}: verifies the journal and prints the result;
 * exits 0 when intact, 1 when tampered with (the first changed, removed, inserted or reordered record is
 * named), 2 on bad usage. {@code --anchor} is a head hash published earlier: the journal must still
 * contain a record with that hash, which catches a consistent rewrite of everything after it. The CLI
 * will call {@link #run} once wired.
 */
public final class AuditVerifyCommand {

    public static final int INTACT = 0;
    public static final int TAMPERED = 1;
    public static final int USAGE = 2;

    static final String USAGE_TEXT = "usage: sextant audit verify --dir AUDIT_DIR [--anchor HEX]";

    private AuditVerifyCommand() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        String dir = null;
        String anchor = null;
        for (int i = 0; i < args.length; i++) {
            if (i + 1 >= args.length) {
                err.println("missing value for " + args[i] + "\n" + USAGE_TEXT);
                return USAGE;
            }
            switch (args[i]) {
                case "--dir" -> dir = args[++i];
                case "--anchor" -> anchor = args[++i];
                default -> {
                    err.println("unknown option '" + args[i] + "'\n" + USAGE_TEXT);
                    return USAGE;
                }
            }
        }
        if (dir == null) {
            err.println("missing --dir\n" + USAGE_TEXT);
            return USAGE;
        }
        try {
            VerifyResult r = AuditJournal.verify(Path.of(dir));
            if (!r.intact()) {
                out.println("TAMPERED " + r.problem() + " at position " + r.position() + ": " + r.message());
                return TAMPERED;
            }
            if (anchor != null && !containsHash(Path.of(dir), anchor)) {
                out.println("TAMPERED HEAD_MISMATCH: no record has the anchor hash " + anchor
                    + " (the journal was rewritten or cut before it)");
                return TAMPERED;
            }
            out.println("OK " + r.message());
            return INTACT;
        } catch (IOException e) {
            err.println("audit verify: " + e.getMessage());
            return USAGE;
        }
    }

    private static boolean containsHash(Path dir, String hex) throws IOException {
        List<AuditRecord> all = AuditJournal.readAll(dir);
        for (AuditRecord r : all) {
            if (r.hashHex().equalsIgnoreCase(hex)) {
                return true;
            }
        }
        return false;
    }
}
