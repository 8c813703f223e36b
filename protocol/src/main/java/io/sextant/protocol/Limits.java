package io.sextant.protocol;

/**
 * Field and count limits from {@code SPEC.md}. Decoders enforce them; encoders refuse to write
 * beyond them, so a conforming sender never produces a frame a conforming receiver refuses.
 */
public final class Limits
{
    /** Longest string or byte array field, in bytes. */
    public static final int MAX_FIELD_LENGTH = 65_535;
    /** Most records (samples, log records, inferences, labels, definitions) in one message. */
    public static final int MAX_RECORDS = 65_535;
    /** Most key/value pairs in one attribute, label, parameter or feature list. */
    public static final int MAX_PAIRS = 1024;
    /** Highest series id a sender may define on one connection. */
    public static final int MAX_SERIES_ID = (1 << 24) - 1;

    private Limits()
    {
    }
}
