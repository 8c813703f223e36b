package io.sextant.collector.mlops.registry;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.sextant.collector.audit.AuditJournal;
import io.sextant.collector.audit.AuditRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Datasets, model versions and aliases, kept as a fold over the audit journal.
 *
 * <p>Each operation validates, appends its event to the journal (types {@value #DATASET_REGISTERED},
 * {@value #VERSION_REGISTERED}, {@value #ALIAS_SET}), then applies it. Other record types in the journal
 * (remediation actions, configuration changes) are skipped on replay.
 *
 * <p>Registering the same version again with the same content, or deploying or promoting a version to an
 * alias that already points to it, changes nothing and appends nothing (agents re-announce their model
 * at every start); the same version with different content is refused.
 *
 * <p>Aliases: {@code deploy} points an alias at a version; {@code promote} points one alias at the version
 * another alias points to (candidate to production); {@code rollback} returns an alias to the version it
 * pointed to before its latest deploy or promote that has not itself been rolled back. Every change is
 * kept in the alias's history.
 *
 * <p>Single writer: one thread (the collector's registry/audit agent) calls the operations; readers get
 * copies.
 */
public final class ModelRegistry {

    public static final String DATASET_REGISTERED = "dataset.registered";
    public static final String VERSION_REGISTERED = "model.version.registered";
    public static final String ALIAS_SET = "alias.set";

    private static final ObjectMapper JSON = JsonMapper.builder()
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    private final AuditJournal journal;
    private final LongSupplier clock;
    private final Map<String, Dataset> datasets = new LinkedHashMap<>();
    private final Map<String, Map<String, ModelVersion>> versions = new LinkedHashMap<>();
    private final Map<String, Map<String, List<AliasChange>>> aliasHistory = new LinkedHashMap<>();
    private final Map<String, Map<String, Deque<String>>> aliasStacks = new HashMap<>();
    private final Set<String> origins = new HashSet<>();

    private ModelRegistry(AuditJournal journal, LongSupplier clock) {
        this.journal = journal;
        this.clock = clock;
    }

    /** Rebuilds the registry from the journal folder and continues writing to {@code journal}. */
    public static ModelRegistry open(Path auditDir, AuditJournal journal, LongSupplier clockMs) throws IOException {
        ModelRegistry r = new ModelRegistry(journal, clockMs);
        for (AuditRecord rec : AuditJournal.readAll(auditDir)) {
            r.apply(rec);
        }
        return r;
    }

    /**
     * A registry rebuilt from the journal folder for reading only (the gate command, the API): every
     * operation that would change it throws.
     */
    public static ModelRegistry readOnly(Path auditDir) throws IOException {
        ModelRegistry r = new ModelRegistry(null, () -> {
            throw new RegistryException("this registry was opened read-only");
        });
        for (AuditRecord rec : AuditJournal.readAll(auditDir)) {
            r.apply(rec);
        }
        return r;
    }

    /**
     * Event body of an alias change. {@code origin} names the outside event that caused it (an agent's
     * MODEL_EVENT frame), so that replaying that event after a restart is recognised; null for changes
     * made through the API or the CLI.
     */
    record AliasEvent(String model, String alias, String fromVersion, String toVersion, String operation,
                      String reason, @JsonInclude(JsonInclude.Include.NON_NULL) String origin) {
    }

    public Dataset registerDataset(String id, String contentHash, String description, String actor) {
        Dataset existing = datasets.get(id);
        if (existing != null) {
            if (existing.contentHash().equals(contentHash)) {
                return existing;
            }
            throw new RegistryException("dataset " + id + " is already registered with content hash "
                + existing.contentHash() + ", not " + contentHash);
        }
        Dataset d = new Dataset(id, contentHash, description, clock.getAsLong(), actor);
        append(DATASET_REGISTERED, actor, d, d.registeredAtMs());
        return d;
    }

    public ModelVersion registerVersion(String model, String version, String datasetId, String datasetHash,
                                        Map<String, String> params, Map<String, Double> trainingMetrics,
                                        String artifactDigest, String actor) {
        ModelVersion existing = versions.getOrDefault(model, Map.of()).get(version);
        if (existing != null) {
            // Agents re-announce their model at every start: the same registration again is not a change.
            boolean same = Objects.equals(existing.datasetId(), datasetId)
                && (datasetHash == null || Objects.equals(existing.datasetHash(), datasetHash))
                && existing.params().equals(params == null ? Map.of() : params)
                && existing.trainingMetrics().equals(trainingMetrics == null ? Map.of() : trainingMetrics)
                && Objects.equals(existing.artifactDigest(), artifactDigest);
            if (same) {
                return existing;
            }
            throw new RegistryException("model " + model + " version " + version
                + " is already registered with different content");
        }
        if (datasetId != null) {
            Dataset d = datasets.get(datasetId);
            if (d == null) {
                throw new RegistryException("dataset " + datasetId + " is not registered");
            }
            if (datasetHash != null && !d.contentHash().equals(datasetHash)) {
                throw new RegistryException("dataset " + datasetId + " has content hash " + d.contentHash()
                    + ", the version claims " + datasetHash);
            }
            datasetHash = d.contentHash();
        }
        ModelVersion v = new ModelVersion(model, version, datasetId, datasetHash, params, trainingMetrics,
            artifactDigest, clock.getAsLong(), actor);
        append(VERSION_REGISTERED, actor, v, v.registeredAtMs());
        return v;
    }

    /** Points {@code alias} at {@code version}. */
    public AliasChange deploy(String model, String version, String alias, String actor, String reason) {
        return deploy(model, version, alias, actor, reason, null);
    }

    /** {@link #deploy} caused by the outside event {@code origin} (see {@link #hasOrigin}). */
    public AliasChange deploy(String model, String version, String alias, String actor, String reason, String origin) {
        requireVersion(model, version);
        return setAlias(model, alias, version, "deploy", actor, reason, origin);
    }

    /** True when an alias change caused by the outside event {@code origin} is in the journal. */
    public boolean hasOrigin(String origin) {
        return origins.contains(origin);
    }

    /** Points {@code toAlias} at the version {@code fromAlias} points to. */
    public AliasChange promote(String model, String fromAlias, String toAlias, String actor, String reason) {
        String version = alias(model, fromAlias)
            .orElseThrow(() -> new RegistryException("alias " + fromAlias + " of model " + model + " is not set"));
        return setAlias(model, toAlias, version, "promote", actor, reason, null);
    }

    /** Points {@code toAlias} at a named version (the agent's PROMOTE event names the version, not an alias). */
    public AliasChange promoteVersion(String model, String version, String toAlias, String actor, String reason) {
        return promoteVersion(model, version, toAlias, actor, reason, null);
    }

    /** {@link #promoteVersion} caused by the outside event {@code origin}. */
    public AliasChange promoteVersion(String model, String version, String toAlias, String actor, String reason,
                                      String origin) {
        requireVersion(model, version);
        return setAlias(model, toAlias, version, "promote", actor, reason, origin);
    }

    /** Returns {@code alias} to the version it pointed to before its latest change that is still in force. */
    public AliasChange rollback(String model, String alias, String actor, String reason) {
        return rollbackTo(model, alias, null, actor, reason);
    }

    /**
     * Returns {@code alias} to {@code version}, which must be an earlier version of the alias still in force
     * (null: the one just before the current). The changes in between count as rolled back.
     */
    public AliasChange rollbackTo(String model, String alias, String version, String actor, String reason) {
        return rollbackTo(model, alias, version, actor, reason, null);
    }

    /** {@link #rollbackTo} caused by the outside event {@code origin}. */
    public AliasChange rollbackTo(String model, String alias, String version, String actor, String reason,
                                  String origin) {
        Deque<String> stack = aliasStacks.getOrDefault(model, Map.of()).get(alias);
        if (stack == null || stack.size() < 2) {
            throw new RegistryException("alias " + alias + " of model " + model + " has no earlier version to roll back to");
        }
        List<String> earlier = new ArrayList<>(stack).subList(1, stack.size());
        String target = version == null ? earlier.get(0) : version;
        if (!earlier.contains(target)) {
            throw new RegistryException("alias " + alias + " of model " + model + " cannot roll back to " + target
                + "; earlier versions still in force: " + earlier);
        }
        return setAlias(model, alias, target, "rollback", actor, reason, origin);
    }

    private AliasChange setAlias(String model, String alias, String version, String op, String actor, String reason,
                                 String origin) {
        String from = alias(model, alias).orElse(null);
        if (version.equals(from) && !"rollback".equals(op)) {
            // Already there (an agent re-sending its DEPLOY): no change, no record.
            List<AliasChange> h = aliasHistory.get(model).get(alias);
            return h.get(h.size() - 1);
        }
        AliasEvent e = new AliasEvent(model, alias, from, version, op, reason == null ? "" : reason, origin);
        append(ALIAS_SET, actor, e, clock.getAsLong());
        List<AliasChange> h = aliasHistory.get(model).get(alias);
        return h.get(h.size() - 1);
    }

    private void requireVersion(String model, String version) {
        if (!versions.getOrDefault(model, Map.of()).containsKey(version)) {
            throw new RegistryException("model " + model + " has no version " + version);
        }
    }

    private AuditRecord append(String type, String actor, Object body, long ts) {
        if (journal == null) {
            throw new RegistryException("this registry was opened read-only");
        }
        try {
            AuditRecord rec = journal.append(type, actor, body, ts);
            apply(rec);
            return rec;
        } catch (IOException e) {
            throw new UncheckedIOException("audit append failed; registry unchanged", e);
        }
    }

    private void apply(AuditRecord rec) {
        try {
            switch (rec.type()) {
                case DATASET_REGISTERED -> {
                    Dataset d = JSON.readValue(rec.body(), Dataset.class);
                    datasets.put(d.id(), d);
                }
                case VERSION_REGISTERED -> {
                    ModelVersion v = JSON.readValue(rec.body(), ModelVersion.class);
                    versions.computeIfAbsent(v.model(), k -> new LinkedHashMap<>()).put(v.version(), v);
                }
                case ALIAS_SET -> {
                    AliasEvent e = JSON.readValue(rec.body(), AliasEvent.class);
                    if (e.origin() != null) {
                        origins.add(e.origin());
                    }
                    aliasHistory.computeIfAbsent(e.model(), k -> new LinkedHashMap<>())
                        .computeIfAbsent(e.alias(), k -> new ArrayList<>())
                        .add(new AliasChange(e.model(), e.alias(), e.fromVersion(), e.toVersion(), e.operation(),
                            e.reason(), rec.actor(), rec.timestampMs(), rec.seq()));
                    Deque<String> stack = aliasStacks.computeIfAbsent(e.model(), k -> new HashMap<>())
                        .computeIfAbsent(e.alias(), k -> new ArrayDeque<>());
                    if ("rollback".equals(e.operation())) {
                        while (!stack.isEmpty() && !stack.peek().equals(e.toVersion())) {
                            stack.pop();
                        }
                        if (stack.isEmpty()) {
                            stack.push(e.toVersion());
                        }
                    } else {
                        stack.push(e.toVersion());
                    }
                }
                default -> {
                    // remediation and configuration records share the journal; not registry state
                }
            }
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("audit record seq " + rec.seq() + " of type " + rec.type()
                + " has an unreadable body: " + ex.getOriginalMessage(), ex);
        }
    }

    public Optional<Dataset> dataset(String id) {
        return Optional.ofNullable(datasets.get(id));
    }

    public Optional<ModelVersion> version(String model, String version) {
        return Optional.ofNullable(versions.getOrDefault(model, Map.of()).get(version));
    }

    /** Names of every model with a registered version or an alias, in first-registration order. */
    public List<String> models() {
        java.util.LinkedHashSet<String> names = new java.util.LinkedHashSet<>(versions.keySet());
        names.addAll(aliasHistory.keySet());
        return List.copyOf(names);
    }

    /** Every alias of a model and the version it points to now. */
    public Map<String, String> aliases(String model) {
        Map<String, String> out = new LinkedHashMap<>();
        aliasHistory.getOrDefault(model, Map.of()).forEach((alias, h) -> {
            if (!h.isEmpty()) {
                out.put(alias, h.get(h.size() - 1).toVersion());
            }
        });
        return out;
    }

    /** Versions of a model in registration order. */
    public List<ModelVersion> versions(String model) {
        return List.copyOf(versions.getOrDefault(model, Map.of()).values());
    }

    public Optional<String> alias(String model, String alias) {
        List<AliasChange> h = aliasHistory.getOrDefault(model, Map.of()).get(alias);
        return h == null || h.isEmpty() ? Optional.empty() : Optional.of(h.get(h.size() - 1).toVersion());
    }

    /** Every change of an alias, oldest first. */
    public List<AliasChange> aliasHistory(String model, String alias) {
        return List.copyOf(aliasHistory.getOrDefault(model, Map.of()).getOrDefault(alias, List.of()));
    }

    /** Resolves a version label or alias name to a version (a version label wins). */
    public Optional<String> resolve(String model, String versionOrAlias) {
        if (version(model, versionOrAlias).isPresent()) {
            return Optional.of(versionOrAlias);
        }
        return alias(model, versionOrAlias);
    }
}
