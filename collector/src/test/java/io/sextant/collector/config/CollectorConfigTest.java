package io.sextant.collector.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CollectorConfigTest
{
    @Test
    void usesDeclaredDefaults()
    {
        final CollectorConfig config = CollectorConfig.of(Map.of());
        assertThat(config.path(Settings.DATA_DIR)).isEqualTo(Path.of("./data"));
        assertThat(config.port(Settings.INGEST_PORT)).isEqualTo(4710);
        assertThat(config.port(Settings.OTLP_PORT)).isEqualTo(4318);
        assertThat(config.port(Settings.HTTP_PORT)).isEqualTo(4720);
        assertThat(config.size(Settings.MAX_FRAME_LENGTH)).isEqualTo(1 << 20);
        assertThat(config.duration(Settings.RETENTION_AGE).toDays()).isEqualTo(7);
        assertThat(config.list(Settings.TOKENS)).isEmpty();
    }

    @Test
    void propertiesWinOverEnvironmentAndOverridesWinOverBoth()
    {
        final Properties props = new Properties();
        props.setProperty("sextant.collector.ingest-port", "5000");
        final Map<String, String> env = Map.of("SEXTANT_COLLECTOR_INGEST_PORT", "6000",
            "SEXTANT_COLLECTOR_TOKENS", "a, b", "SEXTANT_COLLECTOR", "ignored-agent-setting");
        assertThat(CollectorConfig.load(Map.of(), props, env).port(Settings.INGEST_PORT)).isEqualTo(5000);
        assertThat(CollectorConfig.load(Map.of(), new Properties(), env).port(Settings.INGEST_PORT)).isEqualTo(6000);
        assertThat(CollectorConfig.load(Map.of(), new Properties(), env).list(Settings.TOKENS)).containsExactly("a", "b");
        assertThat(CollectorConfig.load(Map.of("ingest-port", "7000"), props, env).port(Settings.INGEST_PORT))
            .isEqualTo(7000);
    }

    @Test
    void unknownKeyFailsNamingTheClosestValidKey()
    {
        final Properties props = new Properties();
        props.setProperty("sextant.collector.data-dri", "/tmp/x");
        assertThatThrownBy(() -> CollectorConfig.load(Map.of(), props, Map.of()))
            .isInstanceOf(ConfigException.class)
            .hasMessageContaining("sextant.collector.data-dri")
            .hasMessageContaining("did you mean 'sextant.collector.data-dir'");
        assertThatThrownBy(() -> CollectorConfig.load(Map.of(), new Properties(), Map.of("SEXTANT_COLLECTOR_HTTP_PROT", "1")))
            .isInstanceOf(ConfigException.class)
            .hasMessageContaining("SEXTANT_COLLECTOR_HTTP_PORT");
    }

    @Test
    void durationsAndSizesRequireUnits()
    {
        assertThatThrownBy(() -> CollectorConfig.of(Map.of("retention-age", "7")))
            .isInstanceOf(ConfigException.class).hasMessageContaining("sextant.collector.retention-age")
            .hasMessageContaining("no unit");
        assertThatThrownBy(() -> CollectorConfig.of(Map.of("ring-size", "1000")))
            .isInstanceOf(ConfigException.class).hasMessageContaining("no unit");
        assertThatThrownBy(() -> CollectorConfig.of(Map.of("retention-size", "5 parsecs")))
            .isInstanceOf(ConfigException.class).hasMessageContaining("unknown unit");
        assertThat(CollectorConfig.of(Map.of("retention-size", "5GiB")).size(Settings.RETENTION_SIZE))
            .isEqualTo(5L << 30);
        assertThat(CollectorConfig.of(Map.of("heartbeat-interval", "250ms")).duration(Settings.HEARTBEAT_INTERVAL)
            .toMillis()).isEqualTo(250);
    }

    @Test
    void refusesBadPortsChoicesAndCounts()
    {
        assertThatThrownBy(() -> CollectorConfig.of(Map.of("http-port", "70000"))).hasMessageContaining("0..65535");
        assertThatThrownBy(() -> CollectorConfig.of(Map.of("roll-cycle", "HOURLYISH"))).hasMessageContaining("FAST_HOURLY");
        assertThatThrownBy(() -> CollectorConfig.of(Map.of("series-limit", "-3"))).hasMessageContaining("positive");
        assertThatThrownBy(() -> CollectorConfig.of(Map.of("max-frame-length", "64MiB"))).hasMessageContaining("16MiB");
    }

    @Test
    void ringMustHoldTheLargestFrame()
    {
        assertThatThrownBy(() -> CollectorConfig.of(Map.of("ring-size", "4MiB", "max-frame-length", "1MiB")))
            .isInstanceOf(ConfigException.class).hasMessageContaining("sextant.collector.ring-size");
        assertThat(CollectorConfig.of(Map.of("ring-size", "16MiB", "max-frame-length", "1MiB"))
            .size(Settings.RING_SIZE)).isEqualTo(16L << 20);
    }

    @Test
    void readmeTableListsEveryKey() throws Exception
    {
        final Path readme = Path.of("README-config.md");
        final String text = Files.readString(readme);
        assertThat(text).as("collector/README-config.md must contain Settings.markdownTable(); regenerate it")
            .contains(Settings.markdownTable());
        for (final Setting s : Settings.ALL)
        {
            assertThat(text).contains(s.property()).contains(s.env());
        }
    }
}
