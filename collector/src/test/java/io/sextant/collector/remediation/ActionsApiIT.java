package io.sextant.collector.remediation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sextant.collector.Collector;
import io.sextant.collector.analysis.AnalysisContext;
import io.sextant.collector.analysis.AnalysisStage;
import io.sextant.collector.analysis.Signal;
import io.sextant.collector.analysis.anomaly.Severity;
import io.sextant.collector.audit.AuditJournal;
import io.sextant.collector.cli.Main;
import io.sextant.collector.config.CollectorConfig;
import io.sextant.collector.config.ConfigException;
import io.sextant.collector.store.LogEntry;
import io.sextant.collector.support.Http;
import io.sextant.collector.support.TestAgent;
import io.sextant.protocol.Command;
import io.sextant.protocol.CommandKind;
import io.sextant.protocol.CommandResult;
import io.sextant.protocol.CommandStatus;
import io.sextant.protocol.FrameWriter;
import io.sextant.protocol.LogLevel;
import io.sextant.protocol.MessageType;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A real collector with a real rules file: agent frames go through ingest, the journal, the store
 * and the analysis thread, where a test stage turns log records starting with {@code FAULT} into
 * anomalies (standing in for a detector); remediation acts on them; approvals go through the HTTP API
 * and the CLI; an agent command reaches a real agent session over the protocol.
 */
@org.junit.jupiter.api.extension.ExtendWith(io.sextant.collector.support.NoLeaks.class)
class ActionsApiIT
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path dir;

    private Collector collector;
    private WebhookTarget target;
    private TestAgent agent;

    /** Turns "FAULT name" log records into a critical anomaly with key fault.name on the logging agent. */
    private static final class FaultDetector implements AnalysisStage
    {
        private AnalysisContext context;

        @Override
        public void start(final AnalysisContext context)
        {
            this.context = context;
        }

        @Override
        public void onLog(final LogEntry e)
        {
            if (e.message().startsWith("FAULT "))
            {
                final String name = e.message().substring("FAULT ".length());
                final long t = e.timeNanos() / 1_000_000;
                context.publish(new Signal("fault-" + name, Signal.Kind.LOG_ANOMALY, "test", e.service(),
                    "fault." + name, Map.of("instance", e.agent(), "service", e.service()), t, t, 0.9,
                    Severity.CRITICAL, Double.NaN, Double.NaN, Double.NaN, true, "fault " + name));
            }
        }
    }

    private Path rules() throws Exception
    {
        final Path file = dir.resolve("rules.json");
        Files.writeString(file, """
            {"rules": [
              {"name": "page-after-approval", "match": {"key": "fault.approve*", "severity": "CRITICAL"},
               "action": {"type": "webhook", "url": "%s"}, "dryRun": false, "approval": "required"},
              {"name": "dump-threads", "match": {"kind": "anomaly", "signalKinds": "LOG_ANOMALY", "key": "fault.dump*"},
               "action": {"type": "agent-command", "command": "thread-dump", "timeout": "20s"}, "dryRun": false},
              {"name": "page-dry", "match": {"key": "fault.dry*"}, "action": {"type": "webhook", "url": "%s"}}
            ]}
            """.formatted(target.url("/ok-approved"), target.url("/ok-dry")));
        return file;
    }

    private Map<String, String> settings(final Path rules)
    {
        final Map<String, String> s = new HashMap<>(Map.of(
            "data-dir", dir.resolve("data").toString(), "ingest-port", "0", "otlp-port", "0", "http-port", "0",
            "bind-address", "127.0.0.1", "ring-size", "16MiB"));
        s.put("remediation-rules", rules.toString());
        return s;
    }

    private void start() throws Exception
    {
        target = new WebhookTarget();
        collector = new Collector(CollectorConfig.of(settings(rules())), m -> System.out.println("[collector] " + m))
            .addStage(new FaultDetector()).start();
        Http.await(collector.httpPort(), "/readyz", a -> a.status() == 200, Duration.ofSeconds(20));
        agent = new TestAgent(collector.ingestPort(), UUID.randomUUID(), 1);
        agent.handshake("checkout", "");
    }

    @AfterEach
    void stop() throws Exception
    {
        if (agent != null)
        {
            agent.close();
        }
        if (collector != null)
        {
            collector.close();
        }
        if (target != null)
        {
            target.close();
        }
    }

    private JsonNode awaitAction(final String subject, final String state)
    {
        return Http.await(collector.httpPort(), "/api/v1/actions?incident=" + Http.enc(subject),
            a -> a.status() == 200 && a.json().at("/data").size() == 1 &&
                a.json().at("/data/0/state").asText().equals(state), Duration.ofSeconds(30)).json().at("/data/0");
    }

    private Http.Answer post(final String path, final String body) throws Exception
    {
        final HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" +
            collector.httpPort() + path)).timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        return new Http.Answer(r.statusCode(), JSON.readTree(r.body()), r.body());
    }

    private static String[] cli(final String... args)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
        return new String[] {Integer.toString(code), out.toString(StandardCharsets.UTF_8),
            err.toString(StandardCharsets.UTF_8)};
    }

    @Test
    void approvalRequiredActionWaitsUntilApprovedThroughTheApi() throws Exception
    {
        start();
        agent.log(1, System.currentTimeMillis() * 1_000_000L, LogLevel.ERROR, "app", "FAULT approve-1");
        agent.log(2, System.currentTimeMillis() * 1_000_000L, LogLevel.ERROR, "app", "FAULT dry-1");

        final JsonNode pending = awaitAction("fault-approve-1", "PENDING_APPROVAL");
        final JsonNode dry = awaitAction("fault-dry-1", "DRY_RUN");
        assertThat(pending.path("rule").asText()).isEqualTo("page-after-approval");
        assertThat(pending.path("kind").asText()).isEqualTo("webhook");
        assertThat(dry.path("dryRun").asBoolean()).isTrue();
        final String id = pending.path("id").asText();
        final JsonNode listed = Http.get(collector.httpPort(), "/api/v1/actions?state=PENDING_APPROVAL").json()
            .at("/data");
        assertThat(listed.size()).isEqualTo(1);
        assertThat(listed.at("/0/id").asText()).isEqualTo(id);
        assertThat(target.received("/ok-approved")).as("nothing is sent before approval").isEmpty();

        // Wrong requests are refused and change nothing.
        assertThat(Http.get(collector.httpPort(), "/api/v1/actions/" + id + "/approve").status()).isEqualTo(405);
        assertThat(post("/api/v1/actions/" + id + "/approve", "{\"actor\": 7}").status()).isEqualTo(400);
        assertThat(post("/api/v1/actions/nope/approve", "{}").status()).isEqualTo(404);
        assertThat(Http.get(collector.httpPort(), "/api/v1/actions?state=WAITING").status()).isEqualTo(400);
        assertThat(post("/api/v1/actions/" + dry.path("id").asText() + "/approve", "{\"actor\": \"alice\"}").status())
            .as("a dry-run action cannot be approved").isEqualTo(409);
        assertThat(target.received("/ok-approved")).isEmpty();

        final Http.Answer approved = post("/api/v1/actions/" + id + "/approve",
            "{\"actor\": \"alice\", \"reason\": \"checked the dashboard\"}");
        assertThat(approved.status()).isEqualTo(200);
        assertThat(approved.json().at("/data/id").asText()).isEqualTo(id);
        assertThat(approved.json().at("/data/state").asText()).isIn("APPROVED", "RUNNING", "SUCCEEDED");

        final JsonNode done = awaitAction("fault-approve-1", "SUCCEEDED");
        assertThat(done.path("result").asText()).startsWith("HTTP 200");
        final JsonNode payload = JSON.readTree(target.received("/ok-approved").get(0));
        assertThat(payload.at("/action/id").asText()).isEqualTo(id);
        assertThat(payload.at("/action/actor").asText()).isEqualTo("alice");
        assertThat(payload.at("/action/reason").asText()).isEqualTo("checked the dashboard");
        assertThat(payload.at("/action/subject/service").asText()).isEqualTo("checkout");
        assertThat(target.received("/ok-approved")).hasSize(1);
        assertThat(target.received("/ok-dry")).isEmpty();

        final Http.Answer again = post("/api/v1/actions/" + id + "/reject", "{\"actor\": \"bob\"}");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().path("errorType").asText()).isEqualTo("conflict");
        assertThat(again.json().path("error").asText()).contains("SUCCEEDED, not PENDING_APPROVAL");

        collector.close();
        collector = null;
        assertAudited(Map.of(id, List.of("PENDING_APPROVAL", "APPROVED", "RUNNING", "SUCCEEDED"),
            dry.path("id").asText(), List.of("DRY_RUN")));
    }

    @Test
    void cliListsApprovesAndRejects() throws Exception
    {
        start();
        agent.log(1, System.currentTimeMillis() * 1_000_000L, LogLevel.ERROR, "app", "FAULT approve-a");
        agent.log(2, System.currentTimeMillis() * 1_000_000L, LogLevel.ERROR, "app", "FAULT approve-b");
        final String a = awaitAction("fault-approve-a", "PENDING_APPROVAL").path("id").asText();
        final String b = awaitAction("fault-approve-b", "PENDING_APPROVAL").path("id").asText();
        final String url = "http://127.0.0.1:" + collector.httpPort();

        assertThat(cli("actions", "--help")[1]).contains("sextant actions approve ID");
        assertThat(cli("actions", "approve", "--help")[1]).contains("--actor NAME");
        assertThat(cli("actions", "reject", "--help")[1]).contains("Rejects");
        final String[] list = cli("actions", "--state", "PENDING_APPROVAL", "--url", url);
        assertThat(list[0]).isEqualTo("0");
        assertThat(list[1]).contains("ID").contains(a).contains(b).contains("page-after-approval");

        final String[] rejected = cli("actions", "reject", b, "--actor", "bob", "--reason", "false alarm", "--url", url);
        assertThat(rejected[0]).as(rejected[2]).isEqualTo("0");
        assertThat(rejected[1]).contains("action " + b + " is REJECTED (bob: false alarm)");
        final String[] approved = cli("actions", "approve", a, "--actor", "carol", "--url", url);
        assertThat(approved[0]).as(approved[2]).isEqualTo("0");
        awaitAction("fault-approve-a", "SUCCEEDED");

        final String[] late = cli("actions", "approve", b, "--url", url);
        assertThat(late[0]).isEqualTo("1");
        assertThat(late[2]).contains("is REJECTED, not PENDING_APPROVAL");
        assertThat(cli("actions", "approve", "--url", url)[0]).as("an id is required").isEqualTo("2");
        final String[] json = cli("actions", "--state", "REJECTED", "--json", "--url", url);
        assertThat(JSON.readTree(json[1]).at("/data/0/id").asText()).isEqualTo(b);
        assertThat(target.received("/ok-approved")).hasSize(1);

        collector.close();
        collector = null;
        assertAudited(Map.of(a, List.of("PENDING_APPROVAL", "APPROVED", "RUNNING", "SUCCEEDED"),
            b, List.of("PENDING_APPROVAL", "REJECTED")));
    }

    @Test
    void agentCommandReachesTheAgentSessionAndItsResultIsRecorded() throws Exception
    {
        start();
        agent.log(1, System.currentTimeMillis() * 1_000_000L, LogLevel.ERROR, "app", "FAULT dump-1");

        Command command = null;
        final long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (command == null && System.nanoTime() - deadline < 0)
        {
            final TestAgent.Received r = agent.read();
            if (r.type() == MessageType.COMMAND)
            {
                command = Command.decode(r.payload());
            }
        }
        assertThat(command).as("a COMMAND frame reached the agent").isNotNull();
        assertThat(command.kind()).isEqualTo(CommandKind.THREAD_DUMP);
        assertThat(awaitAction("fault-dump-1", "RUNNING").path("detail").path("agent").asText())
            .isEqualTo(agent.agentId.toString());

        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64 * 1024]);
        final FrameWriter writer = new FrameWriter();
        new CommandResult(command.commandId(), CommandStatus.OK, false, "\"main\" #1 state=RUNNABLE\n\tat App.main")
            .encode(writer.begin(buffer, 0, buffer.capacity(), MessageType.COMMAND_RESULT, 2));
        final int length = writer.finish();
        final byte[] frame = new byte[length];
        buffer.getBytes(0, frame);
        agent.sendRaw(frame);
        agent.awaitAck(2);

        final JsonNode done = awaitAction("fault-dump-1", "SUCCEEDED");
        assertThat(done.path("result").asText()).contains("answered OK").contains("\"main\" #1 state=RUNNABLE");
        assertThat(Http.await(collector.httpPort(), "/api/v1/logs?logger=sextant.command-result",
            a -> a.status() == 200 && a.json().at("/data").size() == 1, Duration.ofSeconds(10)).body())
            .as("the result is journaled and stored like other agent data").contains("state=RUNNABLE");

        collector.close();
        collector = null;
        assertAudited(Map.of(done.path("id").asText(), List.of("APPROVED", "RUNNING", "SUCCEEDED")));
    }

    @Test
    void agentCommandFailsWhenTheAgentIsGone() throws Exception
    {
        start();
        agent.log(1, System.currentTimeMillis() * 1_000_000L, LogLevel.ERROR, "app", "FAULT dump-2");
        agent.awaitAck(1);
        agent.close();
        agent = null;
        // The session is gone before or while the command is sent: either way the action ends FAILED, never hangs.
        final JsonNode failed = awaitAction("fault-dump-2", "FAILED");
        assertThat(failed.path("result").asText()).containsAnyOf("no connected agent", "closed", "not connected",
            "did not answer");
    }

    @Test
    void badRulesFileStopsStartUpNamingTheRuleAndKey() throws Exception
    {
        final Path bad = dir.resolve("bad.json");
        Files.writeString(bad, """
            {"rules": [{"name": "gc-dump", "match": {"key": "jvm.gc*"}, "cooldwn": "5m",
                        "action": {"type": "agent-command", "command": "thread-dump"}}]}
            """);
        assertThatThrownBy(() -> new Collector(CollectorConfig.of(settings(bad)), m -> { }).start())
            .isInstanceOf(ConfigException.class)
            .hasMessageContaining("bad.json").hasMessageContaining("rule 'gc-dump'")
            .hasMessageContaining("unknown key 'cooldwn'").hasMessageContaining("did you mean 'cooldown'");

        final String[] serve = cli("serve", "--data-dir", dir.resolve("serve").toString(), "--ingest-port", "0",
            "--otlp-port", "0", "--http-port", "0", "--set", "remediation-rules=" + bad);
        assertThat(serve[0]).as("refuses to start like any configuration error").isEqualTo("2");
        assertThat(serve[2]).contains("error: remediation rules file").contains("rule 'gc-dump'")
            .contains("unknown key 'cooldwn'");
    }

    private void assertAudited(final Map<String, List<String>> expected) throws Exception
    {
        final Path audit = dir.resolve("data").resolve("audit");
        final Map<String, List<String>> states = Harness.auditedStates(audit);
        for (final Map.Entry<String, List<String>> e : expected.entrySet())
        {
            assertThat(states.get(e.getKey())).as("audit records of " + e.getKey()).isEqualTo(e.getValue());
        }
        final var verified = AuditJournal.verify(audit);
        assertThat(verified.intact()).as(verified.message()).isTrue();
        assertThat(verified.records()).isEqualTo(states.values().stream().mapToLong(List::size).sum());
    }
}
