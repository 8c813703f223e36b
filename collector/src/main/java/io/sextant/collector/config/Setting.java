package io.sextant.collector.config;

/**
 * One configuration key: its name (without the {@code sextant.collector.} prefix), its type, its
 * default as written by a user, and what it means. Declared once, in {@link Settings}.
 *
 * @param name         key suffix, lower case with {@code -} between words.
 * @param type         how the value is parsed.
 * @param defaultValue default, in the same syntax a user writes; empty for "none".
 * @param meaning      one sentence for the README table and error messages.
 */
public record Setting(String name, Type type, String defaultValue, String meaning)
{
    /** System-property prefix of every collector key. */
    public static final String PROPERTY_PREFIX = "sextant.collector.";
    /** Environment-variable prefix of every collector key. */
    public static final String ENV_PREFIX = "SEXTANT_COLLECTOR_";

    /** How a value is written. */
    public enum Type
    {
        /** Free text. */
        STRING("text"),
        /** A file-system path. */
        PATH("path"),
        /** A TCP port, 0..65535 (0 = pick a free port). */
        PORT("port"),
        /** A positive whole number. */
        COUNT("count"),
        /** A duration with a unit: ms, s, m, h, d (for example 250ms, 7d). */
        DURATION("duration"),
        /** A size with a unit: B, KiB, MiB, GiB, TiB, KB, MB, GB, TB (for example 64MiB). */
        SIZE("size"),
        /** Comma-separated list of text values. */
        LIST("list"),
        /** One of a fixed set of words. */
        CHOICE("choice");

        private final String label;

        Type(final String label)
        {
            this.label = label;
        }

        /**
         * @return how the type is called in the README.
         */
        public String label()
        {
            return label;
        }
    }

    /**
     * @return the system-property name, for example {@code sextant.collector.data-dir}.
     */
    public String property()
    {
        return PROPERTY_PREFIX + name;
    }

    /**
     * @return the environment-variable name, for example {@code SEXTANT_COLLECTOR_DATA_DIR}.
     */
    public String env()
    {
        return ENV_PREFIX + name.toUpperCase(java.util.Locale.ROOT).replace('-', '_');
    }
}
