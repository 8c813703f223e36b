package io.sextant.collector.store;

import io.sextant.protocol.BufferSlice;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class SliceInternerTest
{
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[4096]);
    private int at;

    private BufferSlice slice(final String text)
    {
        final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        buffer.putBytes(at, bytes);
        final BufferSlice slice = new BufferSlice().wrap(buffer, at, bytes.length);
        at += bytes.length;
        return slice;
    }

    @Test
    void repeatedTextComesBackAsTheSameInstanceAndDifferentTextAsItself()
    {
        final SliceInterner interner = new SliceInterner(64);
        final String first = interner.intern(slice("fraud-model"));
        assertThat(first).isEqualTo("fraud-model");
        assertThat(interner.intern(slice("fraud-model"))).isSameAs(first);
        assertThat(interner.intern(slice("fraud-modem"))).isEqualTo("fraud-modem");
        assertThat(interner.intern(slice("Zürich"))).isEqualTo("Zürich");
        assertThat(interner.intern(slice(""))).isEmpty();
    }

    @Test
    void collisionsReplaceEntriesAndLongTextIsDecodedEachTime()
    {
        // two entries: most of a thousand names share a slot, and every answer is still the right text
        final SliceInterner interner = new SliceInterner(2);
        for (int round = 0; round < 3; round++)
        {
            for (int i = 0; i < 1000; i++)
            {
                at = 0;
                assertThat(interner.intern(slice("feature-" + i))).isEqualTo("feature-" + i);
            }
        }
        final String id = "x".repeat(SliceInterner.MAX_INTERNED_BYTES + 1);
        at = 0;
        final String once = interner.intern(slice(id));
        at = 0;
        assertThat(interner.intern(slice(id))).isEqualTo(id).isNotSameAs(once);
    }
}
