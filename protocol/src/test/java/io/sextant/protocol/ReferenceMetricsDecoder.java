package io.sextant.protocol;

import org.agrona.DirectBuffer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A deliberately plain METRICS decoder written from SPEC.md section 5.7 with nothing but
 * {@link WireReader} primitives, one field at a time. Differential tests hold
 * {@link MetricsDecoder} (and its one-load fast path) to the same results on any input.
 */
final class ReferenceMetricsDecoder
{
    record Sample(int seriesId, long timeMillis, ValueEncoding encoding, long valueBits, byte[] histogram)
    {
        @Override
        public boolean equals(final Object o)
        {
            return o instanceof Sample s && seriesId == s.seriesId && timeMillis == s.timeMillis &&
                encoding == s.encoding && valueBits == s.valueBits && Arrays.equals(histogram, s.histogram);
        }

        @Override
        public int hashCode()
        {
            return seriesId;
        }
    }

    /** The samples, or the code of the ProtocolException that ended decoding (and the samples before it). */
    record Outcome(List<Sample> samples, ErrorCode error)
    {
    }

    private ReferenceMetricsDecoder()
    {
    }

    static Outcome decode(final DirectBuffer buffer, final int offset, final int limit)
    {
        final List<Sample> samples = new ArrayList<>();
        try
        {
            final WireReader reader = new WireReader().wrap(buffer, offset, limit);
            final long base = reader.getLong("baseTimeMillis");
            final int count = reader.getUShort("count");
            for (int i = 0; i < count; i++)
            {
                final int id = reader.getVarInt("seriesId", Limits.MAX_SERIES_ID);
                final int head = reader.getUByte("head");
                final long delta = (head >>> 3) == 31 ? reader.getZigZag("timeDelta") : head >>> 3;
                final ValueEncoding encoding = ValueEncoding.of(head & 7);
                if (encoding == null)
                {
                    throw new ProtocolException(ErrorCode.MALFORMED, "reserved value encoding");
                }
                long bits = Double.doubleToRawLongBits(Double.NaN);
                byte[] histogram = null;
                switch (encoding)
                {
                    case ZERO -> bits = 0;
                    case INT -> bits = Double.doubleToRawLongBits((double)reader.getZigZag("value"));
                    case FLOAT64 -> bits = Double.doubleToRawLongBits(reader.getDouble("value"));
                    case FLOAT32 -> bits = Double.doubleToRawLongBits(reader.getFloat("value"));
                    case HISTOGRAM -> histogram = reader.getSlice("histogram", new BufferSlice()).toByteArray();
                    default -> throw new IllegalStateException();
                }
                samples.add(new Sample(id, base + delta, encoding, bits, histogram));
            }
            return new Outcome(samples, null);
        }
        catch (final ProtocolException ex)
        {
            return new Outcome(samples, ex.code());
        }
    }

    /** The same, through the decoder under test. */
    static Outcome decodeWith(final MetricsDecoder decoder, final DirectBuffer buffer, final int offset, final int limit)
    {
        final List<Sample> samples = new ArrayList<>();
        try
        {
            decoder.wrap(buffer, offset, limit);
            while (decoder.next())
            {
                samples.add(new Sample(decoder.seriesId(), decoder.timeMillis(), decoder.encoding(),
                    Double.doubleToRawLongBits(decoder.value()),
                    decoder.encoding() == ValueEncoding.HISTOGRAM ? decoder.histogram().toByteArray() : null));
            }
            return new Outcome(samples, null);
        }
        catch (final ProtocolException ex)
        {
            return new Outcome(samples, ex.code());
        }
    }
}
