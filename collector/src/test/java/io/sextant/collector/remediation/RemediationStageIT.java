package io.sextant.collector.remediation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.sextant.collector.remediation.Harness.anomaly;
import static io.sextant.collector.remediation.Harness.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The remediation stage on a real analysis thread, with webhooks sent to a real HTTP server on
 * loopback and every action audited in a real audit journal.
 */
class RemediationStageIT
{
    @TempDir
    Path dir;

    private WebhookTarget target;
    private Harness h;

    private Harness start(final String rules) throws Exception
    {
        h = new Harness(dir.resolve("audit"), rules, null, null);
        return h;
    }

    @AfterEach
    void stop() throws Exception
    {
        if (h != null)
        {
            h.close();
        }
        if (target != null)
        {
            target.close();
        }
    }

    private String webhookRule(final String name, final String keyGlob, final String path, final String extra)
    {
        return "{\"name\": \"" + name + "\", \"match\": {\"key\": \"" + keyGlob + "\"}, \"action\": {\"type\": " +
            "\"webhook\", \"url\": \"" + target.url(path) + "\"}" + (extra.isEmpty() ? "" : ", " + extra) + "}";
    }

    @Test
    void ruleInDryRunRecordsButNeverCallsTheWebhook() throws Exception
    {
        target = new WebhookTarget();
        start("{\"rules\": [" +
            webhookRule("dry", "dry.*", "/ok-dry", "") + ", " +
            webhookRule("sentinel", "sentinel", "/ok-sentinel", "\"dryRun\": false") + "]}");
        h.live();

        h.feed(anomaly("dry-1", "checkout", "dry.latency", Map.of()));
        h.feed(anomaly("sentinel-1", "checkout", "sentinel", Map.of()));

        // The sentinel was matched after the dry-run action and went through the same queue and workers.
        final Action sentinel = h.awaitState("sentinel-1", ActionState.SUCCEEDED);
        await("sentinel webhook received", () -> target.received("/ok-sentinel").size() == 1);
        final Action dry = h.only("dry-1");
        assertThat(dry.state()).isEqualTo(ActionState.DRY_RUN);
        assertThat(dry.dryRun()).isTrue();
        assertThat(dry.detail()).containsEntry("url", target.url("/ok-dry"));
        assertThat(dry.result()).isNull();
        assertThat(target.received("/ok-dry")).as("a dry-run rule never calls its webhook").isEmpty();
        assertThat(sentinel.result()).startsWith("HTTP 200");
        h.assertEveryActionAudited();
    }

    @Test
    void webhookReceivesTheActionAndItsSubjectAsJson() throws Exception
    {
        target = new WebhookTarget();
        start("{\"rules\": [" + webhookRule("page", "jvm.*", "/ok", "\"dryRun\": false") + "]}");
        h.live();

        h.feed(anomaly("gc-1", "checkout", "jvm.gc.pause", Map.of("instance", "agent-7")));

        final Action done = h.awaitState("gc-1", ActionState.SUCCEEDED);
        final JsonNode payload = new ObjectMapper().readTree(target.received("/ok").get(0));
        assertThat(payload.path("type").asText()).isEqualTo("remediation.action");
        assertThat(payload.at("/action/id").asText()).isEqualTo(done.id());
        assertThat(payload.at("/action/rule").asText()).isEqualTo("page");
        assertThat(payload.at("/action/incident").asText()).isEqualTo("gc-1");
        assertThat(payload.at("/action/state").asText()).isEqualTo("RUNNING");
        assertThat(payload.at("/action/subject/subject").asText()).isEqualTo("jvm.gc.pause");
        assertThat(payload.at("/action/subject/labels/instance").asText()).isEqualTo("agent-7");
        h.assertEveryActionAudited();
    }

    @Test
    void nothingIsMatchedWhileTheJournalReplays() throws Exception
    {
        target = new WebhookTarget();
        start("{\"rules\": [" + webhookRule("page", "*", "/ok", "\"dryRun\": false") + "]}");

        h.feed(anomaly("old-1", "checkout", "jvm.gc.pause", Map.of()));
        h.feed(anomaly("old-2", "checkout", "jvm.heap", Map.of()));
        await("replayed signals processed", () -> h.loop.processed() >= 2);
        h.live();
        h.feed(anomaly("new-1", "checkout", "jvm.threads", Map.of()));

        h.awaitState("new-1", ActionState.SUCCEEDED);
        assertThat(h.stage.actions(a -> true, 100)).extracting(Action::subjectId).containsExactly("new-1");
        assertThat(target.received("/ok")).hasSize(1);
        h.assertEveryActionAudited();
    }

    @Test
    void rateLimitedRuleFiresAtMostItsLimitPerPeriod() throws Exception
    {
        target = new WebhookTarget();
        start("{\"rules\": [" + webhookRule("limited", "*", "/ok", "\"dryRun\": false, \"cooldown\": \"0s\", " +
            "\"rateLimit\": {\"count\": 2, \"period\": \"1h\"}") + "]}");
        h.live();

        for (int i = 1; i <= 5; i++)
        {
            h.feed(anomaly("s-" + i, "checkout", "series." + i, Map.of()));
        }
        await("five actions settled", () -> h.stage.actions(a -> a.state().terminal(), 100).size() == 5);

        assertThat(h.stage.actions(a -> a.state() == ActionState.SUCCEEDED, 100)).extracting(Action::subjectId)
            .containsExactlyInAnyOrder("s-1", "s-2");
        assertThat(h.stage.actions(a -> a.state() == ActionState.RATE_LIMITED, 100)).hasSize(3)
            .allSatisfy(a -> assertThat(a.reason()).contains("limit 2"));
        assertThat(target.received("/ok")).hasSize(2);

        // An hour later the window has room again.
        h.clock.addAndGet(3_600_001);
        h.feed(anomaly("s-6", "checkout", "series.6", Map.of()));
        h.awaitState("s-6", ActionState.SUCCEEDED);
        assertThat(target.received("/ok")).hasSize(3);
        h.assertEveryActionAudited();
    }

    @Test
    void cooldownSuppressesRepeatsForTheSameKeyOnly() throws Exception
    {
        target = new WebhookTarget();
        start("{\"rules\": [" + webhookRule("cool", "*", "/ok", "\"dryRun\": false, \"cooldown\": \"10m\"") + "]}");
        h.live();

        h.feed(anomaly("a-1", "checkout", "jvm.gc.pause", Map.of()));
        h.awaitState("a-1", ActionState.SUCCEEDED);
        h.feed(anomaly("a-2", "checkout", "jvm.gc.pause", Map.of()));
        h.feed(anomaly("b-1", "checkout", "jvm.heap.used", Map.of()));
        h.feed(anomaly("a-1", "checkout", "jvm.gc.pause", Map.of())); // the same anomaly, published again

        final Action repeat = h.awaitState("a-2", ActionState.COOLDOWN);
        assertThat(repeat.reason()).contains("cooldown 600 s");
        h.awaitState("b-1", ActionState.SUCCEEDED);
        assertThat(h.actionsFor("a-1")).as("a signal published again does not fire again").hasSize(1);

        h.clock.addAndGet(10 * 60_000 + 1);
        h.feed(anomaly("a-3", "checkout", "jvm.gc.pause", Map.of()));
        h.awaitState("a-3", ActionState.SUCCEEDED);
        assertThat(target.received("/ok")).hasSize(3);
        h.assertEveryActionAudited();
    }

    @Test
    void failingOrHangingWebhooksEndFailedWithoutStallingTheAnalysis() throws Exception
    {
        target = new WebhookTarget();
        start("{\"rules\": [" +
            webhookRule("fails", "fail.*", "/fail", "\"dryRun\": false") + ", " +
            "{\"name\": \"hangs\", \"match\": {\"key\": \"hang.*\"}, \"action\": {\"type\": \"webhook\", \"url\": \"" +
            target.url("/hang") + "\", \"timeout\": \"8s\"}, \"dryRun\": false}, " +
            webhookRule("works", "ok.*", "/ok", "\"dryRun\": false, \"cooldown\": \"0s\", " +
                "\"rateLimit\": {\"count\": 100, \"period\": \"1h\"}") + "]}");
        h.live();

        h.feed(anomaly("fail-1", "checkout", "fail.x", Map.of()));
        h.feed(anomaly("hang-1", "checkout", "hang.x", Map.of()));
        await("the hanging webhook holds its request", () -> target.hanging() == 1);
        final long processedBefore = h.loop.processed();

        for (int i = 1; i <= 20; i++)
        {
            h.feed(anomaly("ok-" + i, "checkout", "ok." + i, Map.of()));
        }
        await("the other webhooks were all called", () -> target.received("/ok").size() == 20);
        await("their actions succeeded", () ->
            h.stage.actions(a -> a.rule().equals("works") && a.state() == ActionState.SUCCEEDED, 100).size() == 20);
        assertThat(h.only("hang-1").state()).as("all of that happened while the hanging webhook was running")
            .isEqualTo(ActionState.RUNNING);
        assertThat(h.loop.processed()).isGreaterThanOrEqualTo(processedBefore + 20);

        final Action failed = h.awaitState("fail-1", ActionState.FAILED);
        assertThat(failed.result()).contains("answered HTTP 500");
        final Action hung = h.awaitState("hang-1", ActionState.FAILED);
        assertThat(hung.result()).contains("did not answer within 8000 ms");
        h.assertEveryActionAudited();
    }

    @Test
    void pendingActionIsRejectedWhenNotApprovedInTime() throws Exception
    {
        target = new WebhookTarget();
        start("{\"rules\": [" + webhookRule("asks", "*", "/ok", "\"dryRun\": false, \"approval\": \"required\", " +
            "\"approvalTimeout\": \"1m\"") + "]}");
        h.live();

        h.feed(anomaly("p-1", "checkout", "jvm.gc.pause", Map.of()));
        h.awaitState("p-1", ActionState.PENDING_APPROVAL);
        h.clock.addAndGet(61_000);

        final Action rejected = h.awaitState("p-1", ActionState.REJECTED);
        assertThat(rejected.actor()).isEqualTo(Action.SYSTEM);
        assertThat(rejected.reason()).contains("not approved within 60 s");
        assertThat(target.received("/ok")).isEmpty();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> h.stage.approve(rejected.id(), "late", ""))
            .isInstanceOf(RemediationStage.NotPendingException.class).hasMessageContaining("is REJECTED");
        h.assertEveryActionAudited();
    }

    @Test
    void modelRollbackGoesThroughTheGivenRegistryAfterApproval() throws Exception
    {
        final List<String> calls = new java.util.concurrent.CopyOnWriteArrayList<>();
        h = new Harness(dir.resolve("audit"), """
            {"rules": [{"name": "rollback", "match": {"labels": {"model": "fraud"}},
              "action": {"type": "model-rollback"}, "dryRun": false, "approval": "required"}]}
            """, null, (model, alias, version, actor, reason) ->
            {
                calls.add(model + "/" + alias + "/" + version + " by " + actor);
                return "alias " + alias + " of model " + model + " rolled back from 2 to 1";
            });
        h.live();

        h.feed(anomaly("drift-1", "scoring", "fraud/2/amount", Map.of("model", "fraud")));
        final Action pending = h.awaitState("drift-1", ActionState.PENDING_APPROVAL);
        assertThat(pending.detail()).containsEntry("model", "fraud").containsEntry("alias", "production");
        assertThat(calls).isEmpty();

        h.stage.approve(pending.id(), "alice", "drift confirmed");
        final Action done = h.awaitState("drift-1", ActionState.SUCCEEDED);
        assertThat(done.result()).isEqualTo("alias production of model fraud rolled back from 2 to 1");
        assertThat(calls).containsExactly("fraud/production/ by remediation:rollback");
        h.assertEveryActionAudited();
    }
}
