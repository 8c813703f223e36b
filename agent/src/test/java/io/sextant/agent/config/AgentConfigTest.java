package io.sextant.agent.config;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AgentConfigTest
{
    private static AgentConfig load(final String args) throws ConfigException
    {
        return AgentConfig.load(args, new Properties(), Map.of());
    }

    @Test
    void usesDocumentedDefaults() throws ConfigException
    {
        final AgentConfig config = load(null);
        assertThat(config.enabled()).isTrue();
        assertThat(config.endpointHost()).isEqualTo("127.0.0.1");
        assertThat(config.endpointPort()).isEqualTo(4710);
        assertThat(config.metricsIntervalNanos()).isEqualTo(1_000_000_000L);
        assertThat(config.memoryLimitBytes()).isEqualTo(16L << 20);
        assertThat(config.ringBufferBytes()).isEqualTo(1 << 20);
        assertThat(config.keptFrameBytes()).isEqualTo((16 << 20) - (1 << 20) - 4 * 64 * 1024);
        assertThat(config.logRatePerSecond()).isEqualTo(1000);
    }

    @Test
    void parsesDurationsAndSizesWithUnits() throws ConfigException
    {
        final AgentConfig config = load("metrics-interval=250ms,sextant.agent.buffer-size=3MiB,memory-limit=1GiB," +
            "reconnect-backoff-max=2m,connect-timeout=1500us,log-rate-limit=5/s,log-level=warn");
        assertThat(config.metricsIntervalNanos()).isEqualTo(250_000_000L);
        assertThat(config.ringBufferBytes()).isEqualTo(2 << 20);
        assertThat(config.memoryLimitBytes()).isEqualTo(1L << 30);
        assertThat(config.reconnectMaxNanos()).isEqualTo(120_000_000_000L);
        assertThat(config.connectTimeoutNanos()).isEqualTo(1_500_000L);
        assertThat(config.logRatePerSecond()).isEqualTo(5);
        assertThat(config.logLevel()).isEqualTo(4);
    }

    @Test
    void rejectsBareNumbersForDurationsAndSizes()
    {
        assertThatThrownBy(() -> load("metrics-interval=250"))
            .hasMessageContaining("sextant.agent.metrics-interval")
            .hasMessageContaining("'250'")
            .hasMessageContaining("expected a duration with a unit");
        assertThatThrownBy(() -> load("buffer-size=4096"))
            .hasMessageContaining("sextant.agent.buffer-size")
            .hasMessageContaining("expected a size with a unit");
        assertThatThrownBy(() -> load("buffer-size=4MB")).hasMessageContaining("KiB");
    }

    @Test
    void namesTheClosestKeyForAnUnknownOne()
    {
        assertThatThrownBy(() -> load("endpont=1.2.3.4:5"))
            .hasMessageContaining("unknown key 'endpont'")
            .hasMessageContaining("agent argument")
            .hasMessageContaining("did you mean 'endpoint'");
        final Properties properties = new Properties();
        properties.setProperty("sextant.agent.metric-interval", "1s");
        assertThatThrownBy(() -> AgentConfig.load(null, properties, Map.of()))
            .hasMessageContaining("system property")
            .hasMessageContaining("did you mean 'sextant.agent.metrics-interval'");
        assertThatThrownBy(() -> AgentConfig.load(null, new Properties(), Map.of("SEXTANT_AGENT_TOKN", "x")))
            .hasMessageContaining("environment variable")
            .hasMessageContaining("did you mean 'SEXTANT_AGENT_TOKEN'");
    }

    @Test
    void appliesPrecedenceArgumentsThenPropertiesThenEnvironment() throws ConfigException
    {
        final Properties properties = new Properties();
        properties.setProperty("sextant.agent.service", "from-property");
        properties.setProperty("sextant.agent.token", "property-token");
        properties.setProperty("sextant.collector.data-dir", "ignored: not an agent key");
        final AgentConfig config = AgentConfig.load("service=from-args", properties,
            Map.of("SEXTANT_AGENT_SERVICE", "from-env", "SEXTANT_AGENT_TOKEN", "env-token",
                "SEXTANT_AGENT_ENDPOINT", "collector:9000"));
        assertThat(config.service()).isEqualTo("from-args");
        assertThat(config.token()).isEqualTo("property-token");
        assertThat(config.endpointHost()).isEqualTo("collector");
        assertThat(config.endpointPort()).isEqualTo(9000);
        assertThat(config.describe()).contains("token=***");
    }

    @Test
    void rejectsBadValuesOfEveryOtherType()
    {
        assertThatThrownBy(() -> load("enabled=yes")).hasMessageContaining("true or false");
        assertThatThrownBy(() -> load("endpoint=localhost")).hasMessageContaining("host:port");
        assertThatThrownBy(() -> load("log-level=LOUD")).hasMessageContaining("TRACE, DEBUG");
        assertThatThrownBy(() -> load("log-rate-limit=1000")).hasMessageContaining("per second");
        assertThatThrownBy(() -> load("tls=on")).hasMessageContaining("not supported");
        assertThatThrownBy(() -> load("memory-limit=1MiB")).hasMessageContaining("too small");
        assertThatThrownBy(() -> load("id=not-a-uuid")).hasMessageContaining("UUID");
        assertThatThrownBy(() -> load("novalue")).hasMessageContaining("key=value");
    }

    @Test
    void readmeTableListsEveryKeyWithItsDefault() throws IOException
    {
        final List<String> rows = new ArrayList<>();
        for (final String line : Files.readAllLines(Path.of("README-config.md")))
        {
            if (line.startsWith("| `sextant.agent."))
            {
                rows.add(line);
            }
        }
        assertThat(rows).hasSize(AgentConfig.KEYS.size());
        for (int i = 0; i < rows.size(); i++)
        {
            final AgentConfig.Key key = AgentConfig.KEYS.get(i);
            final String[] cells = rows.get(i).split("\\|");
            assertThat(cells[1].trim()).isEqualTo("`" + key.name() + "`");
            assertThat(cells[2].trim()).isEqualTo("`" + key.envName() + "`");
            assertThat(cells[3].trim()).isEqualTo(key.defaultValue().isEmpty() ? "(none)" : "`" + key.defaultValue() + "`");
            assertThat(cells[4].trim()).isEqualTo(key.meaning());
        }
    }

    @Test
    void jfrIsAutoByDefaultAndTakesOnlyItsThreeModes() throws ConfigException
    {
        assertThat(load(null).jfr()).isEqualTo("auto");
        final AgentConfig on = load("jfr=on,jfr-interval=2s,jfr-lock-threshold=1ms");
        assertThat(on.jfr()).isEqualTo("on");
        assertThat(on.jfrIntervalNanos()).isEqualTo(2_000_000_000L);
        assertThat(on.jfrLockThresholdNanos()).isEqualTo(1_000_000L);
        assertThatThrownBy(() -> load("jfr=yes")).hasMessageContaining("sextant.agent.jfr")
            .hasMessageContaining("one of auto, on, off");
        assertThatThrownBy(() -> load("jfr-interval=50ms")).hasMessageContaining("at least 100ms");
    }

    @Test
    void computesEditDistance()
    {
        assertThat(AgentConfig.editDistance("kitten", "sitting")).isEqualTo(3);
        assertThat(AgentConfig.editDistance("", "abc")).isEqualTo(3);
    }
}
