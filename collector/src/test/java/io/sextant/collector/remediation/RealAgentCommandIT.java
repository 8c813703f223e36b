package io.sextant.collector.remediation;

import com.fasterxml.jackson.databind.JsonNode;
import io.sextant.collector.Collector;
import io.sextant.collector.audit.AuditJournal;
import io.sextant.collector.config.CollectorConfig;
import io.sextant.collector.support.Http;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * System test: an application JVM with the real agent ({@code agent/target/sextant-agent.jar}, built
 * by the reactor before the collector) logs a fault; the collector's rule sends THREAD_DUMP to that
 * agent, whose command runner answers with the JVM's real thread dump.
 */
class RealAgentCommandIT
{
    @TempDir
    Path dir;

    private Collector collector;
    private Process app;

    @AfterEach
    void stop() throws Exception
    {
        if (app != null)
        {
            app.destroyForcibly();
            app.waitFor(10, TimeUnit.SECONDS);
        }
        if (collector != null)
        {
            collector.close();
        }
    }

    @Test
    void threadDumpIsCarriedOutByTheRealAgent() throws Exception
    {
        final Path jar = Path.of(System.getProperty("sextant.it.agent-jar", "../agent/target/sextant-agent.jar"))
            .toAbsolutePath().normalize();
        assumeTrue(Files.exists(jar), "agent jar " + jar + " is not built (mvn package -pl agent)");
        final Path rules = dir.resolve("rules.json");
        Files.writeString(rules, """
            {"rules": [{"name": "dump-threads", "match": {"service": "faulty", "key": "fault.*"},
                        "action": {"type": "agent-command", "command": "thread-dump", "timeout": "30s"},
                        "dryRun": false}]}
            """);
        collector = new Collector(CollectorConfig.of(Map.of("data-dir", dir.resolve("data").toString(),
            "ingest-port", "0", "otlp-port", "0", "http-port", "0", "bind-address", "127.0.0.1", "ring-size", "16MiB",
            "remediation-rules", rules.toString())), m -> System.out.println("[collector] " + m))
            .addStage(new FaultDetector()).start();
        Http.await(collector.httpPort(), "/readyz", a -> a.status() == 200, Duration.ofSeconds(20));

        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx128m");
        for (final String flag : System.getProperty("sextant.jvm.flags", "").split("\\s+"))
        {
            if (!flag.isBlank())
            {
                command.add(flag);
            }
        }
        command.add("-javaagent:" + jar + "=endpoint=127.0.0.1:" + collector.ingestPort() + ",service=faulty");
        command.add("-cp");
        command.add(Path.of(FaultyApp.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
        command.add(FaultyApp.class.getName());
        command.add("stuck");
        app = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(dir.resolve("app.log").toFile()).start();

        final JsonNode done = Http.await(collector.httpPort(), "/api/v1/actions?incident=fault-stuck",
            a -> a.status() == 200 && a.json().at("/data").size() == 1 &&
                a.json().at("/data/0/state").asText().matches("SUCCEEDED|FAILED"), Duration.ofSeconds(90))
            .json().at("/data/0");
        assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
        assertThat(done.path("result").asText()).contains("answered OK").contains("\"main\"")
            .contains(FaultyApp.class.getName() + ".main");
        assertThat(Http.get(collector.httpPort(), "/api/v1/logs?logger=sextant.command-result&service=faulty").body())
            .contains(FaultyApp.class.getName());

        collector.close();
        collector = null;
        final var verified = AuditJournal.verify(dir.resolve("data").resolve("audit"));
        assertThat(verified.intact()).as(verified.message()).isTrue();
        assertThat(Harness.auditedStates(dir.resolve("data").resolve("audit")).get(done.path("id").asText()))
            .containsExactly("APPROVED", "RUNNING", "SUCCEEDED");
    }
}
