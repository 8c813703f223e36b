package io.sextant.protocol;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Trace and span ids travel as raw bytes in W3C / OTLP order (SPEC.md section 5.8), so hex of the
 * bytes as received is the id as the application's MDC and OpenTelemetry write it.
 */
class TraceIdWireOrderTest
{
    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String SPAN = "00f067aa0ba902b7";

    @Test
    void writesTraceAndSpanIdsMostSignificantByteFirst()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[4096]);
        final FrameWriter frames = new FrameWriter();
        final WireWriter payload = frames.begin(buffer, 0, buffer.capacity(), MessageType.LOGS, 1);
        final LogsEncoder encoder = new LogsEncoder().wrap(payload, 0);
        // The numbers an agent reads from the 32 and 16 hex digits.
        assertThat(encoder.record(5, LogLevel.INFO, "l", "t", "", "m", "", 0,
            Long.parseUnsignedLong(TRACE.substring(0, 16), 16), Long.parseUnsignedLong(TRACE.substring(16), 16),
            Long.parseUnsignedLong(SPAN, 16), null, null, 0)).isTrue();
        encoder.finish();
        final int length = frames.finish();

        final LogsDecoder decoder = new LogsDecoder().wrap(buffer, Frame.HEADER_LENGTH, length);
        assertThat(decoder.next()).isTrue();
        assertThat(HexFormat.of().formatHex(decoder.traceId().toByteArray())).isEqualTo(TRACE);
        assertThat(HexFormat.of().formatHex(decoder.spanId().toByteArray())).isEqualTo(SPAN);

        // The bytes of SPEC.md's example, in this order on the wire.
        final byte[] frame = new byte[length];
        buffer.getBytes(0, frame);
        assertThat(HexFormat.of().formatHex(frame)).contains("10" + TRACE + "08" + SPAN);
    }
}
