package io.sextant.api;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

class SextantTest
{
    @Test
    void isANoOpWhenNoAgentIsAttached()
    {
        assertThat(Sextant.isAttached()).isFalse();
        assertThatCode(() ->
        {
            Sextant.counter("c", "1", "k", "v").increment();
            Sextant.gauge("g", "1").set(1.5);
            Sextant.histogram("h", "ns").record(-5);
            final Model model = Sextant.model("m", "1", new String[] {"a"}, null);
            model.recordClass(10, "yes", 0.5, "p1", new double[] {1}, null);
            model.recordNumber(10, 2.0, Double.NaN, null, null, null);
            model.recordError(10, null, null, null);
            Sextant.labelClass("m", "p1", "no");
            Sextant.labelNumber("m", "p1", 3.0);
            Sextant.registerModelVersion("m", "1", "ds", new byte[] {1}, Map.of("a", "b"), Map.of("auc", 0.9));
            Sextant.deployed("m", "1", "prod");
            Sextant.promoted("m", "2", "prod", "1");
            Sextant.rolledBack("m", "1", "prod", "2");
        }).doesNotThrowAnyException();
    }

    @Test
    void fallsBackToNoOpHandlesOfTheExpectedType()
    {
        final var type = java.lang.invoke.MethodType.methodType(void.class, int.class, long.class);
        assertThat(Binding.handle("counterAdd", type).type()).isEqualTo(type);
    }

    @Test
    void invokesHandlesWithExactlyTheTypesTheAgentPublishes() throws java.io.IOException
    {
        // A signature-polymorphic call takes its descriptor from the static argument types; an array
        // clone() or a null literal would silently make a parameter Object and the call would never bind.
        final java.util.regex.Pattern objectParameter = java.util.regex.Pattern.compile("\\([^)]*Ljava/lang/Object;[^)]*\\)");
        for (final Class<?> type : java.util.List.of(Sextant.class, Model.class, Counter.class, Gauge.class,
            Histogram.class))
        {
            try (java.io.InputStream in = type.getResourceAsStream(type.getSimpleName() + ".class"))
            {
                final String bytes = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
                assertThat(objectParameter.matcher(bytes).find()).as(type.getName()).isFalse();
            }
        }
    }
}
