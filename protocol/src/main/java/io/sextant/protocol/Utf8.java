package io.sextant.protocol;

import org.agrona.MutableDirectBuffer;

/**
 * UTF-8 encoding of {@link CharSequence}s straight into a buffer, without the intermediate byte
 * array that {@link String#getBytes} allocates. Unpaired surrogates are written as '?', as the JDK
 * encoder does.
 */
final class Utf8
{
    private Utf8()
    {
    }

    static int encodedLength(final CharSequence value)
    {
        final int n = value.length();
        int bytes = n;
        for (int i = 0; i < n; i++)
        {
            final char c = value.charAt(i);
            if (c >= 0x80)
            {
                if (c < 0x800)
                {
                    bytes += 1;
                }
                else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(value.charAt(i + 1)))
                {
                    bytes += 2; // 4 bytes for 2 chars
                    i++;
                }
                else if (Character.isSurrogate(c))
                {
                    // unpaired surrogate: written as '?', one byte, already counted
                    continue;
                }
                else
                {
                    bytes += 2;
                }
            }
        }
        return bytes;
    }

    static int encode(final CharSequence value, final MutableDirectBuffer buffer, final int offset)
    {
        int position = offset;
        final int n = value.length();
        for (int i = 0; i < n; i++)
        {
            final char c = value.charAt(i);
            if (c < 0x80)
            {
                buffer.putByte(position++, (byte)c);
            }
            else if (c < 0x800)
            {
                buffer.putByte(position++, (byte)(0xC0 | (c >> 6)));
                buffer.putByte(position++, (byte)(0x80 | (c & 0x3F)));
            }
            else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(value.charAt(i + 1)))
            {
                final int cp = Character.toCodePoint(c, value.charAt(++i));
                buffer.putByte(position++, (byte)(0xF0 | (cp >> 18)));
                buffer.putByte(position++, (byte)(0x80 | ((cp >> 12) & 0x3F)));
                buffer.putByte(position++, (byte)(0x80 | ((cp >> 6) & 0x3F)));
                buffer.putByte(position++, (byte)(0x80 | (cp & 0x3F)));
            }
            else if (Character.isSurrogate(c))
            {
                buffer.putByte(position++, (byte)'?');
            }
            else
            {
                buffer.putByte(position++, (byte)(0xE0 | (c >> 12)));
                buffer.putByte(position++, (byte)(0x80 | ((c >> 6) & 0x3F)));
                buffer.putByte(position++, (byte)(0x80 | (c & 0x3F)));
            }
        }
        return position - offset;
    }
}
