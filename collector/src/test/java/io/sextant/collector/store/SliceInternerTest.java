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

    @Test
    void textsThatDifferOnlyInTheirLastBytesOrInTrailingZerosStayApart()
    {
        // one slot: every call compares against the previous text, at odd offsets and around word boundaries
        final SliceInterner interner = new SliceInterner(1);
        final String[] texts = {"abcdefgh", "abcdefgi", "abcdefghX", "abcdefghY", "abc", "abc\0", "abc\0\0",
            "0123456789abcdef", "0123456789abcdeF", "é", "e", "x".repeat(SliceInterner.MAX_INTERNED_BYTES)};
        at = 3;
        for (int round = 0; round < 2; round++)
        {
            for (final String t : texts)
            {
                assertThat(interner.intern(slice(t))).isEqualTo(t);
                final String again = interner.intern(slice(t));
                assertThat(again).isEqualTo(t);
                at++;
            }
        }
    }
}
