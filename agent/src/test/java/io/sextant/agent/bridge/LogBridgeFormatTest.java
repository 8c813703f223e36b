package io.sextant.agent.bridge;

import org.junit.jupiter.api.Test;

import java.text.MessageFormat;
import java.util.Date;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JUL capture's own formatting gives exactly what {@code MessageFormat} gives, and leaves every
 * case it does not handle to it.
 */
class LogBridgeFormatTest
{
    @Test
    void simplePatternsFormatAsMessageFormatDoes()
    {
        final Object[] params = {"alice", null, 'x', true, "{1}"};
        for (final String pattern : new String[] {
            "request {0} scored {1}", "{0}", "{0}{1}{2}{3}{4}", "no placeholders at all {", "{9} beyond the parameters",
            "{00} leading zero", "{4} is not parsed again", "", "héllo {0} ünïcode {2}"})
        {
            final String simple = LogBridge.simpleFormat(pattern, params);
            if (simple != null)
            {
                assertThat(simple).as(pattern).isEqualTo(MessageFormat.format(pattern, params));
            }
        }
        assertThat(LogBridge.simpleFormat("request {0} scored {1}", params)).isEqualTo("request alice scored null");
    }

    @Test
    void leavesEveryOtherCaseToMessageFormat()
    {
        assertThat(LogBridge.simpleFormat("{0,number}", new Object[] {"a"})).isNull();
        assertThat(LogBridge.simpleFormat("{0}", new Object[] {1234})).isNull();
        assertThat(LogBridge.simpleFormat("{0}", new Object[] {new Date(0)})).isNull();
        assertThat(LogBridge.simpleFormat("{0}", new Object[] {new Object()})).isNull();
        assertThat(LogBridge.simpleFormat("it''s {0}", new Object[] {"a"})).isNull();
        assertThat(LogBridge.simpleFormat("{ 0 }", new Object[] {"a"})).isNull();
        assertThat(LogBridge.simpleFormat("unmatched } brace", new Object[] {"a"})).isNull();
        assertThat(LogBridge.simpleFormat("unterminated {0", new Object[] {"a"})).isNull();
        assertThat(LogBridge.simpleFormat("{name}", new Object[] {"a"})).isNull();
    }

    @Test
    void randomPatternsAgreeWithMessageFormatWheneverTheSimplePathTakesThem()
    {
        final SplittableRandom random = new SplittableRandom(11);
        final String alphabet = "ab {}0123,'x";
        int taken = 0;
        for (int round = 0; round < 20_000; round++)
        {
            final StringBuilder pattern = new StringBuilder();
            final int length = random.nextInt(12);
            for (int i = 0; i < length; i++)
            {
                pattern.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            final Object[] params = {"p0", random.nextBoolean() ? null : "p1", 'c'};
            final String simple = LogBridge.simpleFormat(pattern.toString(), params);
            if (simple == null)
            {
                continue;
            }
            taken++;
            String expected;
            try
            {
                expected = MessageFormat.format(pattern.toString(), params);
            }
            catch (final IllegalArgumentException ex)
            {
                expected = "<" + ex.getMessage() + ">";
            }
            assertThat(simple).as("pattern [%s]", pattern).isEqualTo(expected);
        }
        assertThat(taken).isGreaterThan(1_000);
    }
}
