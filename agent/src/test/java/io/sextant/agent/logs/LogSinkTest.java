package io.sextant.agent.logs;

import io.sextant.agent.bridge.LogBridge;
import io.sextant.agent.record.RecordRing;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class LogSinkTest
{
    private static int drain(final RecordRing ring)
    {
        final AtomicInteger count = new AtomicInteger();
        while (ring.ring().read((type, buffer, index, length) -> count.incrementAndGet()) > 0)
        {
            Thread.onSpinWait();
        }
        return count.get();
    }

    @Test
    void capturesAtMostTheRateLimitPerSecondAndCountsTheRest()
    {
        final RecordRing ring = new RecordRing(1 << 20);
        final LogSink sink = new LogSink(ring, LogBridge.INFO, 10);
        for (int i = 0; i < 100; i++)
        {
            sink.record(1, LogBridge.INFO, "l", "t", "p {}", "p " + i, null, null, null, null);
        }
        assertThat(drain(ring)).isEqualTo(10);
        assertThat(sink.captured()).isEqualTo(10);
        assertThat(sink.rateLimited()).isEqualTo(90);
    }

    @Test
    void ignoresRecordsBelowTheMinimumLevelAndFromTheAgentItself()
    {
        final RecordRing ring = new RecordRing(1 << 20);
        final LogSink sink = new LogSink(ring, LogBridge.WARN, 1000);
        assertThat(sink.wants(LogBridge.INFO)).isFalse();
        assertThat(sink.wants(LogBridge.ERROR)).isTrue();
        sink.record(1, LogBridge.INFO, "app", "t", "p", "m", null, null, null, null);
        sink.record(1, LogBridge.ERROR, "io.sextant.agent.shaded.io.netty.Foo", "t", "p", "m", null, null, null, null);
        sink.agentThread(Thread.currentThread());
        assertThat(sink.wants(LogBridge.ERROR)).isFalse();
        sink.record(1, LogBridge.ERROR, "app", "t", "p", "m", null, null, null, null);
        assertThat(drain(ring)).isZero();
    }

    @Test
    void fingerprintsStacksByClassAndMethodNotByMessage()
    {
        final long a = LogSink.fingerprint(failure("one"));
        final long b = LogSink.fingerprint(failure("two"));
        final long c = LogSink.fingerprint(new IllegalArgumentException("one"));
        assertThat(a).isEqualTo(b).isNotZero();
        assertThat(a).isNotEqualTo(c);
    }

    private static IllegalStateException failure(final String message)
    {
        return new IllegalStateException(message);
    }

    @Test
    void parsesTraceAndSpanIdsFromHex()
    {
        assertThat(LogSink.hex("4bf92f3577b34da6a3ce929d0e0e4736", 0, 16)).isEqualTo(0x4bf92f3577b34da6L);
        assertThat(LogSink.hex("4bf92f3577b34da6a3ce929d0e0e4736", 16, 32)).isEqualTo(0xa3ce929d0e0e4736L);
        assertThat(LogSink.hex("not-hex-not-hex-", 0, 16)).isZero();
        assertThat(LogSink.hex(null, 0, 16)).isZero();
    }
}
