package io.sextant.collector.remediation;

import io.sextant.collector.analysis.Signal;
import io.sextant.collector.analysis.anomaly.Severity;
import io.sextant.collector.config.ConfigException;
import io.sextant.protocol.CommandKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RuleFileTest
{
    @TempDir
    Path dir;

    static Signal signal(final String id, final String service, final String subject, final Severity severity,
        final Map<String, String> labels)
    {
        return new Signal(id, Signal.Kind.METRIC_ANOMALY, "test", service, subject, labels, 1_000, 2_000,
            severity == Severity.CRITICAL ? 0.9 : severity == Severity.WARNING ? 0.6 : 0.3, severity, 812, 2, 40,
            true, subject + " out of range");
    }

    @Test
    void readsTheDocumentedExampleWithItsDefaults() throws Exception
    {
        final String readme = Files.readString(Path.of("README-remediation.md"));
        final int start = readme.indexOf("```json\n") + "```json\n".length();
        final String example = readme.substring(start, readme.indexOf("```", start));
        final Path file = dir.resolve("rules.json");
        Files.writeString(file, example);

        final List<Rule> rules = RuleFile.read(file);

        assertThat(rules).extracting(Rule::name).containsExactly("gc-pause-thread-dump", "checkout-errors-page",
            "fraud-model-drift-rollback");
        final Rule gc = rules.get(0);
        assertThat(gc.dryRun()).as("dryRun defaults to true").isTrue();
        assertThat(gc.approvalRequired()).isFalse();
        assertThat(gc.action()).isInstanceOf(ActionSpec.AgentCommand.class);
        assertThat(((ActionSpec.AgentCommand)gc.action()).command()).isEqualTo(CommandKind.THREAD_DUMP);
        assertThat(gc.rateLimitCount()).isEqualTo(RuleFile.DEFAULT_RATE_COUNT);
        assertThat(gc.cooldownMillis()).isEqualTo(15 * 60_000L);
        final Rule page = rules.get(1);
        assertThat(page.rateLimitCount()).isEqualTo(3);
        assertThat(page.rateLimitPeriodMillis()).isEqualTo(3_600_000L);
        final Rule rollback = rules.get(2);
        assertThat(rollback.approvalRequired()).isTrue();
        assertThat(rollback.dryRun()).isFalse();
    }

    @Test
    void matchesKindServiceSeverityLabelsAndKeyGlobs()
    {
        final Rule rule = RuleFile.parse("t", """
            {"rules": [{"name": "r", "match": {"kind": "anomaly", "signalKinds": ["METRIC_ANOMALY"],
              "service": ["check*", "cart"], "severity": "WARNING", "labels": {"instance": "*", "area": "heap"},
              "key": "jvm.memory.*"}, "action": {"type": "webhook", "url": "http://127.0.0.1:1/x"}}]}
            """).get(0);
        final Map<String, String> labels = Map.of("instance", "a1", "area", "heap");
        assertThat(rule.match().matches(Subject.of(signal("1", "checkout", "jvm.memory.used", Severity.WARNING,
            labels)))).isTrue();
        assertThat(rule.match().matches(Subject.of(signal("2", "checkout", "jvm.memory.used", Severity.INFO,
            labels)))).as("below the severity minimum").isFalse();
        assertThat(rule.match().matches(Subject.of(signal("3", "billing", "jvm.memory.used", Severity.CRITICAL,
            labels)))).as("other service").isFalse();
        assertThat(rule.match().matches(Subject.of(signal("4", "cart", "jvm.memory.used", Severity.CRITICAL,
            Map.of("area", "heap"))))).as("instance label missing").isFalse();
        assertThat(rule.match().matches(Subject.of(signal("5", "cart", "jvm.gc.pause", Severity.CRITICAL,
            labels)))).as("other key").isFalse();
        assertThat(Subject.of(Signal.change("c", "deploy", "cart", "v2", Map.of(), 1, "deployed")))
            .as("change events are not subjects").isNull();
    }

    @Test
    void unknownKeyInARuleNamesTheRuleAndTheKey()
    {
        assertThatThrownBy(() -> RuleFile.parse("rules.json", """
            {"rules": [{"name": "gc", "match": {}, "action": {"type": "webhook", "url": "http://h/x"},
              "dryrun": false}]}
            """)).isInstanceOf(ConfigException.class)
            .hasMessageContaining("rules.json").hasMessageContaining("rule 'gc'")
            .hasMessageContaining("unknown key 'dryrun'").hasMessageContaining("did you mean 'dryRun'");
    }

    @Test
    void unknownKeysInMatchAndActionAreRefusedToo()
    {
        assertThatThrownBy(() -> RuleFile.parse("f", """
            {"rules": [{"name": "a", "match": {"sevrity": "WARNING"}, "action": {"type": "webhook", "url": "http://h"}}]}
            """)).hasMessageContaining("rule 'a' match").hasMessageContaining("unknown key 'sevrity'");
        assertThatThrownBy(() -> RuleFile.parse("f", """
            {"rules": [{"name": "b", "match": {}, "action": {"type": "agent-command", "command": "thread-dump",
              "url": "http://h"}}]}
            """)).hasMessageContaining("rule 'b' action").hasMessageContaining("unknown key 'url'");
        assertThatThrownBy(() -> RuleFile.parse("f", """
            {"rules": [{"name": "c", "match": {}, "action": {"type": "webhook", "url": "http://h"},
              "rateLimit": {"count": 2, "per": "1h"}}]}
            """)).hasMessageContaining("rule 'c' rateLimit").hasMessageContaining("unknown key 'per'");
    }

    @Test
    void badValuesAreNamed()
    {
        assertThatThrownBy(() -> RuleFile.parse("f", """
            {"rules": [{"name": "d", "match": {}, "action": {"type": "webhook", "url": "http://h"}, "cooldown": "15"}]}
            """)).hasMessageContaining("rule 'd'").hasMessageContaining("key 'cooldown'")
            .hasMessageContaining("no unit");
        assertThatThrownBy(() -> RuleFile.parse("f", """
            {"rules": [{"name": "e", "match": {}, "action": {"type": "email"}}]}
            """)).hasMessageContaining("rule 'e'").hasMessageContaining("key 'action.type'");
        assertThatThrownBy(() -> RuleFile.parse("f", """
            {"rules": [{"name": "g", "match": {}, "action": {"type": "webhook", "url": "ftp://h/x"}}]}
            """)).hasMessageContaining("rule 'g'").hasMessageContaining("key 'action.url'");
        assertThatThrownBy(() -> RuleFile.parse("f", """
            {"rules": [{"name": "h", "match": {}, "action": {"type": "agent-command", "command": "set-log-level"}}]}
            """)).hasMessageContaining("rule 'h'").hasMessageContaining("key 'action.level'");
        assertThatThrownBy(() -> RuleFile.parse("f", """
            {"rules": [{"name": "i", "match": {"severity": "HIGH"}, "action": {"type": "webhook", "url": "http://h"}}]}
            """)).hasMessageContaining("rule 'i'").hasMessageContaining("key 'match.severity'");
        assertThatThrownBy(() -> RuleFile.parse("f", """
            {"rules": [{"name": "j", "match": {}, "action": {"type": "webhook", "url": "http://h"},
              "approval": "maybe"}]}
            """)).hasMessageContaining("rule 'j'").hasMessageContaining("key 'approval'");
    }

    @Test
    void fileLevelMistakesAreNamed() throws Exception
    {
        assertThatThrownBy(() -> RuleFile.parse("f", "{\"rules\": [ {\"name\": \"x\", }"))
            .hasMessageContaining("not valid JSON").hasMessageContaining("line 1");
        assertThatThrownBy(() -> RuleFile.parse("f", """
            {"rules": [{"name": "x", "match": {}, "action": {"type": "webhook", "url": "http://h"}},
                       {"name": "x", "match": {}, "action": {"type": "webhook", "url": "http://h"}}]}
            """)).hasMessageContaining("rule 'x'").hasMessageContaining("unique");
        assertThatThrownBy(() -> RuleFile.parse("f", "{\"rule\": []}"))
            .hasMessageContaining("unknown key 'rule'");
        assertThatThrownBy(() -> RuleFile.parse("f", "{\"rules\": [{\"match\": {}}]}"))
            .hasMessageContaining("rules[0]").hasMessageContaining("'name' is required");
        assertThatThrownBy(() -> RuleFile.read(dir.resolve("missing.json")))
            .isInstanceOf(ConfigException.class).hasMessageContaining("missing.json").hasMessageContaining("cannot be read");
    }
}
