package io.sextant.collector.mlops;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.sextant.collector.api.ApiException;
import io.sextant.collector.audit.AuditJournal;
import io.sextant.collector.audit.AuditRecord;
import io.sextant.collector.journal.JournalClient;
import io.sextant.collector.journal.JournalRecord;
import io.sextant.collector.journal.JournalRing;
import io.sextant.collector.mlops.feed.ModelEventRecord;
import io.sextant.collector.mlops.monitor.FeatureProfile;
import io.sextant.collector.mlops.registry.AliasChange;
import io.sextant.collector.mlops.registry.ModelRegistry;
import io.sextant.collector.mlops.registry.RegistryException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The collector's model registry and audit journal, owned by one thread ({@code sextant-registry}).
 *
 * <p>The audit journal lives in {@code <data-dir>/audit} and is shared with the other writers of the
 * collector (remediation actions): every task of the registry thread holds the journal's monitor
 * ({@code synchronized (journal)}), as every writer of that journal must. The registry is the fold over
 * it ({@link ModelRegistry}), which skips the other writers' records. Training profiles are stored content-addressed in
 * {@code <data-dir>/models/profiles/<sha256>.json}, and each registration appends an audit record of
 * type {@value #PROFILE_REGISTERED} holding the model, the version and the SHA-256, so the chain also
 * covers the profiles. Every read and write of the registry and the journal runs on the registry thread:
 * HTTP threads {@link #call} and wait, the analysis thread hands agent model events over with
 * {@link #agentEvent} and does not wait.
 *
 * <p>Agent MODEL_EVENTs and journal replay: the analysis sees every MODEL_EVENT again when the collector
 * replays its journal after a restart, so applying them must be idempotent. A registration is idempotent
 * by content (the registry ignores the same version registered again). An alias change caused by an agent
 * event carries the event's key ({@code agentId/sessionId/sequence}, unique per frame) as its
 * {@code origin} in the audit record; an event whose key is already in the journal is skipped. An event
 * that changed nothing when it first arrived (the alias already pointed there) has no record; on replay
 * it is skipped when the alias has changed at or after the event's time (it is stale), so a replay never
 * moves an alias back. Changes made through the API or the CLI are journaled as notices
 * ({@link io.sextant.collector.journal.JournalRecord#KIND_MODEL_API}) after their audit record, so the
 * analysis turns them into CHANGE signals in order with the traffic, and again on replay with the same ids.
 *
 * <p>Labels posted to the API and profile registrations are journaled the same way, so the label join
 * and the drift references are rebuilt by replaying the journal.
 */
public final class ModelService implements JournalClient, AutoCloseable {

    /** Audit record type of a training profile registration. */
    public static final String PROFILE_REGISTERED = "model.profile.registered";

    static final ObjectMapper JSON = JsonMapper.builder().build();

    /** What the analysis needs to know about a model to score it: number of classes and the positive class. */
    public record ModelHints(int classes, String positiveClass) {
    }

    /** Body of a profile audit record. */
    record ProfileEvent(String model, String version, String sha256, List<String> numeric, List<String> categorical) {
    }

    private final Path auditDir;
    private final Path profileDir;
    private final JournalRing ring;
    private final LongSupplier clock;
    private final Consumer<String> log;
    private final ThreadPoolExecutor thread;
    private final Map<Long, CompletableFuture<Void>> pendingNotices = new ConcurrentHashMap<>();
    private final AtomicLong noticeIds = new AtomicLong();
    private final AtomicLong agentEventsDropped = new AtomicLong();
    private final AtomicLong agentEventsApplied = new AtomicLong();
    private final AtomicLong agentEventsSkipped = new AtomicLong();
    private int slot = -1;
    private final AuditJournal journal;
    private ModelRegistry registry;
    private final Map<String, Map<String, String>> profiles = new LinkedHashMap<>();
    private volatile Map<String, Map<String, String>> profileView = Map.of();
    private volatile Map<String, ModelHints> hints = Map.of();

    /**
     * @param dataDir the collector's data folder
     * @param journal the audit journal open on {@code <dataDir>/audit}, shared; not closed by this service
     * @param ring    the ingest journal's ring, for notices to the analysis (null: none are journaled)
     */
    public ModelService(Path dataDir, AuditJournal journal, JournalRing ring, LongSupplier clockMs,
                        Consumer<String> log) {
        this.auditDir = dataDir.resolve("audit");
        this.profileDir = dataDir.resolve("models").resolve("profiles");
        this.journal = journal;
        this.ring = ring;
        this.clock = clockMs;
        this.log = log;
        this.thread = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(10_000), r -> {
            Thread t = new Thread(r, "sextant-registry");
            t.setDaemon(true);
            return t;
        });
    }

    /** Opens the audit journal and rebuilds the registry from it. Call once before use. */
    public ModelService open() throws IOException {
        Files.createDirectories(profileDir);
        try {
            run(() -> {
                try {
                    registry = ModelRegistry.open(auditDir, journal, clock);
                    for (AuditRecord r : AuditJournal.readAll(auditDir)) {
                        if (PROFILE_REGISTERED.equals(r.type())) {
                            ProfileEvent p = JSON.readValue(r.body(), ProfileEvent.class);
                            profiles.computeIfAbsent(p.model(), k -> new LinkedHashMap<>()).put(p.version(), p.sha256());
                        }
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                if (journal.tornBytesDropped() > 0) {
                    log.accept("audit journal: dropped a torn final record of " + journal.tornBytesDropped() + " bytes");
                }
                publish();
                return null;
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        if (ring != null) {
            slot = ring.register(this);
        }
        log.accept("audit journal " + auditDir + ": " + journal.nextSeq() + " records, head " + journal.head());
        return this;
    }

    /** The folder of the audit journal. */
    public Path auditDir() {
        return auditDir;
    }

    // ---- the registry thread ------------------------------------------------------------------

    /**
     * Runs {@code f} on the registry thread and returns its result. A refused operation becomes 404 (an
     * unknown model, version or dataset) or 409 (a conflict); a full queue or a slow thread 503.
     */
    public <T> T call(Function<ModelRegistry, T> f) {
        return run(() -> f.apply(registry));
    }

    private <T> T run(java.util.concurrent.Callable<T> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            thread.execute(() -> {
                try {
                    synchronized (journal) {
                        result.complete(task.call());
                    }
                } catch (Throwable t) {
                    result.completeExceptionally(t);
                }
            });
        } catch (RejectedExecutionException e) {
            throw new ApiException(503, "unavailable", "the registry is busy; retry later");
        }
        try {
            return result.get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "unavailable", "interrupted");
        } catch (TimeoutException e) {
            throw new ApiException(503, "unavailable", "the registry did not answer within 10 s");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RegistryException re) {
                String m = re.getMessage();
                boolean missing = m.contains(" has no version ") || m.contains(" is not registered")
                    || m.contains(" is not set");
                throw new ApiException(missing ? 404 : 409, missing ? "not_found" : "conflict", m);
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        }
    }

    /** Rebuilds the views other threads read. Registry thread. */
    private void publish() {
        Map<String, Map<String, String>> p = new HashMap<>();
        profiles.forEach((m, v) -> p.put(m, Map.copyOf(v)));
        profileView = Map.copyOf(p);
        Map<String, ModelHints> h = new HashMap<>();
        for (String model : registry.models()) {
            var versions = registry.versions(model);
            if (versions.isEmpty()) {
                continue;
            }
            Map<String, String> params = versions.get(versions.size() - 1).params();
            int classes = 2;
            try {
                classes = Math.max(2, Integer.parseInt(params.getOrDefault("classes", "2").trim()));
            } catch (NumberFormatException ignore) {
                // a free-text parameter: keep the default
            }
            h.put(model, new ModelHints(classes, params.get("positive_class")));
        }
        hints = Map.copyOf(h);
    }

    /** Classes and positive class of a model, from the parameters of its latest registered version. */
    public ModelHints hints(String model) {
        return hints.getOrDefault(model, new ModelHints(2, null));
    }

    /** model -> version -> SHA-256 of every registered training profile. Any thread. */
    public Map<String, Map<String, String>> profileDigests() {
        return profileView;
    }

    /**
     * Registers a training profile with a version: stores it under its SHA-256 and appends the audit
     * record. Registry thread (inside {@link #call}). Returns the SHA-256.
     */
    public String registerProfile(ModelRegistry r, String model, String version, FeatureProfile profile, String actor) {
        if (r.version(model, version).isEmpty()) {
            throw new RegistryException("model " + model + " has no version " + version);
        }
        try {
            byte[] bytes = AuditJournal.canonicalJson(profile.toState()).getBytes(StandardCharsets.UTF_8);
            String sha = HexFormat.of().formatHex(sha256(bytes));
            if (sha.equals(profiles.getOrDefault(model, Map.of()).get(version))) {
                return sha;
            }
            Path file = profileDir.resolve(sha + ".json");
            if (!Files.exists(file)) {
                Path tmp = profileDir.resolve(sha + ".json.tmp");
                Files.write(tmp, bytes);
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            journal.append(PROFILE_REGISTERED, actor, new ProfileEvent(model, version, sha,
                profile.numeric().keySet().stream().sorted().toList(),
                profile.categorical().keySet().stream().sorted().toList()), clock.getAsLong());
            profiles.computeIfAbsent(model, k -> new LinkedHashMap<>()).put(version, sha);
            publish();
            return sha;
        } catch (IOException e) {
            throw new UncheckedIOException("could not store the training profile", e);
        }
    }

    /** Re-publishes the views after a change made through {@link #call}. Registry thread. */
    public void changed() {
        publish();
    }

    /** Audit records appended so far (the next record's seq). Registry thread. */
    public long auditRecords() {
        return journal.nextSeq();
    }

    /** Reads a stored training profile by SHA-256, checking the content against it. Any thread. */
    public Optional<FeatureProfile> profile(String sha256) {
        Path file = profileDir.resolve(sha256 + ".json");
        try {
            if (!Files.exists(file)) {
                return Optional.empty();
            }
            byte[] bytes = Files.readAllBytes(file);
            if (!HexFormat.of().formatHex(sha256(bytes)).equals(sha256)) {
                log.accept("training profile " + file + " does not match its SHA-256; ignored");
                return Optional.empty();
            }
            return Optional.of(FeatureProfile.fromState(JSON.readValue(bytes, FeatureProfile.State.class)));
        } catch (IOException e) {
            log.accept("could not read training profile " + file + ": " + e);
            return Optional.empty();
        }
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- agent model events (handed over by the analysis thread) ---------------------------------

    /**
     * Applies an agent's MODEL_EVENT to the registry, later, on the registry thread (see the class comment
     * for why a replayed event changes nothing twice). Never blocks: when the queue is full the event is
     * dropped and counted.
     */
    public void agentEvent(ModelEventRecord e, boolean replaying) {
        try {
            thread.execute(() -> {
                try {
                    boolean applied;
                    synchronized (journal) {
                        applied = applyAgentEvent(e, replaying);
                    }
                    if (applied) {
                        agentEventsApplied.incrementAndGet();
                    } else {
                        agentEventsSkipped.incrementAndGet();
                    }
                } catch (RuntimeException ex) {
                    agentEventsSkipped.incrementAndGet();
                    log.accept("model event " + e.kind() + " " + e.model() + " " + e.version() + " from agent "
                        + e.instance() + " not applied to the registry: " + ex.getMessage());
                }
            });
        } catch (RejectedExecutionException ex) {
            agentEventsDropped.incrementAndGet();
        }
    }

    /** Registry thread. Returns true when the registry changed. */
    boolean applyAgentEvent(ModelEventRecord e, boolean replaying) {
        if (registry.hasOrigin(e.key())) {
            return false;
        }
        String actor = "agent:" + e.service() + "/" + e.instance();
        long before = journal.nextSeq();
        try {
            if ("REGISTER".equals(e.kind())) {
                ensureVersion(e, actor);
                return journal.nextSeq() > before;
            }
            String alias = e.stage().isEmpty() ? "production" : e.stage();
            List<AliasChange> history = registry.aliasHistory(e.model(), alias);
            if (replaying && !history.isEmpty()
                && history.get(history.size() - 1).timestampMs() >= e.timeMillis()) {
                return false; // stale: the alias changed at or after this event (it was a no-op, or superseded)
            }
            if (registry.alias(e.model(), alias).filter(e.version()::equals).isPresent()) {
                return false;
            }
            if (registry.version(e.model(), e.version()).isEmpty()) {
                registry.registerVersion(e.model(), e.version(), null, null, Map.of(), Map.of(), null, actor);
            }
            String reason = "agent " + e.kind().toLowerCase(java.util.Locale.ROOT)
                + (e.previousVersion().isEmpty() ? "" : " (previous " + e.previousVersion() + ")");
            switch (e.kind()) {
                case "DEPLOY" -> registry.deploy(e.model(), e.version(), alias, actor, reason, e.key());
                case "PROMOTE" -> registry.promoteVersion(e.model(), e.version(), alias, actor, reason, e.key());
                case "ROLLBACK" -> {
                    try {
                        registry.rollbackTo(e.model(), alias, e.version(), actor, reason, e.key());
                    } catch (RegistryException notInHistory) {
                        registry.deploy(e.model(), e.version(), alias, actor, reason + ", not an earlier version "
                            + "of the alias: deployed", e.key());
                    }
                }
                default -> {
                    return false;
                }
            }
            return journal.nextSeq() > before;
        } finally {
            if (journal.nextSeq() > before) {
                publish();
            }
        }
    }

    private void ensureVersion(ModelEventRecord e, String actor) {
        String datasetId = e.datasetId().isEmpty() ? null : e.datasetId();
        String hash = e.datasetHash().isEmpty() ? null : e.datasetHash();
        if (datasetId != null && registry.dataset(datasetId).isEmpty()) {
            registry.registerDataset(datasetId, hash == null ? "" : hash, "reported by " + actor, actor);
        }
        registry.registerVersion(e.model(), e.version(), datasetId, hash, e.parameters(), e.metrics(),
            e.artifactDigest().isEmpty() ? null : "sha256:" + e.artifactDigest(), actor);
    }

    /** Agent model events applied to the registry, skipped (already applied or stale), dropped (queue full). */
    public Map<String, Long> agentEventCounts() {
        return Map.of("applied", agentEventsApplied.get(), "skipped", agentEventsSkipped.get(),
            "dropped", agentEventsDropped.get());
    }

    /** Waits until every task handed to the registry thread so far has run (tests, shutdown). */
    public void drain() {
        run(() -> null);
    }

    // ---- notices journaled for the analysis ---------------------------------------------------

    /**
     * Journals a notice for the analysis (a JSON object with a {@code type}, see {@link ModelFeed}) and
     * completes once it is in the journal.
     *
     * @throws ApiException 503 when the journal ring is full, 413 when the notice is too large
     */
    public CompletableFuture<Void> journal(Map<String, Object> notice) {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(notice);
        } catch (IOException e) {
            throw new IllegalArgumentException("notice is not serialisable: " + e.getMessage(), e);
        }
        if (ring == null) {
            return CompletableFuture.completedFuture(null);
        }
        if (JournalRecord.HEADER_LENGTH + bytes.length > ring.maxRecordLength()) {
            throw new ApiException(413, "too_large", "the request's journal record of " + bytes.length
                + " bytes exceeds the " + (ring.maxRecordLength() - JournalRecord.HEADER_LENGTH) + " bytes the journal takes");
        }
        long id = noticeIds.incrementAndGet();
        CompletableFuture<Void> done = new CompletableFuture<>();
        pendingNotices.put(id, done);
        if (!ring.offer(JournalRecord.KIND_MODEL_API, slot, id, 0, 0, 0, clock.getAsLong() * 1_000_000L,
            new UnsafeBuffer(bytes), 0, bytes.length)) {
            pendingNotices.remove(id);
            throw new ApiException(503, "unavailable", "the collector journal is behind; retry later");
        }
        return done;
    }

    /** {@link #journal} and wait (10 s at most). */
    public void journalAndWait(Map<String, Object> notice) {
        try {
            journal(notice).get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "unavailable", "interrupted");
        } catch (ExecutionException | TimeoutException e) {
            throw new ApiException(503, "unavailable", "the journal did not take the record: " + e);
        }
    }

    @Override
    public boolean admit(org.agrona.DirectBuffer buffer, int offset, int length) {
        return true;
    }

    @Override
    public void journaled(org.agrona.DirectBuffer buffer, int offset, int length) {
        CompletableFuture<Void> f = pendingNotices.remove(JournalRecord.connectionId(buffer, offset));
        if (f != null) {
            f.complete(null);
        }
    }

    @Override
    public void batchDone() {
    }

    /**
     * Rolls an alias back for a remediation action ({@code model-rollback}): on the registry thread, audited,
     * and journaled as a notice so the analysis publishes the CHANGE. {@code version} "" means the version
     * just before the current one.
     *
     * @return one sentence saying what changed
     */
    public String rollback(String model, String alias, String version, String actor, String reason) {
        AliasChange c = call(r -> {
            AliasChange change = version == null || version.isEmpty() ? r.rollback(model, alias, actor, reason)
                : r.rollbackTo(model, alias, version, actor, reason);
            publish();
            return change;
        });
        journalAndWait(aliasNotice(c));
        return "alias " + c.alias() + " of model " + c.model() + " rolled back from " + c.fromVersion() + " to "
            + c.toVersion() + " (audit seq " + c.auditSeq() + ")";
    }

    /** The journal notice of an alias change (see {@link ModelFeed}). */
    public static Map<String, Object> aliasNotice(AliasChange c) {
        Map<String, Object> notice = new LinkedHashMap<>();
        notice.put("type", "alias");
        notice.put("model", c.model());
        notice.put("alias", c.alias());
        notice.put("fromVersion", c.fromVersion());
        notice.put("toVersion", c.toVersion());
        notice.put("operation", c.operation());
        notice.put("reason", c.reason());
        notice.put("actor", c.actor());
        notice.put("timeMillis", c.timestampMs());
        notice.put("auditSeq", c.auditSeq());
        return notice;
    }

    /** Stops the registry thread; the shared audit journal is closed by its owner. */
    @Override
    public void close() {
        thread.shutdown();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        thread.shutdownNow();
    }
}
