package io.sextant.collector;

import io.netty.channel.EventLoopGroup;
import io.sextant.collector.analysis.AnalysisLoop;
import io.sextant.collector.analysis.AnalysisStage;
import io.sextant.collector.analysis.MetricAnomalyStage;
import io.sextant.collector.analysis.LogTemplateApi;
import io.sextant.collector.analysis.LogTemplateStage;
import io.sextant.collector.analysis.SignalLog;
import io.sextant.collector.api.AnomalyApi;
import io.sextant.collector.analysis.correlate.CorrelationStage;
import io.sextant.collector.analysis.correlate.IncidentsApi;
import io.sextant.collector.api.ApiModule;
import io.sextant.collector.api.QueryApi;
import io.sextant.collector.api.Telemetry;
import io.sextant.collector.audit.AuditJournal;
import io.sextant.collector.config.CollectorConfig;
import io.sextant.collector.config.Settings;
import io.sextant.collector.http.HttpServer;
import io.sextant.collector.ingest.IngestServer;
import io.sextant.collector.ingest.SessionState;
import io.sextant.collector.ingest.Sessions;
import io.sextant.collector.ingest.otlp.OtlpReceiver;
import io.sextant.collector.journal.Journal;
import io.sextant.collector.journal.JournalRing;
import io.sextant.collector.journal.JournalWriter;
import io.sextant.collector.remediation.RemediationStage;
import io.sextant.collector.store.Checkpoint;
import io.sextant.collector.store.CheckpointFiles;
import io.sextant.collector.store.SeriesStore;
import io.sextant.collector.store.StoreTailer;
import io.sextant.collector.transport.Transport;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.SystemEpochClock;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One collector process: journal, journal writer, store tailer, ingest (4710), OTLP (4318) and the
 * query API (4720). Start-up order: open the journal, rebuild session sequence state from it, start
 * the writer and the tailer (which replays the journal into the store), then listen.
 *
 * <p>Threads: one journal writer, one store tailer (Agrona agent runners), Netty event loops, and a
 * small pool for HTTP handlers.
 */
public final class Collector implements AutoCloseable, Telemetry
{
    private final CollectorConfig config;
    private final Consumer<String> log;
    private final EpochClock clock = SystemEpochClock.INSTANCE;
    private final long startedMillis = System.currentTimeMillis();
    private final Sessions sessions = new Sessions();
    private final AtomicLong writerErrors = new AtomicLong();
    private Journal journal;
    private JournalRing ring;
    private JournalWriter writer;
    private AgentRunner writerRunner;
    private SeriesStore store;
    private StoreTailer tailer;
    private AgentRunner tailerRunner;
    private SignalLog signals;
    private AnalysisLoop analysis;
    private AgentRunner analysisRunner;
    private LogTemplateStage logTemplates;
    private final List<AnalysisStage> stages = new ArrayList<>();
    private final List<ApiModule> apiModules = new ArrayList<>();
    private io.sextant.collector.mlops.ModelService models;
    private final List<AnalysisStage> extraStages = new ArrayList<>();
    private final List<ApiModule> extraModules = new ArrayList<>();
    private MetricAnomalyStage metricAnomalies;
    private AuditJournal audit;
    private RemediationStage remediation;
    private EventLoopGroup boss;
    private EventLoopGroup workers;
    private ExecutorService httpExecutor;
    private IngestServer ingest;
    private HttpServer http;
    private HttpServer otlpServer;
    private OtlpReceiver otlp;
    private int ingestPort;
    private int httpPort;
    private int otlpPort;
    private volatile boolean listening;

    public Collector(final CollectorConfig config, final Consumer<String> log)
    {
        this.config = config;
        this.log = log;
    }

    /**
     * Starts everything; returns once the servers listen (the store may still be replaying).
     */
    public Collector start() throws Exception
    {
        Journal.disableAnalytics();
        Files.createDirectories(config.path(Settings.DATA_DIR));
        journal = new Journal(config.path(Settings.DATA_DIR), config.string(Settings.ROLL_CYCLE), null,
            "batch".equals(config.string(Settings.JOURNAL_SYNC)));
        final Checkpoint resume = openCheckpoint();
        final long scanned = sessions.recover(journal, resume == null ? -1 : resume.journalIndex());
        log.accept("journal " + journal.folder() + ": " + scanned + " records, " + sessions.all().size() +
            " agent sessions recovered");
        final int maxClients = config.intCount(Settings.MAX_CONNECTIONS) + 256;
        ring = new JournalRing(config.size(Settings.RING_SIZE), maxClients);
        writer = new JournalWriter(journal, ring, maxClients, config.duration(Settings.RETENTION_AGE).toMillis(),
            config.size(Settings.RETENTION_SIZE), clock);
        writerRunner = new AgentRunner(ring.writerIdle(), this::writerError, null, writer);
        AgentRunner.startOnThread(writerRunner);

        store = new SeriesStore(config.intCount(Settings.SERIES_LIMIT),
            config.duration(Settings.STORE_RETENTION).toMillis(), config.intCount(Settings.LOG_CAPACITY));
        tailer = new StoreTailer(journal, store, clock, log);
        if (checkpointsOn())
        {
            tailer.checkpoints(checkpointFiles(), config.durationOrOff(Settings.CHECKPOINT_INTERVAL).toMillis(),
                config.durationOrOff(Settings.ANALYSIS_WARMUP).toMillis(), resume);
        }
        final Sessions.Tracker sessionTracker = Sessions.tracker();
        tailer.observe(sessionTracker);
        tailer.register(Sessions.SECTION, sessionTracker);
        signals = new SignalLog(config.intCount(Settings.SIGNAL_CAPACITY));
        stages.addAll(extraStages);
        apiModules.addAll(extraModules);
        installAnalysis();
        analysis = new AnalysisLoop(store, stages, signals,
            org.agrona.BitUtil.findNextPositivePowerOfTwo((int)Math.max(4096, config.size(Settings.ANALYSIS_RING_SIZE))),
            clock, log);
        store.listener(analysis);
        if (checkpointsOn())
        {
            // The analysis history rides in checkpoints; a restart loads it and resumes the analysis after it.
            tailer.analysis(analysis);
            analysis.restore(resume);
        }
        analysisRunner = new AgentRunner(new BackoffIdleStrategy(10, 10, 1_000, 1_000_000), this::analysisError,
            null, analysis);
        AgentRunner.startOnThread(analysisRunner, Collector::bulkThread);
        otlp = new OtlpReceiver(ring, store, clock, (int)Math.min(Integer.MAX_VALUE, config.size(Settings.OTLP_MAX_BODY)));
        otlp.registerAppliers(tailer);
        tailerRunner = new AgentRunner(new BackoffIdleStrategy(10, 10, 1_000, 1_000_000),
            t -> log.accept("store tailer error: " + t), null, tailer);
        AgentRunner.startOnThread(tailerRunner, Collector::bulkThread);

        boss = Transport.group(1, "sextant-accept");
        workers = Transport.group(Math.max(2, Runtime.getRuntime().availableProcessors()), "sextant-io");
        httpExecutor = new java.util.concurrent.ThreadPoolExecutor(2, 2, 0, TimeUnit.SECONDS,
            new java.util.concurrent.ArrayBlockingQueue<>(1024), r ->
            {
                final Thread t = new Thread(r, "sextant-http");
                t.setDaemon(true);
                return t;
            });
        final String bind = config.string(Settings.BIND_ADDRESS);
        ingest = new IngestServer(ring, sessions, new HashSet<>(config.list(Settings.TOKENS)),
            (int)config.size(Settings.MAX_FRAME_LENGTH), (int)config.duration(Settings.HEARTBEAT_INTERVAL).toMillis(),
            clock, log);
        final long maxLag = config.intCount(Settings.MAX_STORE_LAG);
        ingest.downstreamBehind(() -> storeLag() > maxLag);
        otlp.downstreamBehind(() -> storeLag() > maxLag);
        ingestPort = ingest.start(boss, workers, bind, config.port(Settings.INGEST_PORT));
        otlpServer = new HttpServer("OTLP/HTTP receiver", otlp, (int)Math.min(Integer.MAX_VALUE,
            config.size(Settings.OTLP_MAX_BODY)), httpExecutor, log);
        otlpPort = otlpServer.start(boss, workers, bind, config.port(Settings.OTLP_PORT));
        final QueryApi api = new QueryApi(store, this, clock::time);
        apiModules.forEach(api::add);
        http = new HttpServer("query API", api, 1 << 20, httpExecutor, log);
        httpPort = http.start(boss, workers, bind, config.port(Settings.HTTP_PORT));
        listening = true;
        return this;
    }

    private boolean checkpointsOn()
    {
        return !config.durationOrOff(Settings.CHECKPOINT_INTERVAL).isZero();
    }

    private CheckpointFiles checkpointFiles()
    {
        return new CheckpointFiles(config.path(Settings.DATA_DIR).resolve("checkpoint"), log);
    }

    /**
     * The newest valid checkpoint that fits this journal, with the ingest sessions restored from it; or
     * null (checkpoints off, none, or none usable: the whole journal is replayed).
     */
    private Checkpoint openCheckpoint()
    {
        if (!checkpointsOn())
        {
            return null;
        }
        final Checkpoint cp = checkpointFiles().loadNewest();
        if (cp == null)
        {
            log.accept("no usable checkpoint: replaying the whole journal");
            return null;
        }
        if (cp.journalIndex() > journal.lastIndex())
        {
            log.accept("checkpoint " + cp.file() + " is ahead of the journal (index " + Long.toHexString(cp.journalIndex()) +
                " > " + Long.toHexString(journal.lastIndex()) + "): ignored, replaying the whole journal");
            return null;
        }
        if (cp.journalIndex() >= journal.firstIndex() &&
            journal.receivedMillisAt(cp.journalIndex()) != cp.lastRecordMillis())
        {
            log.accept("checkpoint " + cp.file() + " does not match this journal (its last record, index " +
                Long.toHexString(cp.journalIndex()) + ", differs): ignored, replaying the whole journal");
            return null;
        }
        final long warmupFrom = StoreTailer.warmupStart(cp, config.durationOrOff(Settings.ANALYSIS_WARMUP).toMillis());
        if (warmupFrom >= 0 && warmupFrom == journal.firstIndex())
        {
            // Its warm-up would re-read the whole journal anyway, behind the store load; a full replay reads it
            // once, its store work hidden behind the analysis (the slower of the two), and rebuilds everything.
            log.accept("checkpoint " + cp.file() + ": the analysis warm-up would re-read the whole journal, so a full " +
                "replay is no slower; replaying the whole journal");
            return null;
        }
        final io.sextant.collector.store.CheckpointIn in = cp.section(Sessions.SECTION);
        if (in != null)
        {
            sessions.load(in);
        }
        return cp;
    }

    /**
     * A checkpoint now (the store tailer takes it at its next record boundary); also taken at a clean
     * shutdown and every checkpoint-interval.
     *
     * @return completes with the file written, or null when checkpoints are off.
     */
    public java.util.concurrent.CompletableFuture<java.nio.file.Path> checkpointNow()
    {
        return tailer.checkpointNow();
    }

    /**
     * @return the store tailer (replay and checkpoint counters).
     */
    public StoreTailer storeTailer()
    {
        return tailer;
    }

    private void checkpointMetrics(final List<Metric> m)
    {
        m.add(gauge("sextant_checkpoint_last_time_seconds", "When this process last wrote a checkpoint (Unix seconds)",
            tailer.lastCheckpointMillis() / 1000.0));
        m.add(gauge("sextant_checkpoint_last_index", "Journal index the last checkpoint includes",
            tailer.lastCheckpointIndex()));
        m.add(gauge("sextant_checkpoint_last_pause_seconds", "How long the last checkpoint held the store tailer",
            tailer.lastCheckpointSnapshotNanos() / 1e9));
        m.add(gauge("sextant_checkpoint_last_write_seconds", "How long writing and syncing the last checkpoint took",
            tailer.lastCheckpointWriteNanos() / 1e9));
        m.add(gauge("sextant_checkpoint_last_bytes", "Size of the last checkpoint file", tailer.lastCheckpointBytes()));
        m.add(counter("sextant_checkpoints_total", "Checkpoints written", tailer.checkpointsWritten()));
        m.add(counter("sextant_checkpoint_failures_total", "Checkpoints that could not be written",
            tailer.checkpointFailures()));
        m.add(gauge("sextant_replay_checkpoint_index", "Journal index of the checkpoint this process started from " +
            "(-1: none, whole journal replayed)", tailer.resumedIndex()));
        m.add(gauge("sextant_replay_records", "Journal records applied at start-up before catching up",
            tailer.replayed()));
        m.add(gauge("sextant_replay_warmup_records", "Journal records before the checkpoint re-fed to the analysis " +
            "at start-up", tailer.warmupRecords()));
    }

    /**
     * Adds an analysis stage of the embedding application (or a test), which sees every record before the
     * built-in ones, and optionally its API endpoints, asked before the built-in ones. Call before
     * {@link #start()}.
     *
     * @param module endpoints, or null.
     */
    public Collector addStage(final AnalysisStage stage, final ApiModule module)
    {
        if (listening || analysis != null)
        {
            throw new IllegalStateException("add stages before start()");
        }
        extraStages.add(stage);
        if (module != null)
        {
            extraModules.add(module);
        }
        return this;
    }

    /**
     * The analysis stages, in the order they see each record, and the API endpoints they serve. Each
     * part of the analysis adds its stage and its module here.
     */
    private void installAnalysis() throws java.io.IOException
    {
        metricAnomalies = new MetricAnomalyStage(MetricAnomalyStage.Options.from(config));
        stages.add(metricAnomalies);
        apiModules.add(new AnomalyApi(signals, metricAnomalies, clock::time));
        logTemplates = new LogTemplateStage(LogTemplateStage.Config.of(config.intCount(Settings.LOG_TEMPLATE_LIMIT),
            config.duration(Settings.LOG_TEMPLATE_WINDOW).toMillis(),
            config.duration(Settings.LOG_TEMPLATE_WARMUP).toMillis(), store.logs().capacity()));
        stages.add(logTemplates);
        apiModules.add(new LogTemplateApi(logTemplates, clock::time));
        installModels();
        // Incidents reach remediation on the analysis thread; remediation ignores them while replaying.
        final CorrelationStage correlation = new CorrelationStage(CorrelationStage.Config.DEFAULT.with(
            config.duration(Settings.CORRELATION_WINDOW).toMillis(), config.duration(Settings.CORRELATION_QUIET).toMillis(),
            config.duration(Settings.CORRELATION_CONFIRM).toMillis()))
            .onIncident(i -> remediation.onIncident(io.sextant.collector.remediation.Subject.of(i)));
        stages.add(correlation);
        apiModules.add(new IncidentsApi(correlation.board(), clock::time));
        remediation = RemediationStage.fromConfig(config, io.sextant.collector.remediation.AuditSink.of(auditJournal()),
            sessions.commands(), models::rollback, log);
        stages.add(remediation);
        apiModules.add(remediation.api());
        apiModules.add(new io.sextant.collector.web.Dashboard());
        final io.sextant.collector.web.LiveEvents live = new io.sextant.collector.web.LiveEvents(correlation.board(),
            remediation, clock::time);
        stages.add(live);
        apiModules.add(live);
    }

    /**
     * Model operations: the registry on the shared audit journal, the model stage, its journal notices
     * and its endpoints.
     */
    private void installModels() throws java.io.IOException
    {
        models = new io.sextant.collector.mlops.ModelService(config.path(Settings.DATA_DIR), auditJournal(), ring,
            clock::time, log).open();
        final io.sextant.collector.mlops.ModelStage modelStage = new io.sextant.collector.mlops.ModelStage(models,
            config.duration(Settings.MODEL_WINDOW).toMillis(), config.duration(Settings.LABEL_HORIZON).toMillis(),
            config.intCount(Settings.LABEL_JOIN_CAPACITY));
        tailer.register(io.sextant.collector.journal.JournalRecord.KIND_MODEL_API,
            new io.sextant.collector.mlops.ModelFeed(store));
        stages.add(modelStage);
        apiModules.add(new io.sextant.collector.mlops.ModelsApi(models, modelStage, store, clock::time));
    }

    /**
     * The audit journal ({@code <data-dir>/audit}), opened once and shared by everything that audits.
     */
    private AuditJournal auditJournal() throws java.io.IOException
    {
        if (audit == null)
        {
            audit = AuditJournal.open(config.path(Settings.DATA_DIR).resolve("audit"),
                "batch".equals(config.string(Settings.JOURNAL_SYNC)));
        }
        return audit;
    }

    /**
     * Adds an analysis stage before {@link #start()} (embedding, tests, harnesses); it sees every record
     * before the built-in stages.
     */
    public Collector addStage(final AnalysisStage stage)
    {
        return addStage(stage, null);
    }

    /**
     * The same as {@link #addStage(AnalysisStage)}: a signal source for a test or a harness.
     */
    public Collector withStage(final AnalysisStage stage)
    {
        return addStage(stage, null);
    }

    /**
     * Adds query-API endpoints from outside (an embedding application, a test); call before
     * {@link #start()}. They are asked before the built-in modules.
     */
    public Collector withApi(final ApiModule module)
    {
        if (listening || analysis != null)
        {
            throw new IllegalStateException("add endpoints before start()");
        }
        extraModules.add(module);
        return this;
    }

    /**
     * A thread for bulk work behind the acknowledgement (the store tailer, the analysis): it runs at the
     * lowest Java priority, so that where the JVM maps priorities to the OS (on Linux with
     * {@code -XX:ThreadPriorityPolicy=1}, which the launcher sets: nice 4) a woken ingest event loop or
     * journal writer is scheduled ahead of it on a busy machine. Without that flag it changes nothing.
     */
    private static Thread bulkThread(final Runnable r)
    {
        final Thread t = new Thread(r);
        t.setPriority(Thread.MIN_PRIORITY);
        return t;
    }

    private void analysisError(final Throwable t)
    {
        log.accept("analysis error: " + t);
    }

    private void writerError(final Throwable t)
    {
        if (writerErrors.incrementAndGet() <= 10)
        {
            log.accept("journal writer error: " + t);
        }
    }

    public int ingestPort()
    {
        return ingestPort;
    }

    public int httpPort()
    {
        return httpPort;
    }

    public int otlpPort()
    {
        return otlpPort;
    }

    public SeriesStore store()
    {
        return store;
    }

    public Sessions sessions()
    {
        return sessions;
    }

    public SignalLog signals()
    {
        return signals;
    }

    public AnalysisLoop analysis()
    {
        return analysis;
    }

    public CollectorConfig config()
    {
        return config;
    }

    @Override
    public boolean ready()
    {
        return listening && tailer.caughtUp();
    }

    @Override
    public List<Map<String, Object>> agents()
    {
        final List<Map<String, Object>> out = new ArrayList<>();
        for (final SessionState s : sessions.all())
        {
            final Map<String, Object> m = new LinkedHashMap<>();
            m.put("agentId", s.agentId().toString());
            m.put("sessionId", Long.toUnsignedString(s.sessionId()));
            m.put("service", s.service());
            m.put("host", s.host());
            m.put("pid", s.pid());
            m.put("connected", s.connected());
            m.put("lastSeen", s.lastSeenMillis() / 1000.0);
            m.put("lastJournaledSequence", s.lastJournaled());
            m.put("framesAccepted", s.frames());
            m.put("duplicatesDropped", s.duplicates());
            out.add(m);
        }
        return out;
    }

    /**
     * @return records this process accepted (in the journal ring or the journal) that the store, and so
     *         the analysis, has not applied yet; records the writer skipped as duplicates never will be.
     */
    private long storeLag()
    {
        return ring.offered() - writer.skipped() - tailer.appliedLive();
    }

    private long lagRecords()
    {
        return journal.recordsBetween(tailer.lastAppliedIndex(), writer.lastAppendedIndex());
    }

    @Override
    public Map<String, Object> status()
    {
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("ready", ready());
        m.put("uptimeSeconds", (System.currentTimeMillis() - startedMillis) / 1000.0);
        m.put("transport", Transport.name());
        m.put("ports", Map.of("ingest", ingestPort, "otlp", otlpPort, "http", httpPort));
        m.put("journal", Map.of(
            "folder", journal.folder().toString(),
            "writeIndex", writer.lastAppendedIndex(),
            "storeIndex", tailer.lastAppliedIndex(),
            "lagRecords", lagRecords(),
            "sizeBytes", journal.sizeBytes(),
            "appended", writer.appended(),
            "deletedCycles", writer.deletedCycles()));
        m.put("ring", Map.of("usedBytes", ring.sizeBytes(), "capacityBytes", ring.capacityBytes(),
            "fullRefusals", ring.refusedFull()));
        m.put("ingest", Map.of("framesAccepted", ingest.framesAccepted(), "duplicatesDropped", ingest.duplicates(),
            "connectionsRefused", ingest.refused(), "authFailures", ingest.authFailures(),
            "acksSent", ingest.acksSent(), "backpressurePauses", ingest.pauses(), "lagPauses", ingest.lagPauses(),
            "storeLagRecords", storeLag()));
        m.put("store", Map.of("series", store.catalog().size(), "seriesLimit", store.seriesLimit(),
            "samples", store.samples(), "histogramSamples", store.histogramSamples(), "logRecords", store.logRecords(),
            "refusedSeries", store.refusedSeries(), "refusedSamples", store.refusedSamples(),
            "outOfOrderSamples", store.outOfOrder(), "recordsApplied", tailer.applied()));
        m.put("otlp", otlp.stats());
        m.put("analysis", Map.of("live", analysis.live(), "processed", analysis.processed(),
            "backlogBytes", analysis.backlogBytes(), "capacityBytes", analysis.capacityBytes(),
            "producerWaits", analysis.producerWaits(), "stageErrors", analysis.stageErrors(),
            "signals", signals.size(), "signalsPublished", signals.published()));
        m.put("agents", sessions.all().size());
        return m;
    }

    @Override
    public List<Metric> metrics()
    {
        final List<Metric> m = new ArrayList<>();
        m.add(counter("sextant_ingest_frames_total", "Agent data frames accepted (journaled or queued)",
            ingest.framesAccepted()));
        m.add(counter("sextant_ingest_bytes_total", "Bytes of accepted agent frames", ingest.bytesAccepted()));
        m.add(counter("sextant_ingest_duplicates_total", "Resent frames dropped as duplicates", ingest.duplicates()));
        m.add(counter("sextant_ingest_refused_connections_total", "Connections refused with a NACK", ingest.refused()));
        m.add(counter("sextant_ingest_auth_failures_total", "HELLOs with a missing or wrong token",
            ingest.authFailures()));
        m.add(counter("sextant_ingest_acks_total", "ACK frames sent", ingest.acksSent()));
        m.add(counter("sextant_ingest_backpressure_pauses_total",
            "Times a connection stopped reading because the journal ring was full", ingest.pauses()));
        m.add(counter("sextant_ingest_lag_pauses_total",
            "Data frames that waited because the store or analysis was more than max-store-lag records behind",
            ingest.lagPauses()));
        m.add(gauge("sextant_store_lag_records", "Records accepted by this process and not yet applied to the store",
            storeLag()));
        m.add(counter("sextant_journal_records_total", "Records appended to the journal", writer.appended()));
        m.add(counter("sextant_journal_bytes_total", "Bytes appended to the journal", writer.appendedBytes()));
        m.add(counter("sextant_journal_skipped_total", "Records the writer skipped (duplicate sequences)",
            writer.skipped()));
        m.add(counter("sextant_journal_deleted_cycles_total", "Journal cycle files deleted by retention",
            writer.deletedCycles()));
        m.add(gauge("sextant_journal_lag_records", "Records journaled but not yet applied to the store", lagRecords()));
        m.add(gauge("sextant_journal_write_index", "Chronicle index of the last appended record",
            writer.lastAppendedIndex()));
        m.add(gauge("sextant_journal_store_index", "Chronicle index of the last record applied to the store",
            tailer.lastAppliedIndex()));
        m.add(gauge("sextant_ring_used_bytes", "Bytes waiting in the ingest-to-journal ring", ring.sizeBytes()));
        m.add(gauge("sextant_ring_capacity_bytes", "Capacity of the ingest-to-journal ring", ring.capacityBytes()));
        m.add(counter("sextant_ring_full_total", "Offers refused because the ring was full", ring.refusedFull()));
        m.add(gauge("sextant_store_series", "Series in the store", store.catalog().size()));
        m.add(gauge("sextant_store_series_limit", "Series cardinality limit", store.seriesLimit()));
        m.add(counter("sextant_store_samples_total", "Metric samples stored", store.samples()));
        m.add(counter("sextant_store_histogram_samples_total", "Histogram snapshots stored", store.histogramSamples()));
        m.add(counter("sextant_store_log_records_total", "Log records stored", store.logRecords()));
        m.add(counter("sextant_store_refused_series_total", "New series refused by the cardinality limit",
            store.refusedSeries()));
        m.add(counter("sextant_store_refused_samples_total", "Samples dropped because their series was refused",
            store.refusedSamples()));
        m.add(counter("sextant_store_out_of_order_total", "Samples dropped for being older than their series' newest",
            store.outOfOrder()));
        m.add(counter("sextant_store_apply_failures_total", "Journal records that could not be applied",
            tailer.failed()));
        for (final Map.Entry<String, Object> e : otlp.stats().entrySet())
        {
            m.add(counter("sextant_otlp_" + e.getKey() + "_total", "OTLP receiver: " + e.getKey(),
                ((Number)e.getValue()).doubleValue()));
        }
        final String memory = "sextant_memory_bytes";
        final String help = "Memory by area (metric chunks, histograms, journal ring, JVM heap used)";
        m.add(new Metric(memory, "gauge", help, Map.of("area", "metric_chunks"), store.metricBytes()));
        m.add(new Metric(memory, "gauge", help, Map.of("area", "histograms"), store.histogramBytes()));
        m.add(new Metric(memory, "gauge", help, Map.of("area", "journal_ring"), ring.capacityBytes()));
        final Runtime rt = Runtime.getRuntime();
        m.add(new Metric(memory, "gauge", help, Map.of("area", "heap_used"), rt.totalMemory() - rt.freeMemory()));
        m.add(counter("sextant_analysis_records_total", "Records processed by the analysis thread",
            analysis.processed()));
        m.add(gauge("sextant_log_templates", "Log templates handed out", logTemplates.templates()));
        m.add(counter("sextant_log_templates_refused_total", "Log records that got no template (template limit)",
            logTemplates.templatesRefused()));
        m.add(counter("sextant_log_template_statistics_refused_total",
            "Log records left out of their service's template statistics (template limit)",
            logTemplates.statisticsRefused()));
        m.add(gauge("sextant_analysis_backlog_bytes", "Bytes waiting for the analysis thread", analysis.backlogBytes()));
        m.add(counter("sextant_analysis_waits_total", "Times the store tailer waited for the analysis",
            analysis.producerWaits()));
        m.add(counter("sextant_analysis_stage_errors_total", "Exceptions thrown by analysis stages",
            analysis.stageErrors()));
        m.add(counter("sextant_signals_published_total", "Signals published (new and updated)", signals.published()));
        m.add(gauge("sextant_signals", "Signals held for the API", signals.size()));
        m.add(counter("sextant_anomaly_refused_series_total",
            "Series not analysed for anomalies because anomaly-max-series were", metricAnomalies.refusedSeries()));
        m.add(gauge("sextant_journal_size_bytes", "Bytes of journal cycle files on disk", journal.sizeBytes()));
        m.add(gauge("sextant_agents_connected", "Agent sessions currently connected",
            sessions.all().stream().filter(SessionState::connected).count()));
        checkpointMetrics(m);
        return m;
    }

    private static Metric counter(final String name, final String help, final double value)
    {
        return new Metric(name, "counter", help, Map.of(), value);
    }

    private static Metric gauge(final String name, final String help, final double value)
    {
        return new Metric(name, "gauge", help, Map.of(), value);
    }

    @Override
    public void close()
    {
        listening = false;
        closeQuietly(ingest);
        closeQuietly(otlpServer);
        closeQuietly(http);
        if (boss != null)
        {
            boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
        if (httpExecutor != null)
        {
            httpExecutor.shutdownNow();
        }
        shutdownCheckpoint();
        closeQuietly(writerRunner);
        closeQuietly(tailerRunner);
        closeQuietly(analysisRunner);
        for (final AnalysisStage stage : stages)
        {
            if (stage instanceof AutoCloseable closeable)
            {
                closeQuietly(closeable);
            }
        }
        closeQuietly(models);
        closeQuietly(audit);
        closeQuietly(journal);
        log.accept("collector stopped");
    }

    /**
     * Once ingest is closed: lets the store catch up with the journal (bounded) and checkpoints it.
     */
    private void shutdownCheckpoint()
    {
        if (tailer == null || tailerRunner == null || !checkpointsOn() || tailerRunner.isClosed())
        {
            return;
        }
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (tailer.lastAppliedIndex() < journal.lastIndex() && System.nanoTime() - deadline < 0)
        {
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
        try
        {
            final java.nio.file.Path file = tailer.checkpointNow().get(60, TimeUnit.SECONDS);
            log.accept("shutdown checkpoint " + (file == null ? "skipped (nothing applied)" : file + " at journal index " +
                Long.toHexString(tailer.lastCheckpointIndex())));
        }
        catch (final Exception ex)
        {
            log.accept("shutdown checkpoint not written (" + ex + "): the next start replays from the previous one");
        }
    }

    private void closeQuietly(final AutoCloseable c)
    {
        if (c != null)
        {
            try
            {
                c.close();
            }
            catch (final Exception ex)
            {
                log.accept("error while closing " + c + ": " + ex);
            }
        }
    }
}
