package io.sextant.collector.api;

import java.util.List;
import java.util.Map;

/**
 * Renders self-metrics in the Prometheus text exposition format 0.0.4.
 */
final class PrometheusText
{
    private PrometheusText()
    {
    }

    static String render(final List<Telemetry.Metric> metrics)
    {
        final StringBuilder out = new StringBuilder(4096);
        String previous = null;
        for (final Telemetry.Metric m : metrics)
        {
            if (!m.name().equals(previous))
            {
                out.append("# HELP ").append(m.name()).append(' ').append(m.help().replace("\n", " ")).append('\n');
                out.append("# TYPE ").append(m.name()).append(' ').append(m.type()).append('\n');
                previous = m.name();
            }
            out.append(m.name());
            if (!m.labels().isEmpty())
            {
                out.append('{');
                boolean first = true;
                for (final Map.Entry<String, String> e : m.labels().entrySet())
                {
                    if (!first)
                    {
                        out.append(',');
                    }
                    first = false;
                    out.append(e.getKey()).append("=\"").append(e.getValue().replace("\\", "\\\\")
                        .replace("\"", "\\\"").replace("\n", "\\n")).append('"');
                }
                out.append('}');
            }
            out.append(' ');
            final double v = m.value();
            if (v == Math.rint(v) && Math.abs(v) < 1e15)
            {
                out.append((long)v);
            }
            else
            {
                out.append(v);
            }
            out.append('\n');
        }
        return out.toString();
    }
}
